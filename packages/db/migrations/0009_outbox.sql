-- Transactional outbox (docs/architecture.md "Outbox"): every domain event is written in the
-- transaction of its change. The dispatcher moves committed rows (SKIP LOCKED, so once across
-- instances) into one delivery row per interested durable listener and deletes them from the outbox;
-- each listener claims only its own deliveries, so a slow or failing listener holds back no other.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  org_id uuid,
  name text NOT NULL,
  version integer NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per (listener, event) until the listener handled it; retried with backoff, `dead` after
-- the listener's last attempt (the admin dead-letter list, replayable).
CREATE TABLE outbox_deliveries (
  listener text NOT NULL,
  event_id bigint NOT NULL,
  org_id uuid,
  name text NOT NULL,
  version integer NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  run_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  last_error text,
  dead_at timestamptz,
  PRIMARY KEY (listener, event_id)
);
CREATE INDEX outbox_deliveries_due_idx ON outbox_deliveries (listener, run_at) WHERE status = 'pending';
CREATE INDEX outbox_deliveries_dead_idx ON outbox_deliveries (org_id, dead_at) WHERE status = 'dead';

-- Processed markers: a listener's effect and its marker commit together, so a redelivered event
-- (lease expired on a slow instance, crash before the delivery was deleted, replay) is skipped.
CREATE TABLE outbox_processed (
  listener text NOT NULL,
  event_id bigint NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (listener, event_id)
);
