import { startCtiEmulator, type CtiEmulator, type CtiEmulatorOptions } from '../../../emulators/cti/emulator';
import { freePort } from '../../../system/ports';
import type { CtiClient } from '../../../adapters/cti/cti-client';
import { createGenesysCti } from '../../../adapters/cti/genesys-cti';
import type { Json } from '../../support/json';

/** One emulator per test file, and a raw HTTP caller that speaks to it as any Genesys client would. */

export interface CallResult {
  status: number;
  headers: Headers;
  /** Whatever JSON came back (as in test/api/harness.ts). */
  body: Json;
}

export interface CallOptions {
  body?: unknown;
  /** Raw body text (sent as JSON content type), for malformed-JSON tests. */
  rawBody?: string;
  token?: string | null;
  idempotencyKey?: string;
}

export async function startTestEmulator(options: Omit<CtiEmulatorOptions, 'port'> = {}): Promise<CtiEmulator> {
  return startCtiEmulator({ port: await freePort(), ...options });
}

export async function fetchToken(emulator: CtiEmulator): Promise<string> {
  const { clientId, clientSecret } = emulator.credentials;
  const res = await fetch(`${emulator.url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

export function caller(emulator: CtiEmulator, defaultToken: () => string) {
  return async (method: string, path: string, options: CallOptions = {}): Promise<CallResult> => {
    const headers: Record<string, string> = {};
    const token = options.token === undefined ? defaultToken() : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    const hasBody = options.body !== undefined || options.rawBody !== undefined;
    if (hasBody) headers['content-type'] = 'application/json';
    const res = await fetch(`${emulator.url}${path}`, {
      method,
      headers,
      body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
}

/** The Genesys error body, exactly: nothing more is promised to clients. */
export function expectGenesysError(res: CallResult, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('x-butler-emulator')).toBe('cti');
  expect(res.body).toEqual({
    status,
    code,
    message: expect.any(String),
    contextId: expect.any(String),
    details: expect.any(Array),
    errors: [],
  });
  expect(res.headers.get('inin-correlation-id')).toBe(res.body.contextId);
}

/**
 * The emulator with a token, a raw caller and the Genesys adapter over it, the adapter's aggregate
 * queries kept as sent (`sentQueries`, emptied with `reset()`), for the analytics tests.
 */
export function useAnalyticsEmulator(pageSize: number) {
  const aggregates = '/api/v2/analytics/conversations/aggregates/query';
  const ctx = {
    emulator: undefined as unknown as CtiEmulator,
    call: undefined as unknown as ReturnType<typeof caller>,
    cti: undefined as unknown as CtiClient,
    sentQueries: [] as Array<Record<string, unknown>>,
  };
  beforeAll(async () => {
    ctx.emulator = await startTestEmulator();
    const token = await fetchToken(ctx.emulator);
    ctx.call = caller(ctx.emulator, () => token);
    const recording: typeof fetch = async (input, init) => {
      if (String(input).endsWith(aggregates)) ctx.sentQueries.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
      return fetch(input, init);
    };
    ctx.cti = createGenesysCti({ baseUrl: ctx.emulator.url, ...ctx.emulator.credentials, pageSize, timeoutMs: 5_000, fetch: recording });
  });
  afterAll(() => ctx.emulator.stop());
  beforeEach(() => {
    ctx.emulator.reset();
    ctx.sentQueries.length = 0;
  });
  return ctx;
}
