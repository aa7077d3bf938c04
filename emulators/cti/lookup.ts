import { notFound } from './genesys-errors';
import type { CtiState, UserRecord } from './state';

export function mustFind<T>(records: Map<string, T>, id: string, what: string): T {
  const record = records.get(id);
  if (!record) throw notFound(what, id);
  return record;
}

/** A user that exists and is not deleted: Genesys answers 404 for a deleted user unless asked for `state=deleted`. */
export function liveUser(state: CtiState, id: string): UserRecord {
  const user = state.users.get(id);
  if (!user || user.state === 'deleted') throw notFound('User', id);
  return user;
}
