import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { PoolClient } from 'pg';
import { incidentSeverity } from '../db/incidents.repo';
import type { OutboxRow } from '../db/notifications.repo';
import type { DeadReason } from '../domain/notification/outbox';
import { NOTIFY_POLICY } from '../domain/notification/retry';
import { messageOf } from '../adapters/delivery-errors';

/** When a failed attempt turns the notification into a dead letter, and how that is told. */

/** The activity's Temporal context; none when `notify` is called directly (a script), where no retry policy applies. */
function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/**
 * Why this failure ends the notification, or undefined when Temporal will retry it. The final
 * attempt is read from the same policy the workflows schedule `notify` with.
 */
export function deadReasonFor(error: unknown): Exclude<DeadReason, 'retry-horizon-passed'> | undefined {
  if (error instanceof ApplicationFailure && error.nonRetryable) return 'not-retryable';
  const attempt = activityContext()?.info.attempt;
  return attempt !== undefined && attempt >= NOTIFY_POLICY.retry.maximumAttempts ? 'retries-exhausted' : undefined;
}

/**
 * Logs the dead letter: at error level when it was a P1 incident's SLA breach, which someone
 * must hear of by other means now; at warn level otherwise. The severity is the request's, or
 * the incident read model's (breach notices do not carry it).
 */
export async function logDeadLetter(
  db: PoolClient,
  row: Pick<OutboxRow, 'key' | 'about' | 'kind' | 'payload'>,
  reason: DeadReason,
  error: unknown,
  log: (line: string) => void,
): Promise<void> {
  const severity = typeof row.payload.data.severity === 'string' ? row.payload.data.severity : await severityOf(db, row);
  const level = row.kind === 'sla-breached' && severity === 'P1' ? 'error' : 'warn';
  const message = `notification ${row.key} (${row.kind} about ${row.about}) is a dead letter: ${reason}`;
  activityContext()?.log[level](message, { key: row.key, about: row.about, kind: row.kind, reason, severity, error: messageOf(error) });
  log(`${level}: ${message}: ${messageOf(error)}`);
}

async function severityOf(db: PoolClient, row: Pick<OutboxRow, 'about' | 'kind'>): Promise<string | null> {
  if (row.kind !== 'sla-breached') return null;
  // A failing read must not hide the dead letter itself: log it as not-P1 rather than not at all.
  return incidentSeverity(db, row.about).catch(() => null);
}
