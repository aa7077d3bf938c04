import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../../runtime/config';
import { decidePbx, installKamailio, KamailioUnavailableError, KAMAILIO_PACKAGES } from '../../runtime/pbx-mode';
import { startVendors } from '../../runtime/vendors';
import { dpkgInstalled, type AptOutcome } from '../../system/system-packages';
import type { Logger } from '../../system/logger';
import { freePort, freeUdpPair } from '../../system/ports';
import { dropDatabaseAndRole } from '../support/kamailio';

/**
 * Which PBX the worker drives: the real Kamailio by default (installed when
 * missing), the PBX simulator only when asked or when installing is
 * impossible, and then exactly one start-up line saying why and how to get
 * the real one.
 */

const notRoot: AptOutcome = { installed: false, reason: 'not-root', command: `apt-get install -y ${KAMAILIO_PACKAGES.join(' ')}` };
const noApt: AptOutcome = { installed: false, reason: 'no-apt-get', command: `apt-get install -y ${KAMAILIO_PACKAGES.join(' ')}` };

describe('the decision', () => {
  test('npm start, Kamailio installable: the embedded Kamailio, nothing to say', () => {
    expect(decidePbx(loadConfig({}).pbx, () => ({ installed: true }))).toEqual({ run: 'kamailio' });
  });

  test('npm start, installing impossible: the simulator, with one line naming why and the command for the real one', () => {
    const choice = decidePbx(loadConfig({}).pbx, () => notRoot);
    expect(choice).toEqual({
      run: 'simulator',
      notice:
        'PBX SIMULATOR: Kamailio is not installed and cannot be installed here (not running as root), so line acceptance is simulated and no SIP is sent; ' +
        'for the real Kamailio run "apt-get install -y kamailio kamailio-postgres-modules sip-tester" as root, or start Butler as root once',
    });
    const other = decidePbx(loadConfig({}).pbx, () => noApt);
    expect(other).toMatchObject({ run: 'simulator', notice: expect.stringContaining('(no apt-get on this machine)') });
    expect(other.run === 'simulator' && other.notice).not.toMatch(/\n/);
  });

  test('PBX_MODE=simulator: the simulator without trying to install, and the line says it was asked for', () => {
    let installs = 0;
    const choice = decidePbx(loadConfig({ PBX_MODE: 'simulator' }).pbx, () => (installs++, { installed: true }));
    expect(installs).toBe(0);
    expect(choice).toEqual({
      run: 'simulator',
      notice: 'PBX SIMULATOR, as asked (PBX_MODE=simulator): line acceptance is simulated, no SIP is sent; unset PBX_MODE for the real Kamailio',
    });
    const optedIn = decidePbx(loadConfig({ BUTLER_SIMULATORS: 'pbx' }).pbx, () => ({ installed: true }));
    expect(optedIn).toMatchObject({ run: 'simulator', notice: expect.stringMatching(/^PBX SIMULATOR, as asked \(BUTLER_SIMULATORS\): .*set PBX_RPC_URL/) });
  });

  test('PBX_MODE=embedded asks for the real one by name: no simulator stands in, start-up stops saying how to install', () => {
    expect(() => decidePbx(loadConfig({ PBX_MODE: 'embedded' }).pbx, () => notRoot)).toThrow(KamailioUnavailableError);
    expect(() => decidePbx(loadConfig({ PBX_MODE: 'embedded' }).pbx, () => notRoot)).toThrow(
      /^PBX_MODE=embedded: Kamailio is not installed and cannot be installed here \(not running as root\); run "apt-get install -y kamailio/,
    );
  });

  test('a configured Kamailio is used as it is, nothing installed', () => {
    let installs = 0;
    const pbx = loadConfig({ PBX_RPC_URL: 'http://pbx:5071/RPC', PBX_DATABASE_URL: 'postgres://k:p@pbx:5432/k', PBX_SIP_ADDRESS: 'pbx:5060' }).pbx;
    expect(decidePbx(pbx, () => (installs++, { installed: true }))).toEqual({ run: 'external' });
    expect(installs).toBe(0);
  });
});

describe('on this machine (root, apt-get)', () => {
  test('installKamailio leaves Kamailio, its PostgreSQL driver and SIPp installed', () => {
    const said: string[] = [];
    expect(installKamailio((line) => said.push(line))).toEqual({ installed: true });
    for (const pkg of KAMAILIO_PACKAGES) expect({ pkg, installed: dpkgInstalled(pkg) }).toEqual({ pkg, installed: true });
  });

  const adminUrl = () => process.env.BUTLER_TEST_DATABASE_URL!;
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(path.join(process.env.BUTLER_TEST_DATA_DIR ?? tmpdir(), 'pbx-mode-'))));
  afterEach(async () => {
    await dropDatabaseAndRole(adminUrl(), 'kamailio');
    await dropDatabaseAndRole(adminUrl(), 'pbx_simulator');
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function envFor(extra: Record<string, string>): Promise<NodeJS.ProcessEnv> {
    const sip = await freeUdpPair();
    return {
      BUTLER_DATA_DIR: dataDir,
      EMBEDDED_PBX_SIP_PORT: String(sip),
      EMBEDDED_PBX_RPC_PORT: String(await freePort()),
      EMBEDDED_PBX_ANSWERING_PORT: String(sip + 2),
      CTI_EMULATOR_PORT: String(await freePort()),
      TELEMETRY_SIMULATOR_PORT: String(await freePort()),
      ...extra,
    };
  }

  test.each([
    ['the default', {}, false],
    ['PBX_MODE=simulator', { PBX_MODE: 'simulator' }, true],
  ])('%s: the worker’s vendors start with the PBX it says, and the simulated ones are flagged', async (_name, extra, simulator) => {
    const { log, lines } = capturedLogger();
    const vendors = await startVendors(loadConfig(await envFor(extra)), log, adminUrl());
    try {
      expect(vendors.simulated).toEqual({ pbx: simulator, cti: true, telemetry: true });
      const pbxLines = lines().filter((l) => /PBX/.test(l.msg));
      if (simulator) {
        expect(pbxLines).toEqual([
          {
            level: 40,
            msg: 'PBX SIMULATOR, as asked (PBX_MODE=simulator): line acceptance is simulated, no SIP is sent; unset PBX_MODE for the real Kamailio',
          },
        ]);
        expect(await vendors.acceptance.accept({ username: 'nobody', domain: '127.0.0.1', password: 'x' }, '0999')).toMatchObject({
          register: { detail: expect.stringContaining('no SIP was sent') },
        });
      } else {
        expect(pbxLines).toEqual([{ level: 30, msg: expect.stringMatching(/^PBX: embedded Kamailio, SIP 127\.0\.0\.1:\d+, JSON-RPC http:/) }]);
        expect(lines().some((l) => /SIMULATOR/.test(l.msg) && /PBX/.test(l.msg))).toBe(false);
        expect((await vendors.pbx.statistics()).memory.totalBytes).toBeGreaterThan(0);
      }
    } finally {
      await vendors.stop();
    }
  });
});

function capturedLogger(): { log: Logger; lines: () => Array<{ level: number; msg: string }> } {
  const out: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        const { level, msg } = JSON.parse(line) as { level: number; msg: string };
        out.push({ level, msg });
      }
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink) as unknown as Logger, lines: () => out };
}
