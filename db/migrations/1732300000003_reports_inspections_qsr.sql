-- Up Migration

-- The incident's RCA and the reports published from it, as the workflow holds them.
ALTER TABLE incidents ADD COLUMN rca jsonb, ADD COLUMN reports jsonb NOT NULL DEFAULT '[]';

-- Every rendered report: its PDF, the PDF's sha256 and the exact input it was rendered from.
-- `input` is json (not jsonb) so it keeps its text as written: re-rendering it gives the same bytes.
-- A workflow names the version it renders, so a retried render finds its row instead of adding one.
CREATE TABLE reports (
  id          text PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('incident','inspection','qsr')),
  subject_id  text NOT NULL,
  version     integer NOT NULL CHECK (version > 0),
  template    text NOT NULL,
  locale      text NOT NULL CHECK (locale IN ('ko','en')),
  title       text NOT NULL,
  input       json NOT NULL,
  sha256      text NOT NULL,
  pdf         bytea NOT NULL,
  bytes       integer NOT NULL,
  pages       integer,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subject_id, version)
);

-- The asset register: what each center runs, its capacities and vendor end dates.
CREATE TABLE devices (
  id        text PRIMARY KEY,
  center    text NOT NULL,
  system    text NOT NULL CHECK (system IN ('PBX','CTI','IVR','REC','ERS','NET')),
  name      text NOT NULL,
  model     text NOT NULL,
  -- Ceilings for usage metrics, e.g. {"ports": 2000, "lines": 800, "disk": 100}.
  capacity  jsonb NOT NULL DEFAULT '{}',
  eos_date  date,
  eol_date  date,
  active    boolean NOT NULL DEFAULT true
);
CREATE INDEX devices_center_system_idx ON devices (center, system) WHERE active;

CREATE SEQUENCE inspection_number_seq;

-- Read model of the inspection workflows (state is the workflow's InspectionState).
CREATE TABLE inspections (
  id           text PRIMARY KEY,
  workflow_id  text NOT NULL UNIQUE,
  period       text NOT NULL,
  status       text NOT NULL,
  state        jsonb NOT NULL,
  version      integer NOT NULL,
  started_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inspections_period_idx ON inspections (period, started_at DESC);

-- What each collector read; a retried collector replaces its own rows.
CREATE TABLE inspection_readings (
  inspection_id text NOT NULL,
  period        text NOT NULL,
  center        text NOT NULL,
  system        text NOT NULL,
  device_id     text NOT NULL,
  metric        text NOT NULL,
  item          text NOT NULL DEFAULT '',
  value         double precision NOT NULL,
  capacity      double precision,
  unit          text NOT NULL,
  source        text NOT NULL,
  collected_at  timestamptz NOT NULL,
  PRIMARY KEY (inspection_id, device_id, metric, item)
);
CREATE INDEX inspection_readings_trend_idx ON inspection_readings (period, center, system, metric);

-- A critical finding opens one incident per period, however often the period is inspected again.
CREATE TABLE finding_incidents (
  period       text NOT NULL,
  finding_key  text NOT NULL,
  incident_id  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (period, finding_key)
);

CREATE SEQUENCE qsr_number_seq;

CREATE TABLE qsrs (
  id           text PRIMARY KEY,
  workflow_id  text NOT NULL UNIQUE,
  quarter      text NOT NULL,
  status       text NOT NULL,
  state        jsonb NOT NULL,
  version      integer NOT NULL,
  started_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX qsrs_quarter_idx ON qsrs (quarter, started_at DESC);

-- Daily call volume per center. A CSV upload corrects what the CTI statistics said, never the reverse.
CREATE TABLE call_volume (
  date        date NOT NULL,
  center      text NOT NULL,
  offered     integer NOT NULL CHECK (offered >= 0),
  answered    integer NOT NULL CHECK (answered >= 0 AND answered <= offered),
  source      text NOT NULL CHECK (source IN ('cti','csv')),
  updated_by  text,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (date, center)
);

-- Down Migration
DROP TABLE call_volume;
DROP TABLE qsrs;
DROP SEQUENCE qsr_number_seq;
DROP TABLE finding_incidents;
DROP TABLE inspection_readings;
DROP TABLE inspections;
DROP SEQUENCE inspection_number_seq;
DROP TABLE devices;
DROP TABLE reports;
ALTER TABLE incidents DROP COLUMN rca, DROP COLUMN reports;
