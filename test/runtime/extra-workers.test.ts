import { loadConfig } from '../../runtime/config';
import { ExtraWorkerError, joinEnv } from '../../runtime/extra-workers';
import type { RunningVendors } from '../../runtime/vendors';

/**
 * `npm run cluster`'s second worker joins the first: the same database, Temporal and task queue, the
 * same PBX, CTI and telemetry (whose stand-ins stay marked simulated), and neither the schedules nor
 * the history archiver (one of each is enough). What it is given must load as a valid worker config.
 */

const vendors = (pbx: RunningVendors['endpoints']['pbx'], simulated = { pbx: false, cti: true, telemetry: true }) =>
  ({ endpoints: { ctiUrl: 'http://127.0.0.1:8090', telemetryUrl: 'http://127.0.0.1:8091', pbx }, simulated }) as unknown as RunningVendors;
const kamailio = {
  rpcUrl: 'http://127.0.0.1:5071/RPC',
  databaseUrl: 'postgres://kamailio@127.0.0.1:5433/kamailio',
  sipAddress: '127.0.0.1:5070',
  domain: 'pbx.butler.local',
};
const shared = (v: RunningVendors) => ({
  databaseUrl: 'postgres://butler_app:pw@127.0.0.1:5433/butler',
  ownerUrl: 'postgres://postgres:pw@127.0.0.1:5433/butler',
  temporalAddress: '127.0.0.1:7233',
  vendors: v,
});

test('the second worker drives the first worker’s vendors, its stand-ins still marked simulated, without schedules or the archiver', () => {
  const first = loadConfig({ BUTLER_DATA_DIR: '/srv/butler/.data/cluster' }, '/srv/butler', { vendors: true });
  const env = joinEnv(first, shared(vendors(kamailio)));
  expect(env).toMatchObject({
    DATABASE_URL: 'postgres://butler_app:pw@127.0.0.1:5433/butler',
    DATABASE_OWNER_URL: 'postgres://postgres:pw@127.0.0.1:5433/butler',
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    TEMPORAL_TASK_QUEUE: 'butler',
    PBX_RPC_URL: kamailio.rpcUrl,
    PBX_SIP_ADDRESS: kamailio.sipAddress,
    CTI_BASE_URL: 'http://127.0.0.1:8090',
    TELEMETRY_URL: 'http://127.0.0.1:8091',
    BUTLER_SHARED_SIMULATORS: 'cti,telemetry',
    BUTLER_AUDIT_SIGNING_KEY: '/srv/butler/.data/cluster/audit-signing-key.pem',
    NOTIFY_ALLOW_HTTP: 'true',
    SCHEDULES_ENABLED: 'false',
    ARCHIVE_INTERVAL_SECONDS: '0',
  });
  const second = loadConfig(env, '/srv/butler', { vendors: true });
  expect(second.embedded).toBe(false);
  expect(second.pbx.external).toEqual({ rpcUrl: kamailio.rpcUrl, databaseUrl: kamailio.databaseUrl, sipAddress: kamailio.sipAddress });
  expect(second.sharedSimulators).toEqual(['cti', 'telemetry']);
  expect(second.schedules.enabled).toBe(false);
  expect(second.archiveIntervalMs).toBe(0);
  expect(second.outbound.httpsOnly).toBe(false);
});

test('real vendors are joined as real ones; the PBX simulator, living in one process, cannot be joined', () => {
  const first = loadConfig({}, '/srv/butler', { vendors: true });
  const real = joinEnv(first, shared(vendors(kamailio, { pbx: false, cti: false, telemetry: false })));
  expect(real.BUTLER_SHARED_SIMULATORS).toBe('');
  expect(loadConfig(real, '/srv/butler', { vendors: true }).sharedSimulators).toEqual([]);
  expect(() => joinEnv(first, shared(vendors(undefined, { pbx: true, cti: true, telemetry: true })))).toThrow(
    new ExtraWorkerError('a second worker needs a PBX it can reach: the PBX simulator lives inside one process (install Kamailio, or set PBX_RPC_URL)'),
  );
});

test('BUTLER_SHARED_SIMULATORS names only a stand-in it can reach', () => {
  const base = { DATABASE_URL: 'postgres://u:p@db/butler', TEMPORAL_ADDRESS: 't:7233' };
  expect(() => loadConfig({ ...base, BUTLER_SHARED_SIMULATORS: 'cti' })).toThrow(/names cti without CTI_BASE_URL/);
  expect(() => loadConfig({ ...base, BUTLER_SHARED_SIMULATORS: 'pbx' })).toThrow(/PBX simulator lives inside one process/);
  expect(() => loadConfig({ ...base, BUTLER_SHARED_SIMULATORS: 'fax' })).toThrow(/BUTLER_SHARED_SIMULATORS: unknown simulator "fax"/);
  expect(loadConfig({ ...base, BUTLER_SHARED_SIMULATORS: 'telemetry', TELEMETRY_URL: 'http://127.0.0.1:8091' }).sharedSimulators).toEqual(['telemetry']);
});
