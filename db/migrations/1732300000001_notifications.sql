-- Up Migration

-- The contact / on-call roster. Working hours and nights differ (비상연락체계), so each
-- entry says when it is on duty; a null center means every center.
CREATE TABLE contacts (
  id          serial PRIMARY KEY,
  name        text NOT NULL,
  email       text,
  webhook_url text,
  audience    text NOT NULL CHECK (audience IN ('spm','customer','oncall','engineer')),
  hours       text NOT NULL CHECK (hours IN ('business','after-hours','always')),
  center      text,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (email IS NOT NULL OR webhook_url IS NOT NULL)
);
CREATE INDEX contacts_audience_idx ON contacts (audience) WHERE active;

-- Outbox: one row per notification, keyed by the caller's idempotency key, so a retried
-- activity re-sends only the channels whose *_sent_at is still null.
-- recipients is the roster as resolved on the first attempt; retries reuse it.
-- No foreign key to incidents: the workflow may notify before the read model has its row.
CREATE TABLE notifications (
  key             text PRIMARY KEY,
  incident_id     text NOT NULL,
  kind            text NOT NULL,
  subject         text NOT NULL,
  recipients      jsonb NOT NULL,
  payload         jsonb NOT NULL,
  email_sent_at   timestamptz,
  webhook_sent_at timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_error      text
);
CREATE INDEX notifications_incident_idx ON notifications (incident_id, created_at);

-- Down Migration
DROP TABLE notifications;
DROP TABLE contacts;
