import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';

/**
 * Errors as Genesys Cloud reports them: `{message, code, status, contextId,
 * details, errors}` (the SDK's ErrorBody), with the same contextId in the
 * `ININ-Correlation-Id` response header.
 */

export interface GenesysErrorDetail {
  errorCode?: string;
  fieldName?: string;
  entityId?: string;
  entityName?: string;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad.request',
  401: 'authentication.required',
  403: 'missing.permissions',
  404: 'not.found',
  409: 'general.conflict',
  422: 'unprocessable.entity',
  429: 'too.many.requests',
  500: 'internal.server.error',
  501: 'not.implemented',
  502: 'bad.gateway',
  503: 'service.unavailable',
  504: 'gateway.timeout',
};

export function codeForStatus(status: number): string {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal.server.error' : 'bad.request');
}

export class GenesysError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = codeForStatus(status),
    readonly details: GenesysErrorDetail[] = [],
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string) => new GenesysError(404, `${what} ${id} not found`, 'not.found', [{ entityId: id }]);
export const conflict = (message: string) => new GenesysError(409, message, 'general.conflict');
export const badRequest = (message: string, details: GenesysErrorDetail[] = []) => new GenesysError(400, message, 'bad.request', details);
export const notImplementedError = (what: string) => new GenesysError(501, `${what} is not implemented by the CTI emulator`, 'not.implemented');

/** One correlation id per request: the contextId of any error it produces. */
export function correlationId(req: Request, res: Response): string {
  const existing = res.locals.correlationId as string | undefined;
  if (existing) return existing;
  const id = req.get('ININ-Correlation-Id') ?? randomUUID();
  res.locals.correlationId = id;
  res.set('ININ-Correlation-Id', id);
  return id;
}

export function sendGenesysError(req: Request, res: Response, err: GenesysError): void {
  res.status(err.status).json({
    message: err.message,
    code: err.code,
    status: err.status,
    contextId: correlationId(req, res),
    details: err.details,
    errors: [],
  });
}

/** Anything under /api/v2 the emulator does not serve: 501, so a client never mistakes it for "no such entity". */
export const notImplemented: RequestHandler = (req, res) => {
  sendGenesysError(req, res, notImplementedError(`${req.method} ${req.originalUrl.split('?')[0]}`));
};

export function genesysErrorHandler(log: (obj: object, msg: string) => void): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (err instanceof GenesysError) return sendGenesysError(req, res, err);
    const parserError = err as { status?: number; type?: string; message?: string };
    // body-parser rejects malformed or oversized bodies with a 4xx: the caller's fault.
    if (typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      const message = parserError.type === 'entity.parse.failed' ? 'The request body is not valid JSON' : String(parserError.message);
      return sendGenesysError(req, res, new GenesysError(parserError.status, message));
    }
    log({ err }, 'CTI EMULATOR: unexpected failure handling a request');
    sendGenesysError(req, res, new GenesysError(500, 'The CTI emulator failed to handle the request'));
  };
}
