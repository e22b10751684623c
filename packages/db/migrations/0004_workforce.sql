-- Workforce planning: volume histories, plans with immutable versions, roster assignments.

-- An imported volume history (CSV/XLSX `timestamp,count`), stored whole: an import is one row or nothing.
CREATE TABLE workforce_histories (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  store_id uuid REFERENCES stores(id) ON DELETE CASCADE,
  group_id uuid REFERENCES skill_groups(id) ON DELETE CASCADE,
  name text NOT NULL,
  file_name text NOT NULL,
  -- UTC offset of the file's timestamps (minutes); NULL = they carried none (local wall clock).
  offset_minutes integer,
  -- [[wall-clock ms, count], …] sorted by time (the engine's wall-clock convention).
  points jsonb NOT NULL,
  point_count integer NOT NULL,
  total_count double precision NOT NULL,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workforce_histories_org_idx ON workforce_histories (org_id, created_at);

CREATE TABLE workforce_plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  store_id uuid REFERENCES stores(id) ON DELETE CASCADE,
  group_id uuid REFERENCES skill_groups(id) ON DELETE SET NULL,
  name text NOT NULL,
  dates text[] NOT NULL DEFAULT '{}',
  latest_version integer NOT NULL DEFAULT 0,
  -- The version agents see in 我的班次; NULL until a planner publishes one.
  published_version integer,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workforce_plans_org_idx ON workforce_plans (org_id, updated_at);

-- Each save is a new immutable version holding its settings and everything computed from them.
CREATE TABLE workforce_plan_versions (
  plan_id uuid NOT NULL REFERENCES workforce_plans(id) ON DELETE CASCADE,
  version integer NOT NULL CHECK (version >= 1),
  org_id uuid NOT NULL,
  note text NOT NULL DEFAULT '',
  settings jsonb NOT NULL,
  -- {method, backtest, intervals: [{start, forecast, agents, required, scheduled, …}]}
  result jsonb NOT NULL,
  schedule jsonb NOT NULL,
  roster jsonb NOT NULL,
  forecast_total double precision NOT NULL,
  peak_required integer NOT NULL,
  schedule_status text NOT NULL,
  cost double precision NOT NULL,
  shift_count integer NOT NULL,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (plan_id, version)
);

-- The roster of a version, one row per agent shift, so "my shifts" is an indexed lookup.
CREATE TABLE workforce_assignments (
  id bigserial PRIMARY KEY,
  org_id uuid NOT NULL,
  plan_id uuid NOT NULL,
  version integer NOT NULL,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  shift_type text NOT NULL,
  start_at timestamptz NOT NULL,
  end_at timestamptz NOT NULL,
  FOREIGN KEY (plan_id, version) REFERENCES workforce_plan_versions(plan_id, version) ON DELETE CASCADE
);
CREATE INDEX workforce_assignments_user_idx ON workforce_assignments (user_id, start_at);
CREATE INDEX workforce_assignments_plan_idx ON workforce_assignments (plan_id, version);

-- Intraday actuals count `conversation.created` facts per store/group and interval.
CREATE INDEX facts_org_kind_store_idx ON facts (org_id, kind, store_id, at);
