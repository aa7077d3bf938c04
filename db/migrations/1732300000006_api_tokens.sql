-- Up Migration

-- API tokens issued by an admin (npm run tokens). Only the sha256 of the secret is kept:
-- a copy of this table lets nobody call the API. The public id names a token in lists,
-- in the audit log and when revoking it. A revoked row stays, so the history of who
-- could do what is kept; issue/revoke themselves are in audit_log.
CREATE TABLE api_tokens (
  id            text PRIMARY KEY CHECK (id ~ '^tok_[0-9a-f]{10}$'),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  role          text NOT NULL CHECK (role IN ('admin', 'spm', 'engineer', 'auditor', 'automation')),
  token_sha256  text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text NOT NULL,
  revoked_at    timestamptz,
  revoked_by    text,
  last_used_at  timestamptz,
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

-- Revocation is final and a token's identity never changes: only its revocation and
-- last use may be written, and a revoked row not at all (so no UPDATE can bring it back).
CREATE FUNCTION api_tokens_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.revoked_at IS NOT NULL
     OR (NEW.id, NEW.name, NEW.role, NEW.token_sha256, NEW.created_at, NEW.created_by)
        IS DISTINCT FROM (OLD.id, OLD.name, OLD.role, OLD.token_sha256, OLD.created_at, OLD.created_by) THEN
    RAISE EXCEPTION 'api_tokens %: only revocation and last use may change, and a revoked token not at all', OLD.id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER api_tokens_guard BEFORE UPDATE ON api_tokens FOR EACH ROW EXECUTE FUNCTION api_tokens_guard();

-- Down Migration
DROP TABLE api_tokens;
DROP FUNCTION api_tokens_guard();
