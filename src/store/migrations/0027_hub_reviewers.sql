-- 0027: the named reviewers of a knowledge-support document's internal
-- review (issue 14; docs/hub.md, The workflow): users of the portal named
-- by the owner or an administrator (knod docs reviewer, the workflow page),
-- in draft, review or revision. Anyone signed in may still comment; the
-- named reviewers are those asked to, and the pages show whether each has
-- commented on the current version.

CREATE TABLE hub_reviewer (
    document_id INTEGER NOT NULL REFERENCES hub_document (id),
    user_name TEXT NOT NULL,
    named_by TEXT NOT NULL,
    named_at INTEGER NOT NULL,
    PRIMARY KEY (document_id, user_name)
) STRICT;
