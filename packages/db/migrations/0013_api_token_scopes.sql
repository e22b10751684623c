-- API tokens get scopes, an optional expiry and the token that minted them (docs/security.md "API
-- tokens"). Tokens minted before this keep the power they had: every scope (admin includes the others).
-- Revoking a token revokes the tokens it minted, and theirs: created_by_token_id is that tree.
ALTER TABLE api_tokens ADD COLUMN scopes text[] NOT NULL DEFAULT ARRAY['read', 'integration', 'admin']
  CHECK (scopes <@ ARRAY['read', 'integration', 'admin'] AND cardinality(scopes) > 0);
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
ALTER TABLE api_tokens ADD COLUMN created_by_token_id uuid REFERENCES api_tokens(id) ON DELETE SET NULL;
CREATE INDEX api_tokens_created_by_idx ON api_tokens (created_by_token_id)
  WHERE created_by_token_id IS NOT NULL;
