/**
 * Update ids the API derives from an Idempotency-Key start with this. Temporal dedupes
 * an Update id within one run only, so a workflow that continues as new carries the
 * ids it applied, and a retry that reaches the new run is not applied again.
 */
export const IDEMPOTENT_UPDATE_PREFIX = 'idem:';
