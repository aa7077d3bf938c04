import { freePort } from '../../system/ports';
import { startWorkerStack } from '../worker-stack';
import type { Api } from './api-client';
import { onStop } from './cleanup';
import { startProcess, stopProcess } from './processes';
import { waitReady } from '../../runtime/butler-process';

const TOKEN = 'bench-spm-token';

export interface Stack extends Api {
  temporalAddress: string;
  pbx: string;
  /** Kamailio's pid while it runs (read from its pid file); undefined with the PBX simulator or once it is gone. */
  kamailioPid(): number | undefined;
  workerPid: number;
  apiPid: number;
  logFile: string;
  warnings: string[];
}

/**
 * The benchmark stack (bench/worker-stack.ts) and the API in a process of its
 * own, as in production.
 */
export async function startStack(opts: { workerLogLevel: string }): Promise<Stack> {
  const stack = await startWorkerStack({ name: 'lines', workerLogLevel: opts.workerLogLevel, realPbxNote: 'real Kamailio, SIPp acceptance' });
  const apiPort = await freePort();
  const api = startProcess(
    'api',
    'api-main.ts',
    { ...stack.env, PORT: String(apiPort), BUTLER_TOKENS: `spm:${TOKEN}:bench`, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' },
    stack.log,
    stack.warnings,
    null,
  );
  onStop('API', () => stopProcess(api.child, 10_000));
  const baseUrl = `http://127.0.0.1:${apiPort}`;
  await waitReady(`${baseUrl}/readyz`);
  const { temporalAddress, pbx, kamailioPid, workerPid, logFile, warnings } = stack;
  return { baseUrl, token: TOKEN, temporalAddress, pbx, kamailioPid, workerPid, apiPid: api.child.pid!, logFile, warnings };
}
