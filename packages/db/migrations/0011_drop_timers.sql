-- Routing timers are jobs now (0010_jobs.sql; docs/architecture.md "Job catalogue"). Timers pending at
-- upgrade move over with their key, kind and time (version 1 payloads are the same shape); the
-- organisation comes from the conversation or customer they name, so dead letters stay org-scoped.
INSERT INTO jobs (key, kind, version, org_id, payload, run_at)
SELECT t.key, t.kind, 1,
       coalesce(cv.org_id, cu.org_id),
       t.payload, t.run_at
FROM timers t
LEFT JOIN conversations cv ON cv.id::text = t.payload->>'conversationId'
LEFT JOIN customers cu ON cu.id::text = t.payload->>'customerId'
ON CONFLICT (key) DO NOTHING;

DROP TABLE timers;
