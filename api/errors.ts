import { answered } from './audit-trail';
import type { ErrorRequestHandler } from 'express';
import { ConflictError, GoneError, InvalidTransitionError, NotFoundError, UnavailableError, ValidationError } from '../domain/errors';

/** The one place where a typed error becomes an HTTP status and the `{error:{code,message,details}}` body. */

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof ValidationError) return new HttpError(400, 'VALIDATION', 'the request is not valid', err.issues);
  if (err instanceof NotFoundError && err.problems) return new HttpError(404, 'NOT_FOUND', err.message, { problems: err.problems });
  if (err instanceof NotFoundError) return new HttpError(404, 'NOT_FOUND', err.message, { resource: err.resource, id: err.id });
  if (err instanceof InvalidTransitionError) return new HttpError(409, 'INVALID_TRANSITION', err.message, err.details);
  if (err instanceof ConflictError) return new HttpError(409, 'CONFLICT', err.message, err.problems ? { problems: err.problems } : undefined);
  if (err instanceof GoneError) return new HttpError(410, 'GONE', err.message, err.details);
  if (err instanceof UnavailableError) return new HttpError(503, 'UNAVAILABLE', err.message);
  const e = err as { type?: string; status?: number; expose?: boolean; message?: string };
  // body-parser's own errors (malformed JSON, too large) carry a status and are safe to show.
  if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
    const code = e.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION';
    return new HttpError(e.status, code, e.type === 'entity.parse.failed' ? 'the body is not valid JSON' : String(e.message), [
      { path: '(body)', message: String(e.message) },
    ]);
  }
  return new HttpError(500, 'INTERNAL', 'internal error');
}

export function errorHandler(log: (err: unknown) => void): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const http = toHttpError(err);
    // Server-side failures are logged with their cause; the caller only sees code and message.
    if (http.status >= 500) log(err);
    // Already answered (a stream that failed midway, a response held for its audit entry): nothing more can be said.
    if (answered(res)) return;
    res.status(http.status).json({ error: { code: http.code, message: http.message, details: http.details ?? null } });
  };
}
