-- Facts carry the store's platform (taobao, jd, pdd, douyin, …) so reports cut by it without a join,
-- and the version of their data schema (packages/contracts/src/facts.ts), as outbox events do. Rows
-- written before this were version 1; their platform is filled from their store.
ALTER TABLE facts ADD COLUMN platform text;
ALTER TABLE facts ADD COLUMN version smallint NOT NULL DEFAULT 1;
UPDATE facts SET platform = s.platform FROM stores s WHERE s.id = facts.store_id;
