-- 0028: who made a survey in the portal (issue 15; docs/network.md, Surveys
-- in the portal): the user's name. The route rule @survey lets that user or
-- an administrator edit, send, close and link it. NULL: made by `knod survey
-- create` at a terminal (administrators change it in the portal).

ALTER TABLE net_survey ADD COLUMN created_by TEXT;
