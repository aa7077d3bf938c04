import { z } from 'zod';
import { AlertStatus } from './alertmanager';

/** What the incident's timeline keeps of an alert: enough to read it without the monitoring system. */
export const AlertReference = z.object({
  status: AlertStatus,
  alertname: z.string(),
  labels: z.record(z.string()),
  annotations: z.record(z.string()),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  fingerprint: z.string(),
  generatorURL: z.string().nullable(),
  ruleId: z.string(),
  dedupeKey: z.string(),
});
export type AlertReference = z.infer<typeof AlertReference>;
