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

/** Installs the packages that are missing; a no-op when all are present. */
export function ensureAptPackages(packages: string[], say: (line: string) => void): void {
  const missing = packages.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0) return;
  const command = `apt-get install -y ${missing.join(' ')}`;
  const canApt = process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!canApt) {
    say(`missing Debian packages; install them with: ${command}`);
    return;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    say('apt-get update');
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    aptUpdated = true;
  }
  say(command);
  const install = spawnSync('apt-get', ['install', '-y', ...missing], { stdio: 'inherit', env });
  if (install.status !== 0) say(`"${command}" failed`);
}
