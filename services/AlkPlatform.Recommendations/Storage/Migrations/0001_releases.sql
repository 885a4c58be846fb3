-- Releases the recommendation service has received and verified; the active one per guideline is what it serves.
CREATE TABLE releases (
    release_id        TEXT PRIMARY KEY,
    guideline_id      TEXT NOT NULL,
    revision_number   INTEGER NOT NULL,
    version_label     TEXT NOT NULL,
    content_hash      TEXT NOT NULL,
    canonical_content BLOB NOT NULL,
    approved_at       TEXT NOT NULL,
    published_at      TEXT NOT NULL,
    approval_basis    TEXT NOT NULL,
    approvals_json    TEXT NOT NULL,
    received_at       TEXT NOT NULL
);

CREATE TABLE active_releases (
    guideline_id TEXT PRIMARY KEY,
    release_id   TEXT NOT NULL REFERENCES releases (release_id),
    activated_at TEXT NOT NULL
);

CREATE TABLE retired_guidelines (
    guideline_id TEXT PRIMARY KEY,
    reason       TEXT NOT NULL,
    retired_at   TEXT NOT NULL
);
