import { ApiError } from '../api/client';

/**
 * What the API said was wrong, by field: a 400's issues and a 404's or 409's `details.problems`
 * both name a path (`title`, `lines.3.dn`, `agent.skills.1.name`) and a message. A form shows each
 * next to its field; what names no field of the form goes above it.
 */
export function problemsByField(error: unknown): Map<string, string> {
  const found = new Map<string, string>();
  if (!(error instanceof ApiError)) return found;
  const details = error.details as { problems?: unknown } | unknown[] | null;
  const list = Array.isArray(details) ? details : Array.isArray(details?.problems) ? details.problems : [];
  for (const p of list as Array<{ path?: unknown; message?: unknown }>) {
    const path = typeof p.path === 'string' && p.path ? p.path : '(body)';
    const message = typeof p.message === 'string' ? p.message : error.message;
    found.set(path, found.has(path) ? `${found.get(path)}; ${message}` : message);
  }
  return found;
}
