import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../system/ports';
import { startWorkerStack } from '../worker-stack';
import { onStop } from '../line-provisioning/cleanup';
import { startProcess, stopProcess } from '../line-provisioning/processes';
import { waitReady } from '../../runtime/butler-process';

/** Who each bench token is (the console shows these names). */
export const PEOPLE = {
  admin: { token: 'bench-admin-token', name: 'admin-choi' },
  spm: { token: 'bench-spm-token', name: 'spm-kim' },
  engineer: { token: 'bench-engineer-token', name: 'eng-park' },
  auditor: { token: 'bench-auditor-token', name: 'audit-lee' },
  automation: { token: 'bench-monitoring-token', name: 'monitoring-bot' },
} as const;
export type Person = keyof typeof PEOPLE;

export interface ConsoleStack {
  baseUrl: string;
  databaseUrl: string;
  call<T>(person: Person, method: string, path: string, body?: unknown): Promise<T>;
}

/**
 * The whole product as `npm start` runs it, on free ports: PostgreSQL, Temporal, the worker (with
 * Kamailio and the CTI emulator) and the API serving the built console, each in its own process.
 */
export async function startConsoleStack(): Promise<ConsoleStack> {
  const dist = path.join(__dirname, '..', '..', 'console', 'dist', 'index.html');
  if (!existsSync(dist)) throw new Error('the console is not built: npm run console:build');
  const stack = await startWorkerStack({ name: 'console', workerLogLevel: 'info', realPbxNote: 'real Kamailio' });
  const port = await freePort();
  const tokens = Object.entries(PEOPLE)
    .map(([role, p]) => `${role}:${p.token}:${p.name}`)
    .join(',');
  const api = startProcess(
    'api',
    'api-main.ts',
    { ...stack.env, PORT: String(port), BUTLER_TOKENS: tokens, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' },
    stack.log,
    stack.warnings,
    null,
  );
  onStop('API', () => stopProcess(api.child, 10_000));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitReady(`${baseUrl}/readyz`);
  return {
    baseUrl,
    databaseUrl: stack.databaseUrl,
    async call<T>(person: Person, method: string, p: string, body?: unknown): Promise<T> {
      const res = await fetch(`${baseUrl}${p}`, {
        method: method.toUpperCase(),
        headers: { authorization: `Bearer ${PEOPLE[person].token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}
