-- Up Migration

CREATE SEQUENCE line_batch_number_seq;

-- Batches of lines requested together (issue 13), written by the batch workflow's projection.
-- `state` is the workflow's LineBatchState (its lines, their outcomes, the contract); the lines
-- themselves are rows of `lines` like any other, reserved with the batch in one transaction.
CREATE TABLE line_batches (
  id           text PRIMARY KEY,
  center       text NOT NULL,
  status       text NOT NULL CHECK (status IN ('RUNNING','COMPLETED','PARTIAL','FAILED')),
  state        jsonb NOT NULL,
  -- The history length this row reflects (0: the API's reservation); a projection only moves it forward.
  version      integer NOT NULL,
  requested_at timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE line_batches;
DROP SEQUENCE line_batch_number_seq;
