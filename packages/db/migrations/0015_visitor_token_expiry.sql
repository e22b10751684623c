-- Visitor tokens (the widget's credential) expire and can be revoked (docs/security.md "Visitor
-- tokens"). A token carries when it was minted; the expiry is that plus PEAKDESK_VISITOR_TOKEN_TTL_DAYS.
-- Revoking sets this column: every token of the customer minted at or before it is refused.
ALTER TABLE customers ADD COLUMN visitor_tokens_revoked_at timestamptz;
