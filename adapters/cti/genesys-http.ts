import { VendorValidationError } from '../vendor-errors';
import { unreachable, vendorErrorFor } from './genesys-errors';
import type { EntityListing, GenesysErrorBody } from './genesys-models';

/**
 * HTTP to a Genesys Cloud org (or Butler's CTI emulator): a client-credentials
 * token cached until shortly before it expires and fetched again once when an
 * API call answers 401; a timeout on every call; errors mapped to vendor
 * errors. It never retries anything else: Temporal's retry policy does.
 */

export interface GenesysHttpOptions {
  /** API base, e.g. https://api.mypurecloud.de or the emulator's url. */
  baseUrl: string;
  /** Login base for /oauth/token (Genesys: https://login.<region>); defaults to baseUrl. */
  loginUrl?: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface GenesysHttp {
  get<T>(path: string): Promise<T>;
  /** A mutating call; `idempotencyKey` is sent as `Idempotency-Key`. Resolves to undefined for an empty body. */
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, idempotencyKey: string, body?: unknown): Promise<T | undefined>;
  /** A read-only POST (searches, analytics queries): no Idempotency-Key, as nothing changes. */
  search<T>(path: string, body: unknown): Promise<T>;
  /** Every entity of a listing, following `nextUri` (or `pageNumber` up to `pageCount`). */
  listAll<T>(path: string): Promise<T[]>;
}

interface Answer {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

export function createGenesysHttp(options: GenesysHttpOptions): GenesysHttp {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const loginUrl = (options.loginUrl ?? options.baseUrl).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;
  let token: { value: string; refreshAt: number } | undefined;
  let pendingToken: Promise<string> | undefined;

  async function call(request: string, url: string, init: RequestInit): Promise<Answer> {
    let res: Response;
    let text: string;
    try {
      res = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      text = await res.text();
    } catch (err) {
      throw unreachable(request, err, timeoutMs);
    }
    return { status: res.status, body: parseJson(text), retryAfter: res.headers.get('retry-after') };
  }

  async function fetchToken(): Promise<string> {
    const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64');
    const answer = await call('POST /oauth/token', `${loginUrl}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const body = answer.body as { access_token?: string; expires_in?: number; error?: string; description?: string } | undefined;
    if (answer.status !== 200 || !body?.access_token) {
      throw vendorErrorFor('POST /oauth/token', answer.status, { code: body?.error, message: body?.description }, answer.retryAfter);
    }
    const lifetimeMs = (body.expires_in ?? 3600) * 1000;
    // Renew a little early so a token never expires between being read and being used.
    token = { value: body.access_token, refreshAt: Date.now() + lifetimeMs - Math.min(60_000, lifetimeMs / 10) };
    return token.value;
  }

  function currentToken(): Promise<string> {
    if (token && Date.now() < token.refreshAt) return Promise.resolve(token.value);
    pendingToken ??= fetchToken().finally(() => {
      pendingToken = undefined;
    });
    return pendingToken;
  }

  async function api<T>(method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<T | undefined> {
    const request = `${method} ${path.split('?')[0]}`;
    const attempt = async (bearer: string) =>
      call(request, `${baseUrl}${path}`, {
        method,
        headers: { ...headers, authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const used = await currentToken();
    let answer = await attempt(used);
    if (answer.status === 401) {
      if (token?.value === used) token = undefined;
      answer = await attempt(await currentToken());
    }
    if (answer.status >= 200 && answer.status < 300) return answer.body as T | undefined;
    throw vendorErrorFor(request, answer.status, answer.body as GenesysErrorBody | undefined, answer.retryAfter);
  }

  const get = async <T>(path: string): Promise<T> => (await api<T>('GET', path)) as T;

  return {
    get,
    search: async <T>(path: string, body: unknown): Promise<T> => (await api<T>('POST', path, {}, body)) as T,
    send: (method, path, idempotencyKey, body) => api(method, path, { 'idempotency-key': idempotencyKey }, body),
    async listAll<T>(path: string): Promise<T[]> {
      const items: T[] = [];
      const seen = new Set<string>();
      for (let next: string | undefined = path; next;) {
        if (seen.has(next)) throw new VendorValidationError('cti', `GET ${path}: the listing points back to ${next}`);
        seen.add(next);
        const page: EntityListing<T> = await get<EntityListing<T>>(next);
        items.push(...(page.entities ?? []));
        next = page.nextUri ? relative(page.nextUri) : nextPageNumber(next, page);
      }
      return items;
    },
  };
}

function nextPageNumber(path: string, page: EntityListing<unknown>): string | undefined {
  if (!page.pageNumber || !page.pageCount || page.pageNumber >= page.pageCount) return undefined;
  const url = new URL(path, 'http://genesys');
  url.searchParams.set('pageNumber', String(page.pageNumber + 1));
  return `${url.pathname}${url.search}`;
}

/** Genesys sends relative `*Uri`s; an absolute one is reduced to its path so it goes to the configured base. */
function relative(uri: string): string {
  if (!/^https?:\/\//.test(uri)) return uri;
  const url = new URL(uri);
  return `${url.pathname}${url.search}`;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 500) };
  }
}

/** A path with query parameters, encoded (Korean names included). */
export function withQuery(path: string, params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) query.set(k, String(v));
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}
