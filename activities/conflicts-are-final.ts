import { ApplicationFailure } from '@temporalio/common';
import { ConflictError } from '../domain/errors';

/**
 * A database write whose ConflictError (another change holds the window, another line the DN) no retry
 * can change: it fails the activity for good as type `Conflict`, for the workflow to act on.
 */
export async function conflictsAreFinal<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof ConflictError) throw ApplicationFailure.create({ type: 'Conflict', message: err.message, nonRetryable: true, cause: err });
    throw err;
  }
}
