-- Up Migration

-- Issue 16: the monthly line cost analysis (회선 요금 분석), a reviewed report like the QSR.

ALTER TABLE reports DROP CONSTRAINT reports_kind_check;
ALTER TABLE reports ADD CONSTRAINT reports_kind_check CHECK (kind IN ('incident','inspection','qsr','audit-trail','billing'));

CREATE SEQUENCE billing_report_number_seq;

-- Read model of the billing report workflows (state is the workflow's BillingReportState).
CREATE TABLE billing_reports (
  id           text PRIMARY KEY,
  workflow_id  text NOT NULL UNIQUE,
  month        text NOT NULL CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  status       text NOT NULL,
  state        jsonb NOT NULL,
  version      integer NOT NULL,
  started_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX billing_reports_month_idx ON billing_reports (month, started_at DESC);

-- What a report was built from, gathered once per run: the month's bills, costs, trend, findings and
-- disputes (`bills`, a BillingMonthData), and the savings proposals as of the month's last day
-- (`savings`, a BillingSavingsData; null until collected or when they could not be). The workflow
-- passes the report's id, and every rendering reads these rows.
CREATE TABLE billing_report_inputs (
  report_id    text PRIMARY KEY,
  month        text NOT NULL,
  bills        jsonb NOT NULL,
  gathered_at  timestamptz NOT NULL DEFAULT now(),
  savings      jsonb,
  savings_at   timestamptz
);

-- Down Migration
DROP TABLE billing_report_inputs;
DROP TABLE billing_reports;
DROP SEQUENCE billing_report_number_seq;
ALTER TABLE reports DROP CONSTRAINT reports_kind_check;
ALTER TABLE reports ADD CONSTRAINT reports_kind_check CHECK (kind IN ('incident','inspection','qsr','audit-trail'));
