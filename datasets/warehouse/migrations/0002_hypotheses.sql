-- The primary hypotheses declared in mingdeng.yaml, one row per distinct list (by hash), with
-- the time a command first saw it. The time is written once and never updated, so re-running a
-- command cannot move it: a report can tell a list declared before the data's last ingest from
-- one changed after it.
CREATE TABLE _hypotheses (
	hash VARCHAR PRIMARY KEY,
	declared JSON NOT NULL,
	first_seen TIMESTAMP NOT NULL
);
