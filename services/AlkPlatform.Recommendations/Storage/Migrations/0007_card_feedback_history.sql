-- Every feedback submission, kept: a later one on the same evaluation and card no longer overwrites the earlier one;
-- summaries count the latest per evaluation and card. Rows are never updated (the trigger refuses); they leave only
-- through retention. The caller is the verified app that received the evaluation.
CREATE TABLE card_feedback_history (
    feedback_id          INTEGER PRIMARY KEY,
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
    caller_name          TEXT NOT NULL,
    claimed_caller       TEXT NOT NULL,
    submitted_at_ms      INTEGER NOT NULL
);

-- "The latest per evaluation and card": the highest feedback_id of each pair, read from this index alone.
CREATE INDEX ix_card_feedback_history_card ON card_feedback_history (evaluation_id, card_id, feedback_id);
CREATE INDEX ix_card_feedback_history_release ON card_feedback_history (release_id, submitted_at_ms);
CREATE INDEX ix_card_feedback_history_time ON card_feedback_history (submitted_at_ms);

CREATE TRIGGER card_feedback_history_no_update BEFORE UPDATE ON card_feedback_history
BEGIN
    SELECT RAISE(ABORT, 'card_feedback_history is append-only');
END;

-- The feedback kept so far (the latest per evaluation and card) becomes the first entry of each history; its caller was
-- only the x-client-app header, so it is a claimed label.
INSERT INTO card_feedback_history (evaluation_id, card_id, guideline_id, release_id, rule_ids, outcome, override_reason_code,
                                   comment, masked_fields, caller, caller_name, claimed_caller, submitted_at_ms)
SELECT evaluation_id, card_id, guideline_id, release_id, rule_ids, outcome, override_reason_code,
       comment, masked_fields, '', '', caller, submitted_at_ms
FROM card_feedback ORDER BY submitted_at_ms;

DROP TABLE card_feedback;
