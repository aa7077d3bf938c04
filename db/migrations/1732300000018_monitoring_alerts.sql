-- Up Migration

-- Issue 15: alerts from Alertmanager (or Grafana) open incidents.

-- The mapping rules, an ordered list an admin edits; each save is a new version, so what was in
-- force when an alert arrived stays readable (the alert row names its version).
CREATE TABLE alert_rule_sets (
  version   serial PRIMARY KEY,
  rules     jsonb NOT NULL,
  saved_by  text NOT NULL,
  saved_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per delivery: an alert's fingerprint, start and status. Alertmanager resends a firing
-- alert every repeat_interval with the same three: a resend only counts (deliveries, last seen).
-- Alerts no rule matched are kept here too (rule_id NULL), never dropped.
CREATE TABLE alerts (
  id                bigserial PRIMARY KEY,
  fingerprint       text NOT NULL,
  starts_at         timestamptz NOT NULL,
  status            text NOT NULL CHECK (status IN ('firing', 'resolved')),
  ends_at           timestamptz,
  alertname         text NOT NULL,
  labels            jsonb NOT NULL,
  annotations       jsonb NOT NULL,
  generator_url     text,
  receiver          text NOT NULL,
  group_key         text NOT NULL,
  external_url      text NOT NULL,
  rule_id           text,
  rule_version      integer REFERENCES alert_rule_sets (version),
  dedupe_key        text,
  -- What it did: opened, recorded, reopened, notified, unmatched, kept, or failed (refused, with the
  -- reason in error; taken again at its next delivery). See domain/monitoring/views.ts.
  outcome           text NOT NULL,
  incident_id       text,
  error             text,
  deliveries        integer NOT NULL DEFAULT 1,
  first_received_at timestamptz NOT NULL DEFAULT now(),
  last_received_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (fingerprint, starts_at, status)
);
CREATE INDEX alerts_unmatched ON alerts (last_received_at DESC) WHERE rule_id IS NULL;
CREATE INDEX alerts_incident ON alerts (incident_id) WHERE incident_id IS NOT NULL;
CREATE INDEX alerts_received ON alerts (last_received_at DESC);

-- The incident each dedupe key opened last: one open incident per key.
CREATE TABLE alert_incidents (
  dedupe_key    text PRIMARY KEY,
  rule_id       text NOT NULL,
  incident_id   text NOT NULL,
  opened_at     timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  deliveries    integer NOT NULL DEFAULT 1
);

-- Down Migration
DROP TABLE alert_incidents;
DROP TABLE alerts;
DROP TABLE alert_rule_sets;
