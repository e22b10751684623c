-- Surge routing: entry rules, lanes, strategies, agent presence, queue overflow, no-reply
-- reassignment, business hours, durable timers, leave-a-message placeholders.

-- Per-group routing settings (NULL limits mean "off").
ALTER TABLE skill_groups
  ADD COLUMN strategy text NOT NULL DEFAULT 'least_busy' CHECK (strategy IN ('least_busy', 'sticky', 'round_robin')),
  ADD COLUMN sticky_days integer NOT NULL DEFAULT 7 CHECK (sticky_days BETWEEN 1 AND 365),
  ADD COLUMN max_wait_seconds integer CHECK (max_wait_seconds BETWEEN 1 AND 86400),
  ADD COLUMN overflow_action text NOT NULL DEFAULT 'none'
    CHECK (overflow_action IN ('none', 'reserve_group', 'leave_message', 'bot')),
  ADD COLUMN overflow_group_id uuid REFERENCES skill_groups(id) ON DELETE SET NULL,
  ADD COLUMN no_reply_seconds integer CHECK (no_reply_seconds BETWEEN 1 AND 86400),
  ADD COLUMN pause_after_misses integer CHECK (pause_after_misses BETWEEN 1 AND 100),
  ADD COLUMN service_level_seconds integer NOT NULL DEFAULT 30 CHECK (service_level_seconds BETWEEN 1 AND 3600),
  ADD COLUMN alert_queue_length integer CHECK (alert_queue_length >= 1),
  ADD COLUMN alert_wait_seconds integer CHECK (alert_wait_seconds >= 1),
  ADD COLUMN timezone text NOT NULL DEFAULT 'Asia/Shanghai',
  -- NULL = always open; else {weekly: {"1": [{start, end}]}, holidays: [date], specialDays: [{date, periods}]}.
  ADD COLUMN business_hours jsonb,
  ADD COLUMN after_hours_action text NOT NULL DEFAULT 'queue'
    CHECK (after_hours_action IN ('queue', 'group', 'leave_message', 'bot')),
  ADD COLUMN after_hours_group_id uuid REFERENCES skill_groups(id) ON DELETE SET NULL;

-- Round robin rotates over members by when each last got a chat from this group.
ALTER TABLE group_members ADD COLUMN last_assigned_at timestamptz;

-- 'away' = was online/paused but has had no socket on any instance for the grace period.
ALTER TABLE users DROP CONSTRAINT users_status_check;
ALTER TABLE users ADD CONSTRAINT users_status_check CHECK (status IN ('online', 'paused', 'offline', 'away'));
ALTER TABLE users ADD COLUMN missed_replies integer NOT NULL DEFAULT 0;

-- Hooks other modules set: buyer tier (VIP list sync) and a risk flag (quality inspection).
ALTER TABLE customers
  ADD COLUMN tier text NOT NULL DEFAULT 'normal' CHECK (tier IN ('normal', 'vip')),
  ADD COLUMN risk_flag boolean NOT NULL DEFAULT false;

ALTER TABLE conversations
  -- The queued_at the entry rules were evaluated for: a new queue entry (open, reopen, hand-off) is
  -- classified again; a requeue (no reply, agent away, transfer) keeps its lane and place.
  ADD COLUMN routed_for timestamptz,
  ADD COLUMN routing_rule_id uuid,
  ADD COLUMN estimated_wait_seconds integer,
  -- Set by the customer's first message since the last agent reply (in the message insert itself).
  ADD COLUMN awaiting_agent_since timestamptz,
  -- The agent who last lost this chat for not replying is not offered it again.
  ADD COLUMN missed_agent_id uuid;
CREATE INDEX conversations_group_queued_at_idx ON conversations (group_id, queued_at);

-- Entry rules per store, evaluated in position order; the first enabled match decides.
CREATE TABLE routing_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  store_id uuid NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
  position integer NOT NULL DEFAULT 0,
  name text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  -- {entries?, tiers?, buyerIds?, keywords?, hasOpenTicket?, riskFlag?}; all given conditions must hold.
  conditions jsonb NOT NULL DEFAULT '{}'::jsonb,
  group_id uuid REFERENCES skill_groups(id) ON DELETE CASCADE,
  lane text NOT NULL DEFAULT 'normal' CHECK (lane IN ('normal', 'vip', 'risk')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX routing_rules_store_idx ON routing_rules (store_id, position);

-- Agent presence across instances: each instance refreshes last_seen_at of its connected agents.
CREATE TABLE agent_presence (
  user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  -- Status to restore when an away agent reconnects.
  away_from text
);

-- Durable timers: polled with SKIP LOCKED by every instance; a claimed timer is leased, not deleted,
-- so a crash mid-handler lets another instance run it after the lease.
CREATE TABLE timers (
  id bigserial PRIMARY KEY,
  key text NOT NULL UNIQUE,
  kind text NOT NULL,
  run_at timestamptz NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  locked_until timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX timers_due_idx ON timers (run_at);

-- Leave-a-message records; the tickets module will own them (and answer the open-ticket check).
CREATE TABLE ticket_placeholders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  store_id uuid NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  conversation_id uuid REFERENCES conversations(id) ON DELETE SET NULL,
  kind text NOT NULL DEFAULT 'leave_message',
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  note text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_placeholders_customer_idx ON ticket_placeholders (customer_id) WHERE status = 'open';
