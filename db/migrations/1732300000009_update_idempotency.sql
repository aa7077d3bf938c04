-- Up Migration

-- An Idempotency-Key on an Update of an existing resource (a transition, a note, an approval…)
-- is kept under scope 'update', keyed per resource, with the first answer: a retry with the same
-- key and request gets exactly that answer. NULL while the first request has no answer yet (it
-- timed out): a retry then sends the same Temporal Update id and Temporal returns its outcome.
-- `json`, not `jsonb`: the answer is given back as it was written, keys in their order.
ALTER TABLE idempotency_keys ADD COLUMN response json;

-- Down Migration
ALTER TABLE idempotency_keys DROP COLUMN response;
