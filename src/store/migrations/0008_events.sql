-- 0008: the events calendar (webinars, network meetings, conferences) with
-- registration and a waiting list (src/network/event.h).
--
-- Times are kn_time: seconds since 1970-01-01T00:00:00 in Swedish civil
-- time (Europe/Stockholm), as the organiser gives them. stamp is the
-- moment the event was last written, in seconds since the Unix epoch UTC
-- (the iCalendar DTSTAMP). uid is the event's iCalendar UID, made once and
-- never changed. A registration is 'registered' (has a seat), 'waiting'
-- (on the waiting list, in id order) or 'cancelled'; one e-mail address
-- holds at most one live (not cancelled) registration per event.

CREATE TABLE net_event (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind = 'webinar' OR kind = 'network-meeting' OR
        kind = 'national-conference' OR kind = 'international-conference'),
    title TEXT NOT NULL,
    organiser TEXT NOT NULL,
    starts INTEGER NOT NULL,          -- kn_time, civil
    ends INTEGER NOT NULL,            -- kn_time, civil
    mode TEXT NOT NULL CHECK (mode = 'digital' OR mode = 'on-site'),
    place TEXT NOT NULL,              -- '' when digital
    url TEXT NOT NULL,                -- '' if none
    theme TEXT NOT NULL,
    series TEXT NOT NULL,             -- '' if none
    description TEXT NOT NULL,
    capacity INTEGER CHECK (capacity IS NULL OR capacity >= 0), -- NULL: no limit
    recording INTEGER NOT NULL CHECK (recording = 0 OR recording = 1),
    status TEXT NOT NULL CHECK (status = 'confirmed' OR status = 'tentative' OR
        status = 'cancelled'),
    stamp INTEGER NOT NULL,           -- Unix seconds, UTC
    CHECK (ends > starts)
) STRICT;

CREATE INDEX net_event_starts ON net_event (starts);

CREATE TABLE net_registration (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES net_event (id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,              -- lower case
    organisation TEXT NOT NULL,
    region TEXT NOT NULL,             -- region code, '' if none
    state TEXT NOT NULL CHECK (state = 'registered' OR state = 'waiting' OR
        state = 'cancelled'),
    at INTEGER NOT NULL               -- Unix seconds, UTC
) STRICT;

CREATE UNIQUE INDEX net_registration_live ON net_registration (event_id, email)
    WHERE state <> 'cancelled';
