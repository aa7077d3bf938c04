import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VendorTransientError } from '../vendor-errors';

export const DEFAULT_SIPP_PATH = '/usr/bin/sipp';
/** The scenario files next to this module. */
export const SCENARIO_DIR = path.join(__dirname, 'sipp');

/** The injection-file line our scenarios read: [field0] user, [field1] domain, [field2] the digest answer. */
export function accountInjection(c: { username: string; domain: string; password: string }): string {
  return `${c.username};${c.domain};[authentication username=${c.username} password=${c.password}]`;
}

export interface SippRun {
  sippPath: string;
  /** register.xml, call.xml… in SCENARIO_DIR. */
  scenario: string;
  /** host:port of the PBX. */
  target: string;
  localIp: string;
  /** Omitted: SIPp picks a free port. */
  localPort?: number;
  /** Lines of the injection file (after SEQUENTIAL); it may hold a password, so it is private and deleted after. */
  injection: string[];
  /** Further arguments: -s, -key, -d… */
  args: string[];
  /** Calls to place (-m) and how many at once (-l, and as many per second, -r); one by default. */
  calls?: { total: number; concurrent: number };
  timeoutMs: number;
}

export interface SippOutcome {
  ok: boolean;
  exitCode: number | null;
  timedOut: boolean;
  /** Last SIP status line received, e.g. "404 No Route". */
  lastResponse?: string;
  /** SIPp's own complaint, first line (e.g. "Aborting call on unexpected message …"). */
  error?: string;
}

/** Runs one SIPp client scenario for one call; never throws for a SIP failure. */
export async function runSipp(run: SippRun): Promise<SippOutcome> {
  if (!existsSync(run.sippPath)) {
    throw new VendorTransientError('sip', `SIPp is not installed at ${run.sippPath} (Debian package sip-tester)`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'butler-sipp-'));
  try {
    const injection = path.join(dir, 'account.csv');
    writeFileSync(injection, ['SEQUENTIAL', ...run.injection, ''].join('\n'), { mode: 0o600 });
    const messages = path.join(dir, 'messages.log');
    const errors = path.join(dir, 'errors.log');
    const args = [
      run.target,
      '-sf',
      path.join(SCENARIO_DIR, run.scenario),
      '-inf',
      injection,
      '-i',
      run.localIp,
      ...(run.localPort ? ['-p', String(run.localPort)] : []),
      '-m',
      String(run.calls?.total ?? 1),
      ...(run.calls ? ['-l', String(run.calls.concurrent), '-r', String(run.calls.concurrent)] : []),
      '-nostdin',
      '-timeout',
      `${Math.max(1, Math.ceil(run.timeoutMs / 1000))}s`,
      '-timeout_error',
      // A failed call is reported, not "cleaned up" with a BYE for a dialog that never existed.
      '-default_behaviors',
      'all,-bye',
      '-trace_msg',
      '-message_file',
      messages,
      '-trace_err',
      '-error_file',
      errors,
      ...run.args,
    ];
    const { exitCode, timedOut } = await spawnAndWait(run.sippPath, args, run.timeoutMs + 3_000);
    return {
      ok: exitCode === 0 && !timedOut,
      exitCode,
      timedOut,
      lastResponse: lastStatusLine(readIfThere(messages)),
      error: firstEvent(readIfThere(errors)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function spawnAndWait(command: string, args: string[], hardLimitMs: number): Promise<{ exitCode: number | null; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore' });
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    let timedOut = false;
    // SIPp's own -timeout should end it first; this is for a SIPp that hangs anyway.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, hardLimitMs);
    child.once('error', (cause) => {
      clearTimeout(timer);
      process.removeListener('exit', killOnExit);
      reject(new VendorTransientError('sip', `SIPp could not be started: ${cause.message}`, { cause }));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      process.removeListener('exit', killOnExit);
      resolve({ exitCode: code, timedOut });
    });
  });
}

function readIfThere(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** Our client scenarios send only requests, so every status line in the log was received. */
function lastStatusLine(log: string): string | undefined {
  const lines = [...log.matchAll(/^SIP\/2\.0 (\d{3} [^\r\n]*)/gm)];
  return lines.at(-1)?.[1]?.trim();
}

/** SIPp's error log: "date\ttime\tepoch: event"; the first event, without the call id and the message it quotes. */
function firstEvent(log: string): string | undefined {
  const event = /^\S+\t\S+\t\d+\.\d+: (.*)$/m.exec(log)?.[1];
  return event
    ?.replace(/ for Call-Id '[^']*'/, '')
    .replace(/, received '.*$/, '')
    .trim();
}
