-- Up Migration

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Notifications now concern lines and changes as well as incidents.
ALTER TABLE notifications RENAME COLUMN incident_id TO about;
ALTER INDEX notifications_incident_idx RENAME TO notifications_about_idx;

CREATE SEQUENCE line_number_seq;

-- The line inventory, written by the provisioning and termination workflows' projection.
-- `state` is the workflow's whole LineState (current step, history); the columns are what lists filter on.
CREATE TABLE lines (
  id           text PRIMARY KEY,
  dn           text NOT NULL,
  center       text NOT NULL,
  line_type    text NOT NULL CHECK (line_type IN ('extension','pri','did')),
  status       text NOT NULL CHECK (status IN ('PENDING_CONTRACT','INSTALLING','ACCEPTANCE','ACTIVE','FAILED','TERMINATING','TERMINATED')),
  step         text NOT NULL,
  state        jsonb NOT NULL,
  -- The history length this row reflects; a projection only ever moves it forward.
  version      integer NOT NULL,
  requested_at timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
-- One live line per DN: the API reserves the DN when it accepts a request.
CREATE UNIQUE INDEX lines_live_dn_idx ON lines (dn) WHERE status NOT IN ('FAILED','TERMINATED');
CREATE INDEX lines_status_idx ON lines (status);
CREATE INDEX lines_center_idx ON lines (center);

CREATE SEQUENCE change_number_seq;

CREATE TABLE changes (
  id           text PRIMARY KEY,
  type         text NOT NULL,
  target       text NOT NULL,
  status       text NOT NULL,
  step         text NOT NULL,
  window_start timestamptz NOT NULL,
  window_end   timestamptz NOT NULL,
  state        jsonb NOT NULL,
  version      integer NOT NULL,
  requested_at timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX changes_target_idx ON changes (target);
CREATE INDEX changes_status_idx ON changes (status);

-- An approved change holds its window on its target until it ends; the database refuses two
-- overlapping holds, so two approvals racing each other cannot both win.
CREATE TABLE change_window_holds (
  change_id  text PRIMARY KEY,
  target     text NOT NULL,
  during     tstzrange NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  EXCLUDE USING gist (target WITH =, during WITH &&)
);

-- Down Migration
DROP TABLE change_window_holds;
DROP TABLE changes;
DROP SEQUENCE change_number_seq;
DROP TABLE lines;
DROP SEQUENCE line_number_seq;
ALTER INDEX notifications_about_idx RENAME TO notifications_incident_idx;
ALTER TABLE notifications RENAME COLUMN about TO incident_id;
