-- Up Migration

-- What Butler saw before it first asked a vendor to create something, per operation (the
-- activity's idempotency key, e.g. 'LN-000042:install:cti-agent'). Genesys Cloud has no
-- idempotency keys: a create is made safe by its natural key (user e-mail, team or skill name),
-- and an object found under that key is adopted. This row tells a retry whether the object it
-- finds is Butler's own (`create_asked`: Butler sent the create, whose answer may have been lost)
-- or was there before Butler asked (adopted, never deleted by an undo). `before` keeps the state
-- a step replaces (e.g. an adopted agent's skills), as first seen, so an undo can put it back.
CREATE TABLE vendor_create_intents (
  op_key       text PRIMARY KEY,
  natural_key  text NOT NULL,
  create_asked boolean NOT NULL,
  before       jsonb,
  recorded_at  timestamptz NOT NULL DEFAULT now()
);

-- The SIP password of a line's extension, made inside the installing activity and kept here
-- (never in a workflow history, a log or the line's state) until the SPM collects it once
-- (GET /api/v1/lines/:id/sip-credentials): the password is then wiped, who and when stay.
CREATE TABLE line_sip_credentials (
  line_id        text PRIMARY KEY,
  dn             text NOT NULL,
  domain         text NOT NULL,
  password       text CHECK (password IS NULL OR collected_at IS NULL),
  created_at     timestamptz NOT NULL DEFAULT now(),
  collected_by   text,
  collected_role text,
  collected_at   timestamptz,
  CHECK ((collected_at IS NULL) = (collected_by IS NULL))
);

-- Down Migration
DROP TABLE line_sip_credentials;
DROP TABLE vendor_create_intents;
