-- The draft save counter is a save number: "version" is the content's version label alone.
ALTER TABLE revisions RENAME COLUMN row_version TO save_number;
ALTER TABLE revision_saves RENAME COLUMN row_version TO save_number;
