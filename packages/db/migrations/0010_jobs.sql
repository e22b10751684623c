-- Jobs as data (docs/architecture.md "Jobs"): one row per scheduled job, created in the transaction
-- of the change that needs it. A job with a key is unique per key (timers: re-scheduling moves it).
-- Runners claim per kind with SKIP LOCKED under a lease; failures retry with backoff and end `dead`
-- (shown with the outbox dead letters, replayable).
CREATE TABLE jobs (
  id bigserial PRIMARY KEY,
  key text UNIQUE,
  kind text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  org_id uuid,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'dead')),
  run_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_error text,
  dead_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_due_idx ON jobs (kind, run_at) WHERE status = 'pending';
CREATE INDEX jobs_dead_idx ON jobs (org_id, dead_at) WHERE status = 'dead';
