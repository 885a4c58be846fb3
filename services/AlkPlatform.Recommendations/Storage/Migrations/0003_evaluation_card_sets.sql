-- Evaluations return a handful of distinct sets of cards per release. Each set is stored once, with one member row per
-- card, and every log row points to its set: one index entry per evaluation instead of one row per returned card
-- (issue 6: the per-card rows were the largest single cost of committing a log record).
CREATE TABLE evaluation_card_sets (
    card_set_id INTEGER PRIMARY KEY,
    cards_json  TEXT NOT NULL UNIQUE
);

-- "Which sets contain card X": the key starts with the card.
CREATE TABLE evaluation_card_set_members (
    card_id     TEXT NOT NULL,
    card_set_id INTEGER NOT NULL REFERENCES evaluation_card_sets (card_set_id),
    severity    INTEGER NOT NULL,
    PRIMARY KEY (card_id, card_set_id)
) WITHOUT ROWID;

-- 0: the evaluation returned no cards.
ALTER TABLE evaluation_logs ADD COLUMN card_set_id INTEGER NOT NULL DEFAULT 0;

-- Records written before this migration get their sets from their own cards_json.
INSERT INTO evaluation_card_sets (cards_json)
SELECT DISTINCT cards_json FROM evaluation_logs WHERE cards_json <> '[]';

INSERT OR IGNORE INTO evaluation_card_set_members (card_id, card_set_id, severity)
SELECT json_extract(c.value, '$.id'), s.card_set_id, json_extract(c.value, '$.severity')
FROM evaluation_card_sets s, json_each(s.cards_json) c;

UPDATE evaluation_logs
SET card_set_id = (SELECT s.card_set_id FROM evaluation_card_sets s WHERE s.cards_json = evaluation_logs.cards_json)
WHERE cards_json <> '[]';

-- A card filter reads each set containing the card in keyset order on this index and merges the pages.
CREATE INDEX ix_evaluation_logs_card_set ON evaluation_logs (card_set_id, occurred_at_ms);

DROP TABLE evaluation_log_cards;
