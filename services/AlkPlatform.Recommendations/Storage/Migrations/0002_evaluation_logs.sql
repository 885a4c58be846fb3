-- One row per evaluation (Recommend, Ask, GetGuideline), committed before the answer leaves the service.
-- Times are Unix milliseconds (UTC) so range filters and per-minute buckets are integer arithmetic.
CREATE TABLE evaluation_logs (
    seq             INTEGER PRIMARY KEY,
    evaluation_id   TEXT NOT NULL UNIQUE,
    occurred_at_ms  INTEGER NOT NULL,
    method          INTEGER NOT NULL,
    caller          TEXT NOT NULL,
    guideline_id    TEXT NOT NULL,
    release_id      TEXT NOT NULL,
    revision_number INTEGER NOT NULL,
    content_hash    TEXT NOT NULL,
    audience        INTEGER NOT NULL,
    input_json      TEXT NOT NULL,
    cards_json      TEXT NOT NULL,
    rules_fired     TEXT NOT NULL,
    missing_facts   TEXT NOT NULL,
    severity_mask   INTEGER NOT NULL,
    status_code     INTEGER NOT NULL,
    status_message  TEXT NOT NULL,
    latency_us      INTEGER NOT NULL,
    trace_id        TEXT NOT NULL,
    masked_fields   TEXT NOT NULL
);

-- Every ops filter is "X within a time range, newest first": each index ends in the time (and, implicitly, the rowid),
-- so a filtered page is an index range scan in keyset order.
CREATE INDEX ix_evaluation_logs_time ON evaluation_logs (occurred_at_ms);
CREATE INDEX ix_evaluation_logs_caller ON evaluation_logs (caller, occurred_at_ms);
CREATE INDEX ix_evaluation_logs_guideline ON evaluation_logs (guideline_id, occurred_at_ms);
CREATE INDEX ix_evaluation_logs_release ON evaluation_logs (release_id, occurred_at_ms);
CREATE INDEX ix_evaluation_logs_status ON evaluation_logs (status_code, occurred_at_ms);

-- The cards of each answered evaluation, keyed for "which evaluations returned card X" and per-card aggregates.
CREATE TABLE evaluation_log_cards (
    card_id        TEXT NOT NULL,
    occurred_at_ms INTEGER NOT NULL,
    seq            INTEGER NOT NULL,
    severity       INTEGER NOT NULL,
    PRIMARY KEY (card_id, occurred_at_ms, seq)
) WITHOUT ROWID;

-- Clinicians' feedback on a card (CDS Hooks style); the latest per evaluation and card counts.
CREATE TABLE card_feedback (
    evaluation_id        TEXT NOT NULL,
    card_id              TEXT NOT NULL,
    guideline_id         TEXT NOT NULL,
    release_id           TEXT NOT NULL,
    rule_ids             TEXT NOT NULL,
    outcome              INTEGER NOT NULL,
    override_reason_code TEXT NOT NULL,
    comment              TEXT NOT NULL,
    masked_fields        TEXT NOT NULL,
    caller               TEXT NOT NULL,
    submitted_at_ms      INTEGER NOT NULL,
    PRIMARY KEY (evaluation_id, card_id)
);

CREATE INDEX ix_card_feedback_release ON card_feedback (release_id, submitted_at_ms);
CREATE INDEX ix_card_feedback_time ON card_feedback (submitted_at_ms);
