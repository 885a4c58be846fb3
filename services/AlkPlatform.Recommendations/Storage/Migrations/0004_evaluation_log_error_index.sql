-- Nearly every evaluation succeeds, so an index over every status spends an insert per record on entries (status 0) that
-- an "OK only" filter never needs: it reads the time index. Only failed calls are indexed now, in time order, which
-- serves "errors only" and "status = N" pages as an ordered scan of the failures alone.
DROP INDEX ix_evaluation_logs_status;
CREATE INDEX ix_evaluation_logs_errors ON evaluation_logs (occurred_at_ms) WHERE status_code <> 0;
