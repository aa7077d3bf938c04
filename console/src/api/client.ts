import createClient, { type Middleware } from 'openapi-fetch';
import { session } from '../session';
import { retryKeys } from './retry-key';
import type { paths } from './schema';

/**
 * The API client, typed by the OpenAPI document the server serves (schema.d.ts is generated from it
 * by `npm run console:api`): an API change that breaks the console fails its type check.
 */
export const api = createClient<paths>({ baseUrl: '/' });

const bearer: Middleware = {
  onRequest({ request }) {
    // The session's token, unless the call brings its own (sign-in checks a token before keeping it).
    const token = session.token();
    if (token && !request.headers.has('Authorization')) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
};
api.use(bearer, retryKeys());

/** The API's error body, as every route answers it. */
interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }
}

/** The data of an answer, or its error thrown as an ApiError; a 401 ends the session. */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data: body, error, response } = await call;
  if (response.status === 401) session.expired();
  if (error !== undefined || body === undefined) {
    const e = (error as ErrorBody | undefined)?.error;
    throw new ApiError(response.status, e?.code ?? 'HTTP', e?.message ?? response.statusText, e?.details ?? null);
  }
  return body;
}
