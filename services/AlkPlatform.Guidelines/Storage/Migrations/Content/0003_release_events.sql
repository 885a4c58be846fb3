-- Every event that changed what is served (release, rollback, retirement), signed by the portal in the transaction that
-- made the change. The envelope bytes are exactly what was signed; services hold the same bytes.
CREATE TABLE release_events (
    guideline_id TEXT NOT NULL REFERENCES guidelines (guideline_id),
    sequence     INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('release', 'rollback', 'retirement')),
    release_id   TEXT NOT NULL,
    envelope     BLOB NOT NULL,
    key_id       TEXT NOT NULL,
    signature    BLOB NOT NULL,
    signed_at    TEXT NOT NULL,
    PRIMARY KEY (guideline_id, sequence)
);

-- Immutable and append-only, like releases: a signed event is history.
CREATE TRIGGER release_events_immutable BEFORE UPDATE ON release_events
BEGIN
    SELECT RAISE(ABORT, 'signed release events are immutable');
END;

CREATE TRIGGER release_events_append_only BEFORE DELETE ON release_events
BEGIN
    SELECT RAISE(ABORT, 'signed release events are never deleted');
END;
