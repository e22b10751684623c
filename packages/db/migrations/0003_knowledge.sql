-- Knowledge base (FAQ, articles), bot settings per store, bot state per conversation, unanswered questions.

-- FAQ ids are the merchant's own (the `id` column of the import file), unique per organisation.
CREATE TABLE faq_entries (
  org_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  id text NOT NULL,
  -- NULL = every store of the organisation.
  store_id uuid REFERENCES stores(id) ON DELETE CASCADE,
  category text NOT NULL DEFAULT '',
  question text NOT NULL,
  similar_questions text[] NOT NULL DEFAULT '{}',
  answer text NOT NULL,
  images text[] NOT NULL DEFAULT '{}',
  -- [{title, url}], http(s) only (checked on write).
  links jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- The reply script (快捷回复) agents use for the same topic: linked, not copied.
  quick_reply_id uuid REFERENCES quick_replies(id) ON DELETE SET NULL,
  valid_from timestamptz,
  valid_to timestamptz,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from < valid_to)
);

CREATE TABLE kb_articles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  store_id uuid REFERENCES stores(id) ON DELETE CASCADE,
  category text NOT NULL DEFAULT '',
  title text NOT NULL,
  body text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kb_articles_org_idx ON kb_articles (org_id);

-- Bumped in the transaction of every knowledge change; each instance rebuilds its matcher when the
-- version it built from is behind (works across instances without extra infrastructure).
CREATE TABLE knowledge_versions (
  org_id uuid PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
  version bigint NOT NULL DEFAULT 0
);

-- No row = human first (the foundation behaviour).
CREATE TABLE bot_settings (
  store_id uuid PRIMARY KEY REFERENCES stores(id) ON DELETE CASCADE,
  org_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  mode text NOT NULL DEFAULT 'human_first' CHECK (mode IN ('bot_first', 'human_first', 'bot_outside_hours')),
  -- Business hours in the store's timezone: the bot serves outside them in bot_outside_hours mode.
  timezone text NOT NULL DEFAULT 'Asia/Shanghai',
  hours_start text NOT NULL DEFAULT '09:00',
  hours_end text NOT NULL DEFAULT '23:00',
  work_days integer[] NOT NULL DEFAULT '{1,2,3,4,5,6,7}',
  max_unanswered integer NOT NULL DEFAULT 2 CHECK (max_unanswered BETWEEN 1 AND 10),
  handoff_on_risk boolean NOT NULL DEFAULT true,
  -- VIP buyers (customers.tier, set by routing's flags) skip the bot.
  vip_to_human boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per conversation the bot served: turn counters and, after hand-off, why and the topic.
CREATE TABLE bot_conversations (
  conversation_id uuid PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
  org_id uuid NOT NULL,
  turns integer NOT NULL DEFAULT 0,
  answered integer NOT NULL DEFAULT 0,
  unanswered_in_row integer NOT NULL DEFAULT 0,
  topic_faq_id text,
  topic text,
  handoff_reason text,
  handed_off_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Questions from real chats the bot declined; admins turn them into FAQs.
CREATE TABLE bot_unanswered (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  store_id uuid REFERENCES stores(id) ON DELETE CASCADE,
  conversation_id uuid REFERENCES conversations(id) ON DELETE SET NULL,
  question text NOT NULL,
  top_faq_id text,
  score real NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bot_unanswered_org_idx ON bot_unanswered (org_id, status, created_at DESC);
