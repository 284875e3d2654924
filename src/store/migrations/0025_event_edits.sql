-- 0025: events are changed (knod events update, the portal's event forms).
-- sequence counts an event's revisions, the iCalendar SEQUENCE (RFC 5545,
-- 3.8.7.4: 0 when created, one more at each revision); owner is the name
-- of the user who added it in the portal, its organiser there (who may
-- change it and see its registrations besides an administrator), '' for
-- an event added with knod events add.

ALTER TABLE net_event ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0 CHECK (sequence >= 0);
ALTER TABLE net_event ADD COLUMN owner TEXT NOT NULL DEFAULT '';
