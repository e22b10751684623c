-- Drill runs started from the web app, kept in the database so every instance can list them, a
-- restart does not lose their summary and report, and two instances cannot start two drills at once.
CREATE TABLE drill_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  drill_org_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
  -- The instance running the simulator child process; it refreshes heartbeat_at while it runs.
  instance_id text NOT NULL,
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  supervisor_email text NOT NULL,
  settings jsonb NOT NULL,
  progress jsonb,
  summary jsonb,
  error text,
  report_html text,
  started_by uuid REFERENCES users(id) ON DELETE SET NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
-- One running drill per organisation, also when two instances are asked at once.
CREATE UNIQUE INDEX drill_runs_one_running ON drill_runs (org_id) WHERE status = 'running';
CREATE INDEX drill_runs_org_idx ON drill_runs (org_id, started_at DESC);
