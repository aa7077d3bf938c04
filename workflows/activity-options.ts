import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

/**
 * Timeouts and retries shared by the workflows, named once.
 */

/** The read model, written by a local activity next to the worker: it must catch up eventually, PostgreSQL being down is not the process's failure. */
export const PROJECTION: LocalActivityOptions = {
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
