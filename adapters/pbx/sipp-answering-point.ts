import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stopChild } from '../../system/child-process';
import { accountInjection, DEFAULT_SIPP_PATH, SCENARIO_DIR, runSipp } from './sipp-runner';

/**
 * The test answering point: a SIPp UAS (answer.xml) that answers every call
 * it gets, for as long as it runs. Normally it is the destination of a trunk
 * (see adapters/pbx/kamailio/test-line.ts), so no registration is needed; with
 * `registerAs` it first registers a DN whose Contact is its own port, so calls
 * to that DN reach it through the location lookup instead.
 */
export interface SippAnsweringPointOptions {
  port: number;
  localIp?: string;
  sippPath?: string;
  registerAs?: { username: string; password: string; domain: string; pbxSipAddress: string; expiresSec?: number };
  startTimeoutMs?: number;
}

export interface SippAnsweringPoint {
  /** host:port it answers on: the trunk destination. */
  address: string;
  stop(): Promise<void>;
}

export async function startSippAnsweringPoint(opts: SippAnsweringPointOptions): Promise<SippAnsweringPoint> {
  const sippPath = opts.sippPath ?? DEFAULT_SIPP_PATH;
  const localIp = opts.localIp ?? '127.0.0.1';
  const timeoutMs = opts.startTimeoutMs ?? 10_000;
  if (opts.registerAs) {
    const r = opts.registerAs;
    // Registered from the very port the UAS takes next, so the Contact is the UAS.
    const outcome = await runSipp({
      sippPath,
      scenario: 'register.xml',
      target: r.pbxSipAddress,
      localIp,
      localPort: opts.port,
      injection: [accountInjection(r)],
      args: ['-key', 'expires', String(r.expiresSec ?? 3600)],
      timeoutMs,
    });
    if (!outcome.ok) {
      throw new Error(`answering point could not register ${r.username}: ${outcome.lastResponse ?? 'no response'} ${outcome.error ?? ''}`.trim());
    }
  }
  const child = spawn(sippPath, ['-sf', path.join(SCENARIO_DIR, 'answer.xml'), '-i', localIp, '-p', String(opts.port), '-nostdin'], { stdio: 'ignore' });
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  await waitUntilBound(child, opts.port, timeoutMs, () => spawnError);
  return { address: `${localIp}:${opts.port}`, stop: () => stopChild(child, 3_000) };
}

/** SIPp says nothing when it is ready; its UDP socket showing up in /proc/net/udp is the sign. */
async function waitUntilBound(child: ChildProcess, port: number, timeoutMs: number, spawnError: () => Error | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const failed = spawnError();
    if (failed) throw new Error(`answering point (SIPp) could not be started: ${failed.message}`, { cause: failed });
    if (child.exitCode !== null) throw new Error(`answering point (SIPp) exited with code ${child.exitCode}; is UDP port ${port} free?`);
    if (udpPortBound(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopChild(child, 3_000);
  throw new Error(`answering point (SIPp) did not bind UDP port ${port} within ${timeoutMs} ms`);
}

function udpPortBound(port: number): boolean {
  const suffix = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  // Each line: "sl local_address rem_address st …", local_address as HEXIP:HEXPORT.
  return ['/proc/net/udp', '/proc/net/udp6'].some(
    (file) =>
      existsSync(file) &&
      readFileSync(file, 'utf8')
        .split('\n')
        .some((line) => line.trim().split(/\s+/)[1]?.endsWith(suffix)),
  );
}
