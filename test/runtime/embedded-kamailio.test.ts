import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createKamailioPbx } from '../../adapters/pbx/kamailio-pbx';
import { kamailioInstalled, startEmbeddedKamailio } from '../../runtime/embedded-kamailio';
import { freePort } from '../../system/ports';
import { dropDatabaseAndRole } from '../support/kamailio';

/** The embedded Kamailio as a process: restartable on its data, exclusive on its ports, gone when stopped. */

const adminUrl = () => process.env.BUTLER_TEST_DATABASE_URL!;
let dataDir: string;
const database = `k_embedded_${process.pid}`;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(process.env.BUTLER_TEST_DATA_DIR ?? tmpdir(), 'kamailio-embedded-'));
});

afterAll(async () => {
  await dropDatabaseAndRole(adminUrl(), database);
  await dropDatabaseAndRole(adminUrl(), `${database}_2`);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Processes whose process group is Kamailio's main pid. */
function groupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        // Fields after the command name (in parentheses): state, ppid, pgrp.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const [, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(pgrp) === pgid && !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
      } catch {
        return false;
      }
    })
    .map(Number);
}

test('Kamailio is installed here (the other PBX tests depend on it)', () => {
  expect(kamailioInstalled()).toBe(true);
});

test('a missing Kamailio is a clear error, not a hang', async () => {
  await expect(startEmbeddedKamailio({ dataDir, databaseUrl: adminUrl(), database, sipPort: 1, kamailioPath: '/nonexistent/kamailio' })).rejects.toThrow(
    /Kamailio is not installed.*kamailio-postgres-modules/,
  );
});

test('restart on the same data keeps what was provisioned; stop leaves no process behind', async () => {
  const ports = { sipPort: await freePort(), rpcPort: await freePort() };
  const first = await startEmbeddedKamailio({ dataDir, databaseUrl: adminUrl(), database, ...ports });
  const pid = Number(readFileSync(path.join(dataDir, 'kamailio', 'kamailio.pid'), 'utf8'));
  expect(groupMembers(pid).length).toBeGreaterThan(2);
  const pbx = createKamailioPbx(first);
  await pbx.createTrunk({ id: 'kept', setId: 120, uri: 'sip:10.12.0.1:5060' }, { key: 'restart:trunk' });
  await pbx.close();

  // The same ports are taken while it runs: a second instance fails fast and says why.
  const second = startEmbeddedKamailio({ dataDir: path.join(dataDir, 'second'), databaseUrl: adminUrl(), database: `${database}_2`, ...ports });
  await expect(second).rejects.toThrow(/kamailio exited during start-up[^]*Address already in use/);

  await first.stop();
  expect(groupMembers(pid)).toEqual([]);

  const again = await startEmbeddedKamailio({ dataDir, databaseUrl: adminUrl(), database, ...ports });
  const reopened = createKamailioPbx(again);
  try {
    expect(again.databaseUrl).toBe(first.databaseUrl);
    expect(await reopened.trunkStatus()).toContainEqual(expect.objectContaining({ id: 'kept', state: 'active' }));
  } finally {
    await reopened.close();
    await again.stop();
  }
  expect(existsSync(path.join(dataDir, 'kamailio', 'kamailio.cfg'))).toBe(true);
});

test('a Kamailio that dies after start-up is started again and says so; what was provisioned is still served', async () => {
  const ports = { sipPort: await freePort(), rpcPort: await freePort() };
  const told: string[] = [];
  const kamailio = await startEmbeddedKamailio({ dataDir, databaseUrl: adminUrl(), database, ...ports, onExit: (m) => told.push(m) });
  const pbx = createKamailioPbx(kamailio);
  try {
    await pbx.createDialplanRule({ dpid: 3, priority: 1, match: '^555$', substitute: '^555$', replace: '1555' }, { key: 'crash:rule' });
    const pidFile = path.join(dataDir, 'kamailio', 'kamailio.pid');
    const crashed = Number(readFileSync(pidFile, 'utf8'));
    process.kill(crashed, 'SIGKILL');

    const mainPid = async () =>
      fetch(kamailio.rpcUrl, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', method: 'core.ps', id: 1 }) })
        .then((r) => r.json() as Promise<{ result?: number[] }>)
        .then(
          (r) => r.result?.[0],
          () => undefined,
        );
    let answering: number | undefined;
    for (let i = 0; i < 100 && (answering === undefined || answering === crashed); i++) {
      await new Promise((r) => setTimeout(r, 200));
      answering = await mainPid();
    }
    expect(answering).toBeDefined();
    expect(answering).not.toBe(crashed);
    expect(await pbx.translate(3, '555')).toBe('1555');
    expect(told).toEqual([expect.stringMatching(/^kamailio exited unexpectedly \(SIGKILL\); restarting it/)]);
  } finally {
    await pbx.close();
    await kamailio.stop();
  }
});
