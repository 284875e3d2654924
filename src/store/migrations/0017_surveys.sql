-- 0017: surveys, their invitations and answers (src/survey/survey.h).
--
-- A survey is one version of a questionnaire (the JSON of
-- src/survey/survey_def.h, kept as read). Once sent, it cannot change:
-- a trigger refuses any change of its questionnaire; a changed
-- questionnaire is a new version of the same code.
--
-- An invitation is a random token; only its BLAKE2b hash is kept. In an
-- anonymous survey nothing links a token to its answer: the token keeps
-- only that it was used, a response keeps only the day it came, and
-- responses are keyed by a random number in tables without rowids, so
-- neither their stored order nor their keys follow the order of the tokens
-- or of the answers. A trigger refuses a link from a token of an anonymous
-- survey to a response.

CREATE TABLE net_survey (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    title TEXT NOT NULL,
    anonymous INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    definition TEXT NOT NULL,             -- the questionnaire's JSON
    created_on INTEGER NOT NULL,          -- kn_day
    sent_on INTEGER,                      -- kn_day of the first sending
    closed_on INTEGER,                    -- kn_day
    pre_id INTEGER REFERENCES net_survey (id), -- the survey before (pre/post)
    UNIQUE (code, version),
    CHECK (pre_id IS NULL OR pre_id <> id)
) STRICT;

CREATE TRIGGER net_survey_frozen BEFORE UPDATE OF code, version, title, anonymous,
    definition ON net_survey WHEN OLD.sent_on IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a sent survey cannot change');
END;

CREATE TABLE net_survey_sending (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES net_survey (id),
    target_kind TEXT NOT NULL CHECK (target_kind IN ('unit', 'region', 'training')),
    target TEXT NOT NULL,
    invitations INTEGER NOT NULL CHECK (invitations > 0),
    sent_on INTEGER NOT NULL              -- kn_day
) STRICT;

CREATE TABLE net_survey_response (
    id INTEGER NOT NULL PRIMARY KEY,      -- random
    survey_id INTEGER NOT NULL REFERENCES net_survey (id),
    answered_on INTEGER NOT NULL,         -- kn_day: no finer time is kept
    via TEXT NOT NULL CHECK (via IN ('portal', 'paper'))
) STRICT, WITHOUT ROWID;
CREATE INDEX net_survey_response_survey ON net_survey_response (survey_id);

CREATE TABLE net_survey_answer (
    response_id INTEGER NOT NULL REFERENCES net_survey_response (id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (response_id, question, value)
) STRICT, WITHOUT ROWID;

CREATE TABLE net_survey_token (
    hash TEXT NOT NULL PRIMARY KEY,       -- BLAKE2b-256 of the token, hex
    survey_id INTEGER NOT NULL REFERENCES net_survey (id),
    used INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1)),
    response_id INTEGER REFERENCES net_survey_response (id), -- not anonymous only
    CHECK (response_id IS NULL OR used = 1)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER net_survey_token_anonymous BEFORE UPDATE OF response_id ON net_survey_token
    WHEN NEW.response_id IS NOT NULL AND
        (SELECT anonymous FROM net_survey WHERE id = NEW.survey_id) = 1
BEGIN
    SELECT RAISE(ABORT, 'an anonymous survey links no token to an answer');
END;
