-- Up Migration

CREATE TABLE settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);

-- One row per severity × complexity; edits apply to incidents opened afterwards
-- because each incident snapshots its policy when it opens.
CREATE TABLE sla_policies (
  severity                        text NOT NULL CHECK (severity IN ('P1','P2','P3','P4')),
  complexity                      text NOT NULL CHECK (complexity IN ('simple','complex')),
  clock                           text NOT NULL CHECK (clock IN ('24x7','business')),
  response_target_seconds         integer NOT NULL CHECK (response_target_seconds > 0),
  restore_target_seconds          integer NOT NULL CHECK (restore_target_seconds > 0),
  status_report_interval_seconds  integer CHECK (status_report_interval_seconds > 0),
  updated_at                      timestamptz NOT NULL DEFAULT now(),
  updated_by                      text,
  PRIMARY KEY (severity, complexity)
);

CREATE TABLE holidays (
  date       date PRIMARY KEY,
  name       text NOT NULL,
  kind       text NOT NULL,
  source     text NOT NULL CHECK (source IN ('seed','admin')),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);

CREATE SEQUENCE incident_number_seq;

CREATE TABLE incidents (
  id            text PRIMARY KEY,
  workflow_id   text NOT NULL UNIQUE,
  title         text NOT NULL,
  description   text NOT NULL,
  severity      text NOT NULL,
  complexity    text NOT NULL,
  system        text NOT NULL,
  center        text,
  source        text NOT NULL,
  status        text NOT NULL,
  level         text NOT NULL,
  assignee      text,
  opened_at     timestamptz NOT NULL,
  opened_by     text NOT NULL,
  resolved_at   timestamptz,
  closed_at     timestamptz,
  sla           jsonb NOT NULL,
  -- Character bigrams and words of title + description, for similarity search that works for Korean.
  search_terms  text[] NOT NULL DEFAULT '{}',
  -- The timeline length this row reflects; a projection only ever moves it forward.
  version       integer NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incidents_status_idx ON incidents (status);
CREATE INDEX incidents_severity_idx ON incidents (severity);
CREATE INDEX incidents_system_idx ON incidents (system);
CREATE INDEX incidents_opened_at_idx ON incidents (opened_at DESC);
CREATE INDEX incidents_search_terms_idx ON incidents USING gin (search_terms);

CREATE TABLE incident_events (
  incident_id  text NOT NULL REFERENCES incidents(id),
  seq          integer NOT NULL,
  at           timestamptz NOT NULL,
  type         text NOT NULL,
  actor        text NOT NULL,
  actor_role   text NOT NULL,
  from_status  text,
  to_status    text,
  details      jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (incident_id, seq)
);

CREATE TABLE idempotency_keys (
  scope        text NOT NULL,
  key          text NOT NULL,
  resource_id  text NOT NULL,
  -- A key reused with a different request is a client bug, answered 409.
  request_hash text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);

-- Down Migration
DROP TABLE idempotency_keys;
DROP TABLE incident_events;
DROP TABLE incidents;
DROP SEQUENCE incident_number_seq;
DROP TABLE holidays;
DROP TABLE sla_policies;
DROP TABLE settings;
