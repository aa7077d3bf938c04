import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';
import { NOTIFY_POLICY } from '../domain/notification/retry';

/**
 * Timeouts and retries shared by the workflows, named once.
 */

/** The read model as histories recorded before PATCHES.projectionActivity wrote it: a local activity. Only those histories still use it. */
export const PROJECTION: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '30 seconds' },
};

/**
 * The read model: it must catch up eventually, PostgreSQL being down is not the
 * process's failure. A regular activity, because local activities finishing in
 * one workflow task (an Update's and the main path's, the inspection's collectors)
 * are replayed in another order.
 */
export const READ_MODEL: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '30 seconds' },
};

/**
 * A PBX or CTI call. Transient failures and rate limits retry (the adapter's
 * error type decides); not-found, conflict and validation fail at once and
 * the caller compensates.
 */
export function vendorCall(startToCloseTimeout: ActivityOptions['startToCloseTimeout']): ActivityOptions {
  return {
    startToCloseTimeout,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 8 },
  };
}

/** Undoing or removing what was installed must land even through a vendor outage: it retries until it does. */
export function untilDone(startToCloseTimeout: ActivityOptions['startToCloseTimeout']): ActivityOptions {
  return {
    startToCloseTimeout,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  };
}

/**
 * Termination's reconciliation and removal (behind PATCHES.terminationReconciles): a
 * vendor hiccup retries for about a minute; what still fails ends the line
 * TERMINATION_FAILED for a person to look at and retry, instead of retrying forever
 * (untilDone) while the line shows TERMINATING.
 */
export const DEPROVISIONING: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '15 seconds', maximumAttempts: 6 },
};

/** Rendering a PDF: a browser hiccup retries; a template or data bug fails after a few attempts instead of forever. */
export const REPORT_RENDERING: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
};

/** A collector reads a whole system of a center; heartbeats carry its device progress and tell a dead worker from a slow system. */
export const COLLECTOR: ActivityOptions = {
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 3 },
};

/** Opening the incidents of an inspection's critical findings, hundreds at a large inventory: heartbeats carry the progress. */
export const FINDING_INCIDENTS: ActivityOptions = {
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
};

/** The acceptance test of a new line: real SIP calls; a failed call is retried a few times, then the line fails acceptance. */
export const ACCEPTANCE_TEST: ActivityOptions = {
  startToCloseTimeout: '90 seconds',
  retry: { initialInterval: '5 seconds', maximumAttempts: 3 },
};

/** Undo during provisioning must finish even when the vendor is briefly down; what still fails is left on the line for a person. */
export const PROVISIONING_UNDO: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 12 },
};

/** Reads and writes of Butler's own database from a workflow's steps. */
export const DATABASE_STEP: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
};

/**
 * `notify`: a few minutes of retries, then the notification is a dead letter. The numbers
 * live in the domain because the activity reads them too (its final attempt, the retry horizon).
 */
export const NOTIFY_RETRY: ActivityOptions = NOTIFY_POLICY;

/**
 * The checks of a request before it is accepted (workflows/preflight): the caller waits for the
 * answer, so a vendor hiccup retries briefly and then the API answers 503, never an unchecked 201.
 */
export const PREFLIGHT: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '2 seconds', maximumAttempts: 3 },
};
