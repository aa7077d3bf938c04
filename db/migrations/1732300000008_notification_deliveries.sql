-- Up Migration

-- Admins are the last resort for a notification nobody on the roster would get.
ALTER TABLE contacts DROP CONSTRAINT contacts_audience_check;
ALTER TABLE contacts ADD CONSTRAINT contacts_audience_check
  CHECK (audience IN ('spm','customer','oncall','engineer','admin'));

-- fallback: who was told instead when the requested audience had nobody on duty.
-- dead_at/dead_reason: set by the activity when no retry is left (or none can help);
-- a row nobody marked but that outlived every attempt is dead too, derived when read.
ALTER TABLE notifications
  ADD COLUMN fallback    text CHECK (fallback IN ('spm-on-duty','admin')),
  ADD COLUMN attempts    integer NOT NULL DEFAULT 0,
  ADD COLUMN dead_at     timestamptz,
  ADD COLUMN dead_reason text;
CREATE INDEX notifications_created_idx ON notifications (created_at);

-- One row per target, so a retry sends only to the targets that did not get it yet.
-- email_sent_at/webhook_sent_at on notifications stay, derived: set once every target of the channel is sent.
CREATE TABLE notification_deliveries (
  notification_key text NOT NULL REFERENCES notifications (key) ON DELETE CASCADE,
  channel          text NOT NULL CHECK (channel IN ('email','webhook')),
  -- An e-mail address or a webhook URL (which may carry a secret: the API shows only its origin).
  target           text NOT NULL,
  -- Whom the target belongs to: a contact's name, a cc address, or the operations webhook.
  label            text NOT NULL,
  sent_at          timestamptz,
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text,
  PRIMARY KEY (notification_key, channel, target)
);
CREATE INDEX notification_deliveries_pending_idx ON notification_deliveries (notification_key) WHERE sent_at IS NULL;

-- Backfill from the channel columns, for channels that were sent or were tried and failed
-- (last_error names them); a channel never tried (not configured) has no target to owe.
-- The operations webhook's URL was never stored: the activity adds it on a retry of such a row.
INSERT INTO notification_deliveries (notification_key, channel, target, label, sent_at, attempts, last_error)
SELECT DISTINCT ON (n.key, lower(r->>'email'))
       n.key, 'email', r->>'email', coalesce(r->>'name', r->>'email'), n.email_sent_at,
       CASE WHEN n.email_sent_at IS NULL THEN 1 ELSE 0 END,
       CASE WHEN n.email_sent_at IS NULL THEN n.last_error END
  FROM notifications n, jsonb_array_elements(n.recipients) r
 WHERE coalesce(r->>'email', '') <> ''
   AND (n.email_sent_at IS NOT NULL OR n.last_error ~ '(^|; )email:')
 ORDER BY n.key, lower(r->>'email');
INSERT INTO notification_deliveries (notification_key, channel, target, label, sent_at, attempts, last_error)
SELECT DISTINCT ON (n.key, r->>'webhookUrl')
       n.key, 'webhook', r->>'webhookUrl', coalesce(r->>'name', 'webhook'), n.webhook_sent_at,
       CASE WHEN n.webhook_sent_at IS NULL THEN 1 ELSE 0 END,
       CASE WHEN n.webhook_sent_at IS NULL THEN n.last_error END
  FROM notifications n, jsonb_array_elements(n.recipients) r
 WHERE coalesce(r->>'webhookUrl', '') <> ''
   AND (n.webhook_sent_at IS NOT NULL OR n.last_error ~ '(^|; )webhook:')
 ORDER BY n.key, r->>'webhookUrl';

-- Down Migration
DROP TABLE notification_deliveries;
DROP INDEX notifications_created_idx;
ALTER TABLE notifications DROP COLUMN dead_reason, DROP COLUMN dead_at, DROP COLUMN attempts, DROP COLUMN fallback;
DELETE FROM contacts WHERE audience = 'admin';
ALTER TABLE contacts DROP CONSTRAINT contacts_audience_check;
ALTER TABLE contacts ADD CONSTRAINT contacts_audience_check
  CHECK (audience IN ('spm','customer','oncall','engineer'));
