-- The portal's content store: guidelines, their revisions, reviews, approvals, releases, the live pointer and the audit trail.
CREATE TABLE guidelines (
    guideline_id TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    retired_at   TEXT,
    retired_reason TEXT
);

CREATE TABLE revisions (
    guideline_id      TEXT NOT NULL REFERENCES guidelines (guideline_id),
    revision_number   INTEGER NOT NULL,
    state             TEXT NOT NULL,
    content           BLOB NOT NULL,
    content_hash      TEXT NOT NULL,
    submitted_hash    TEXT,
    based_on          INTEGER,
    author_id         TEXT NOT NULL,
    author_name       TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    row_version       INTEGER NOT NULL,
    last_saved_by_id  TEXT NOT NULL,
    last_saved_by_name TEXT NOT NULL,
    last_saved_at     TEXT NOT NULL,
    state_changed_at  TEXT NOT NULL,
    scheduled_go_live TEXT,
    PRIMARY KEY (guideline_id, revision_number)
);

-- Every save of a draft, so a stale save can be told who changed what since, and editors can't approve their own work.
CREATE TABLE revision_saves (
    guideline_id    TEXT NOT NULL,
    revision_number INTEGER NOT NULL,
    row_version     INTEGER NOT NULL,
    saved_by_id     TEXT NOT NULL,
    saved_by_name   TEXT NOT NULL,
    saved_at        TEXT NOT NULL,
    content         BLOB NOT NULL,
    PRIMARY KEY (guideline_id, revision_number, row_version),
    FOREIGN KEY (guideline_id, revision_number) REFERENCES revisions (guideline_id, revision_number)
);

CREATE TABLE review_comments (
    comment_id        INTEGER PRIMARY KEY AUTOINCREMENT,
    guideline_id      TEXT NOT NULL,
    revision_number   INTEGER NOT NULL,
    statement_id      TEXT,
    parent_id         INTEGER REFERENCES review_comments (comment_id),
    author_id         TEXT NOT NULL,
    author_name       TEXT NOT NULL,
    text              TEXT NOT NULL,
    is_change_request INTEGER NOT NULL,
    created_at        TEXT NOT NULL,
    resolved_by_id    TEXT,
    resolved_by_name  TEXT,
    resolved_at       TEXT,
    FOREIGN KEY (guideline_id, revision_number) REFERENCES revisions (guideline_id, revision_number)
);

CREATE TABLE approvals (
    guideline_id      TEXT NOT NULL,
    revision_number   INTEGER NOT NULL,
    approver_id       TEXT NOT NULL,
    approver_name     TEXT NOT NULL,
    approved_at       TEXT NOT NULL,
    signature_meaning TEXT NOT NULL,
    content_hash      TEXT NOT NULL,
    PRIMARY KEY (guideline_id, revision_number, approver_id),
    FOREIGN KEY (guideline_id, revision_number) REFERENCES revisions (guideline_id, revision_number)
);

-- Immutable once written: the trigger below refuses updates.
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
    UNIQUE (guideline_id, revision_number),
    FOREIGN KEY (guideline_id, revision_number) REFERENCES revisions (guideline_id, revision_number)
);

CREATE TRIGGER releases_immutable BEFORE UPDATE ON releases
BEGIN
    SELECT RAISE(ABORT, 'releases are immutable');
END;

CREATE TABLE live_releases (
    guideline_id TEXT PRIMARY KEY REFERENCES guidelines (guideline_id),
    release_id   TEXT NOT NULL REFERENCES releases (release_id),
    since        TEXT NOT NULL
);

CREATE TABLE audit_entries (
    sequence        INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    actor_id        TEXT NOT NULL,
    actor_name      TEXT NOT NULL,
    action          TEXT NOT NULL,
    guideline_id    TEXT NOT NULL,
    revision_number INTEGER,
    content_hash    TEXT,
    reason          TEXT,
    previous_hash   TEXT NOT NULL,
    entry_hash      TEXT NOT NULL
);

-- The chain's head, kept apart so a deleted tail entry is noticed too.
CREATE TABLE audit_head (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    sequence   INTEGER NOT NULL,
    entry_hash TEXT NOT NULL
);
