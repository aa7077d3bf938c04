/**
 * How long Temporal keeps trying one notification, written once: the workflows'
 * retry policy for `notify` is this object, and the activity reads the same
 * numbers to know its final attempt and when no attempt can still be running.
 * Durations in milliseconds (Temporal takes numbers as ms), so they can be added up here.
 */
export const NOTIFY_POLICY = {
  startToCloseTimeout: 30_000,
  retry: { initialInterval: 2_000, backoffCoefficient: 2, maximumInterval: 60_000, maximumAttempts: 8 },
} as const;

/**
 * The longest a notification can stay in Temporal's hands: every attempt running
 * to its timeout plus every back-off in between. A row not delivered by then
 * has no attempt left working on it (a worker killed during the last one included).
 */
export function notifyRetryHorizonMs(policy: typeof NOTIFY_POLICY = NOTIFY_POLICY): number {
  const { initialInterval, backoffCoefficient, maximumInterval, maximumAttempts } = policy.retry;
  let backoffs = 0;
  for (let n = 0; n < maximumAttempts - 1; n++) backoffs += Math.min(initialInterval * backoffCoefficient ** n, maximumInterval);
  return maximumAttempts * policy.startToCloseTimeout + backoffs;
}
