import { spawnSync } from 'node:child_process';

/**
 * Debian packages Butler needs on the machine (Kamailio, SIPp, Chromium, fonts):
 * installed when missing, as `npm start` and `npm test` promise on a fresh
 * machine. Without root (or without apt) it only says what to install.
 */

let aptUpdated = false;

export function dpkgInstalled(pkg: string): boolean {
  const q = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return q.status === 0 && q.stdout.includes('install ok installed');
}

/** What installing came to: all present, or why not (and the command a person would run). */
export type AptOutcome = { installed: true } | { installed: false; reason: 'not-root' | 'no-apt-get' | 'apt-failed'; command: string };

/** Why an install could not happen, in words for a start-up line. */
export const APT_REASON: Record<Exclude<AptOutcome, { installed: true }>['reason'], string> = {
  'not-root': 'not running as root',
  'no-apt-get': 'no apt-get on this machine',
  'apt-failed': 'apt-get failed',
};

/**
 * Installs the packages that are missing (a no-op when all are present) and
 * says what it does; says nothing when it cannot install, only returns why.
 */
export function installAptPackages(packages: string[], say: (line: string) => void): AptOutcome {
  const missing = packages.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0) return { installed: true };
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) return { installed: false, reason: 'not-root', command };
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) return { installed: false, reason: 'no-apt-get', command };
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    say('apt-get update');
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    aptUpdated = true;
  }
  say(command);
  const install = spawnSync('apt-get', ['install', '-y', ...missing], { stdio: 'inherit', env });
  if (install.status !== 0 || !missing.every(dpkgInstalled)) return { installed: false, reason: 'apt-failed', command };
  return { installed: true };
}

/** Installs the packages that are missing; when it cannot, says what to install. */
export function ensureAptPackages(packages: string[], say: (line: string) => void): void {
  const outcome = installAptPackages(packages, say);
  if (outcome.installed) return;
  if (outcome.reason === 'apt-failed') say(`"${outcome.command}" failed`);
  else say(`missing Debian packages; install them with: ${outcome.command}`);
}
