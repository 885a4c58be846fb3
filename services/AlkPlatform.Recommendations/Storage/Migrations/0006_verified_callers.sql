-- The caller of a logged call is the app its token proved (azp, else appid), with its display name; what the
-- x-client-app header says is kept only as a claimed label. Rows written before this held the header in `caller`: it
-- moves to `claimed_caller`, and their verified caller stays empty, because nobody verified it.
ALTER TABLE evaluation_logs ADD COLUMN caller_name TEXT NOT NULL DEFAULT '';
ALTER TABLE evaluation_logs ADD COLUMN claimed_caller TEXT NOT NULL DEFAULT '';
-- The gRPC method: refused calls of any RPC are logged too, not only evaluations.
ALTER TABLE evaluation_logs ADD COLUMN rpc TEXT NOT NULL DEFAULT '';
-- For refused calls: what was presented, masked (never the token).
ALTER TABLE evaluation_logs ADD COLUMN credential TEXT NOT NULL DEFAULT '';

UPDATE evaluation_logs SET claimed_caller = caller, caller = '' WHERE caller <> '';
