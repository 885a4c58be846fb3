-- Every signed feed event this service verified and activated, exactly as received (envelope bytes, key id, signature),
-- oldest first. Append-only: the triggers refuse any change, so the record anchors the portal's audit chain.
CREATE TABLE release_activations (
    activation_id   INTEGER PRIMARY KEY,
    guideline_id    TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('release', 'rollback', 'retirement')),
    release_id      TEXT NOT NULL,
    revision_number INTEGER NOT NULL,
    sequence        INTEGER NOT NULL,
    key_id          TEXT NOT NULL,
    envelope        BLOB NOT NULL,
    signature       BLOB NOT NULL,
    activated_at    TEXT NOT NULL
);

CREATE INDEX ix_release_activations_guideline ON release_activations (guideline_id, activation_id);

CREATE TRIGGER release_activations_no_update BEFORE UPDATE ON release_activations
BEGIN
    SELECT RAISE(ABORT, 'release_activations is append-only');
END;

CREATE TRIGGER release_activations_no_delete BEFORE DELETE ON release_activations
BEGIN
    SELECT RAISE(ABORT, 'release_activations is append-only');
END;

-- The active signed event of each guideline, retired ones included: what is served after a restart (once it verifies
-- again under the keys trusted then) and what the next event must be newer than.
CREATE TABLE active_release_events (
    guideline_id  TEXT PRIMARY KEY,
    activation_id INTEGER NOT NULL REFERENCES release_activations (activation_id)
);

-- The unsigned pointers they replace: a release activated before events were signed is not served again; the feed's
-- snapshot brings its signed successor.
DROP TABLE active_releases;
DROP TABLE retired_guidelines;
