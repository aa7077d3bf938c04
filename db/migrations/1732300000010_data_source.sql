-- Up Migration

-- Whether a reading, or a day of call volume, came from a real system ('vendor') or from a
-- stand-in ('simulated': the telemetry simulator, the PBX simulator, the CTI emulator), so that
-- what is derived from it (the API, the inspection and QSR reports) can say so.
-- `inspection_readings.source` keeps naming who measured (the API's `measuredBy`).
ALTER TABLE inspection_readings
  ADD COLUMN data_source text NOT NULL DEFAULT 'vendor' CHECK (data_source IN ('vendor', 'simulated'));
-- Readings taken before this column existed: the telemetry simulator named itself in `source`.
UPDATE inspection_readings SET data_source = 'simulated' WHERE source = 'telemetry-simulator';

ALTER TABLE call_volume
  ADD COLUMN data_source text NOT NULL DEFAULT 'vendor' CHECK (data_source IN ('vendor', 'simulated'));

-- Down Migration
ALTER TABLE call_volume DROP COLUMN data_source;
ALTER TABLE inspection_readings DROP COLUMN data_source;
