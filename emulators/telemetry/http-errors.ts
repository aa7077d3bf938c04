import type { ErrorRequestHandler, Response } from 'express';
import { ZodError } from 'zod';

/**
 * Every error of the TELEMETRY SIMULATOR has one shape:
 * `{ error: { code, message, issues? } }`, with the status saying what kind it is.
 */

export class SimulatorHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function sendError(res: Response, status: number, code: string, message: string, issues?: unknown): void {
  res.status(status).json({ error: { code, message, ...(issues === undefined ? {} : { issues }) } });
}

/** Bad input (zod, malformed JSON) is a 400; our own errors carry their status; anything else is a 500. */
export const errorHandler: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (res.headersSent) return next(err);
  if (err instanceof ZodError) return sendError(res, 400, 'invalid-request', 'the request is not valid', err.issues);
  if (err instanceof SimulatorHttpError) return sendError(res, err.status, err.code, err.message);
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) return sendError(res, status, 'invalid-request', (err as Error).message);
  sendError(res, 500, 'internal', `TELEMETRY SIMULATOR failed: ${(err as Error).message}`);
};
