import { testAuditSigner } from '../../runtime/embedded-worker';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { createApp } from '../../api/app';
import { loadConfig } from '../../runtime/config';
import type { TokenGrant } from '../../domain/actor';

/**
 * Security that holds without a database or Temporal: headers on every answer and
 * the per-token rate limit (both act before any route runs).
 */

const grants: TokenGrant[] = [
  { role: 'spm', token: 'spm-token-0123456789', subject: 'kim' },
  { role: 'auditor', token: 'auditor-token-0123456789', subject: 'lee' },
];
let server: Server;
let base: string;

beforeAll(async () => {
  // Routes are never reached here: every request below is answered by the middleware or 404s.
  const app = createApp({
    pool: {} as Pool,
    auditSigner: testAuditSigner(),
    client: {} as Client,
    taskQueue: 'unused',
    tokens: grants,
    timing: loadConfig({}).timing,
    rateLimitPerMinute: 3,
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const get = (token: string) => fetch(`${base}/api/v1/no-such-route`, { headers: { authorization: `Bearer ${token}` } });

test('every answer carries the security headers and no X-Powered-By', async () => {
  const res = await fetch(`${base}/openapi.json`);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(res.headers.get('x-powered-by')).toBeNull();
});

test('a token over its limit gets 429 RATE_LIMITED with Retry-After; another token is not held back', async () => {
  for (let i = 0; i < 3; i++) expect((await get(grants[0]!.token)).status).toBe(404);
  const limited = await get(grants[0]!.token);
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  const body = (await limited.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('RATE_LIMITED');
  expect(body.error.message).not.toContain(grants[0]!.token);
  expect((await get(grants[1]!.token)).status).toBe(404);
});
