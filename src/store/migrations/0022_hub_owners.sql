-- 0022: who answers for a knowledge-support document's yearly review
-- (src/hub/hub_yearly.h, docs/hub.md "The yearly review").
--
-- A document's owner is the free text of its front matter ("Nationella
-- arbetsgruppen"). A signed-in user owns the documents whose owner is the
-- user's name, and those whose owner an administrator has linked to the
-- user here (knod docs owner OWNER --user NAME). One owner may be linked to
-- several users and one user to several owners.

CREATE TABLE hub_owner_user (
    owner TEXT NOT NULL,              -- a document's owner, as its front matter names it
    user_id INTEGER NOT NULL REFERENCES access_user (id),
    linked INTEGER NOT NULL,          -- kn_time
    linked_by TEXT NOT NULL,
    PRIMARY KEY (owner, user_id)
) STRICT;
CREATE INDEX hub_owner_user_user ON hub_owner_user (user_id);
