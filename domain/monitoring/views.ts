import { z } from 'zod';
import { AlertStatus } from './alertmanager';
import { AlertReference } from './alert-reference';

/** What the API answers about alerts: the stored deliveries and what each did. */

/**
 * What a delivery did: `opened` an incident, was `recorded` on its timeline (fired again, resolved),
 * `reopened` it, `notified` the SPM (a notify rule), was `kept` without an incident (a resolution of
 * an incident that ended or never opened), matched no rule (`unmatched`, listed for an admin), or was
 * refused as it stands (`failed`, e.g. no SLA policy for the severity it maps to; `error` says why,
 * and its next delivery is taken again).
 */
export const AlertOutcome = z.enum(['opened', 'recorded', 'reopened', 'notified', 'kept', 'unmatched', 'failed']);
export type AlertOutcome = z.infer<typeof AlertOutcome>;

/** A delivery as stored: the alert as the timeline keeps it, where it came from and what it did. */
export const AlertView = AlertReference.extend({
  id: z.string(),
  receiver: z.string(),
  groupKey: z.string(),
  /** Null when no rule matched. */
  ruleId: z.string().nullable(),
  ruleVersion: z.number().int().nullable(),
  dedupeKey: z.string().nullable(),
  outcome: AlertOutcome,
  incidentId: z.string().nullable(),
  error: z.string().nullable(),
  /** How many times it was delivered (Alertmanager resends every repeat_interval). */
  deliveries: z.number().int(),
  firstReceivedAt: z.string(),
  lastReceivedAt: z.string(),
});
export type AlertView = z.infer<typeof AlertView>;

/** The webhook's answer: one entry per alert of the payload, in order. */
export const AlertIntakeResult = z.object({
  alerts: z.array(
    z.object({
      fingerprint: z.string(),
      status: AlertStatus,
      outcome: AlertOutcome,
      /** A delivery seen before: counted, nothing else done. */
      repeat: z.boolean(),
      ruleId: z.string().nullable(),
      incidentId: z.string().nullable(),
    }),
  ),
});
export type AlertIntakeResult = z.infer<typeof AlertIntakeResult>;
