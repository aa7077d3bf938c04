-- Up Migration

-- Issue 16: carriers' monthly bills and their reconciliation.

-- How each carrier names its bill columns: data an admin edits, every save a new version
-- (a bill names the version it was read with).
CREATE TABLE bill_profiles (
  carrier   text NOT NULL,
  version   integer NOT NULL,
  profile   jsonb NOT NULL,
  saved_by  text NOT NULL,
  saved_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (carrier, version)
);

-- The reconciliation's thresholds (usage spike, fee tolerance), versioned the same way.
CREATE TABLE reconciliation_rule_sets (
  version   serial PRIMARY KEY,
  rules     jsonb NOT NULL,
  saved_by  text NOT NULL,
  saved_at  timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE bill_number_seq;

-- One row per uploaded bill; `state` is the bill workflow's BillState, written by its projection.
CREATE TABLE bills (
  id            text PRIMARY KEY,
  carrier       text NOT NULL,
  month         text NOT NULL CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  due_date      date NOT NULL,
  sha256        text NOT NULL,
  file_name     text,
  status        text NOT NULL CHECK (status IN ('RECONCILING','AWAITING_REVIEW','APPROVED','PAID','WITHDRAWN','FAILED')),
  line_count    integer NOT NULL,
  total_krw     bigint NOT NULL,
  state         jsonb NOT NULL,
  -- The history length the row reflects; a projection only moves it forward (0: the upload, before the workflow wrote it).
  version       integer NOT NULL,
  requested_at  timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
-- The same file is not taken twice, and a carrier has one bill per month, unless it was withdrawn.
CREATE UNIQUE INDEX bills_live_sha256_idx ON bills (sha256) WHERE status NOT IN ('WITHDRAWN','FAILED');
CREATE UNIQUE INDEX bills_live_carrier_month_idx ON bills (carrier, month) WHERE status NOT IN ('WITHDRAWN','FAILED');
CREATE INDEX bills_month_idx ON bills (month);
-- The console's bill pages follow the bill as the SPM and the workflow move it (see migration 17).
CREATE TRIGGER bills_announce AFTER INSERT OR UPDATE ON bills FOR EACH ROW EXECUTE FUNCTION butler_announce_read_model('bill');

-- The bill's lines as the carrier's profile read them (amounts in KRW; discount subtracted).
CREATE TABLE bill_lines (
  bill_id     text NOT NULL REFERENCES bills (id) ON DELETE CASCADE,
  row_no      integer NOT NULL,
  number      text NOT NULL,
  base_fee    bigint NOT NULL,
  usage_fee   bigint NOT NULL,
  add_on_fee  bigint NOT NULL,
  discount    bigint NOT NULL,
  total       bigint NOT NULL,
  PRIMARY KEY (bill_id, row_no)
);
-- The usage history of a number over earlier bills (the usage-spike rule).
CREATE INDEX bill_lines_number_idx ON bill_lines (number);

-- What the reconciliation found; a reconciliation run again replaces a bill's findings that are not disputed.
CREATE TABLE bill_findings (
  id               bigserial PRIMARY KEY,
  bill_id          text NOT NULL REFERENCES bills (id) ON DELETE CASCADE,
  kind             text NOT NULL,
  number           text NOT NULL,
  line_id          text,
  rows             integer[] NOT NULL,
  amount_at_stake  bigint NOT NULL,
  billed           bigint,
  expected         bigint,
  detail           text NOT NULL,
  dispute_id       text
);
CREATE INDEX bill_findings_bill_idx ON bill_findings (bill_id, kind);

-- Down Migration
DROP TABLE bill_findings;
DROP TABLE bill_lines;
DROP TABLE bills;
DROP SEQUENCE bill_number_seq;
DROP TABLE reconciliation_rule_sets;
DROP TABLE bill_profiles;
