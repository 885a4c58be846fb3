-- Ask's abstentions, for the board's to-do list: one row per refused question (its evaluation_logs.seq), with why, and one
-- row per unknown term it named. Terms are masked as EvaluationLogs:Masking:unknown_terms says before they are stored.
CREATE TABLE evaluation_abstentions (
    seq            INTEGER PRIMARY KEY,
    occurred_at_ms INTEGER NOT NULL,
    guideline_id   TEXT NOT NULL,
    reason         INTEGER NOT NULL,
    -- For a qualifier or combination not covered: the concepts as asked, joined with " + "; empty otherwise.
    unanswered     TEXT NOT NULL
);

CREATE INDEX ix_evaluation_abstentions_time ON evaluation_abstentions (occurred_at_ms);
CREATE INDEX ix_evaluation_abstentions_unanswered ON evaluation_abstentions (unanswered, occurred_at_ms) WHERE unanswered <> '';

CREATE TABLE evaluation_unknown_terms (
    term           TEXT NOT NULL,
    occurred_at_ms INTEGER NOT NULL,
    seq            INTEGER NOT NULL,
    guideline_id   TEXT NOT NULL,
    PRIMARY KEY (term, occurred_at_ms, seq)
) WITHOUT ROWID;

CREATE INDEX ix_evaluation_unknown_terms_time ON evaluation_unknown_terms (occurred_at_ms);
