import { ConfigError, loadConfig, MissingVendorSettingsError } from '../../runtime/config';

test('defaults give the embedded stack', () => {
  const config = loadConfig({}, '/srv/butler');
  expect(config).toMatchObject({
    port: 3000,
    dataDir: '/srv/butler/.data',
    temporal: { address: undefined, namespace: 'default', taskQueue: 'butler', embeddedPort: 7233, uiPort: 8233 },
    database: { url: undefined },
    tokens: [],
  });
});

test('external services and tokens are read from the environment', () => {
  const config = loadConfig({
    TEMPORAL_ADDRESS: 'temporal:7233',
    DATABASE_URL: 'postgres://u:p@db:5432/butler',
    BUTLER_DATA_DIR: '/var/lib/butler',
    BUTLER_TOKENS: 'spm:abcdefgh12:김SPM, auditor:zyxwvuts98',
  });
  expect(config.temporal.address).toBe('temporal:7233');
  expect(config.database.url).toBe('postgres://u:p@db:5432/butler');
  expect(config.dataDir).toBe('/var/lib/butler');
  expect(config.tokens).toEqual([
    { role: 'spm', token: 'abcdefgh12', subject: '김SPM' },
    { role: 'auditor', token: 'zyxwvuts98', subject: 'auditor-zyxw' },
  ]);
});

test.each([
  [{ PORT: 'abc' }, 'PORT'],
  [{ PORT: '70000' }, 'PORT'],
  [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
  [{ BUTLER_TOKENS: 'root:abcdefgh12' }, 'BUTLER_TOKENS'],
  [{ BUTLER_TOKENS: 'spm:short' }, 'BUTLER_TOKENS'],
  [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
])('a bad value (%o) is one clear error naming %s', (env, variable) => {
  expect(() => loadConfig(env)).toThrow(ConfigError);
  expect(() => loadConfig(env)).toThrow(new RegExp(`^invalid configuration: ${variable}: `));
});

test('the token itself never appears in a configuration error', () => {
  expect(() => loadConfig({ BUTLER_TOKENS: 'nobody:supersecret123' })).toThrow(/nobody/);
  expect(() => loadConfig({ BUTLER_TOKENS: 'nobody:supersecret123' })).not.toThrow(/supersecret/);
});

describe('vendors outside the embedded default', () => {
  const external = { DATABASE_URL: 'postgres://u:p@db:5432/butler', TEMPORAL_ADDRESS: 'temporal:7233' };
  const realPbx = { PBX_RPC_URL: 'http://pbx:5071/RPC', PBX_DATABASE_URL: 'postgres://k:p@pbx-db:5432/kamailio', PBX_SIP_ADDRESS: 'pbx:5060' };
  const realVendors = { ...realPbx, CTI_BASE_URL: 'https://api.cti.example', TELEMETRY_URL: 'https://telemetry.example' };
  const refusal = (env: NodeJS.ProcessEnv): MissingVendorSettingsError => {
    try {
      loadConfig(env, '/srv/butler', { vendors: true });
    } catch (err) {
      if (err instanceof MissingVendorSettingsError) return err;
      throw err;
    }
    throw new Error('loadConfig accepted the configuration');
  };

  test.each([
    ['DATABASE_URL', { DATABASE_URL: external.DATABASE_URL }],
    ['TEMPORAL_ADDRESS', { TEMPORAL_ADDRESS: external.TEMPORAL_ADDRESS }],
  ])('with %s set, a worker without any vendor setting is refused, naming every missing variable', (_name, env) => {
    const err = refusal(env);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.missing).toEqual([
      { vendor: 'pbx', variables: ['PBX_RPC_URL', 'PBX_DATABASE_URL', 'PBX_SIP_ADDRESS'] },
      { vendor: 'cti', variables: ['CTI_BASE_URL'] },
      { vendor: 'telemetry', variables: ['TELEMETRY_URL'] },
    ]);
    expect(err.message).toMatch(
      /^invalid configuration: PBX_RPC_URL, PBX_DATABASE_URL, PBX_SIP_ADDRESS \(the PBX\); CTI_BASE_URL \(the CTI\); TELEMETRY_URL \(telemetry\) not set\./,
    );
    expect(err.message).toMatch(/BUTLER_SIMULATORS=pbx,cti,telemetry$/);
  });

  test('only what is missing is named', () => {
    const { TELEMETRY_URL: _t, ...withoutTelemetry } = realVendors;
    const err = refusal({ ...external, ...withoutTelemetry });
    expect(err.missing).toEqual([{ vendor: 'telemetry', variables: ['TELEMETRY_URL'] }]);
    expect(err.message).toMatch(/^invalid configuration: TELEMETRY_URL \(telemetry\) not set\..*BUTLER_SIMULATORS=telemetry$/);
  });

  test('every vendor configured: accepted, nothing simulated', () => {
    const config = loadConfig({ ...external, ...realVendors }, '/srv/butler', { vendors: true });
    expect(config).toMatchObject({ embedded: false, simulators: [], pbx: { external: { sipAddress: 'pbx:5060' } } });
  });

  test('BUTLER_SIMULATORS opts in to any subset, explicitly', () => {
    const all = loadConfig({ ...external, BUTLER_SIMULATORS: 'telemetry, PBX,cti' }, '/srv/butler', { vendors: true });
    expect(all.simulators).toEqual(['pbx', 'cti', 'telemetry']);
    expect(all.pbx).toMatchObject({ external: undefined, mode: 'simulator', simulatorFallback: false, simulatorAskedBy: 'BUTLER_SIMULATORS' });
    const some = loadConfig({ ...external, ...realPbx, CTI_BASE_URL: 'https://api.cti.example', BUTLER_SIMULATORS: 'telemetry' }, '/srv/butler', {
      vendors: true,
    });
    expect(some.simulators).toEqual(['telemetry']);
    expect(refusal({ ...external, BUTLER_SIMULATORS: 'cti' }).missing.map((m) => m.vendor)).toEqual(['pbx', 'telemetry']);
  });

  test('PBX_MODE names the PBX too: the embedded Kamailio, or the simulator', () => {
    const env = { ...external, BUTLER_SIMULATORS: 'cti,telemetry' };
    expect(loadConfig({ ...env, PBX_MODE: 'embedded' }, '/srv/butler', { vendors: true }).pbx).toMatchObject({ mode: 'embedded', simulatorFallback: false });
    const simulated = loadConfig({ ...env, PBX_MODE: 'simulator' }, '/srv/butler', { vendors: true });
    expect(simulated.pbx).toMatchObject({ mode: 'simulator', simulatorAskedBy: 'PBX_MODE=simulator' });
    expect(simulated.simulators).toEqual(['pbx', 'cti', 'telemetry']);
  });

  test('unknown simulator names are refused, naming them and the known ones', () => {
    expect(() => loadConfig({ BUTLER_SIMULATORS: 'pbx,crm' })).toThrow(ConfigError);
    expect(() => loadConfig({ BUTLER_SIMULATORS: 'pbx,crm' })).toThrow(
      /^invalid configuration: BUTLER_SIMULATORS: unknown simulator "crm"; the simulators are pbx, cti, telemetry/,
    );
    expect(() => loadConfig({ PBX_MODE: 'fake' })).toThrow(/^invalid configuration: PBX_MODE: /);
  });

  test('a simulator asked for where the real one is configured is a contradiction, refused', () => {
    expect(() => loadConfig({ ...realVendors, BUTLER_SIMULATORS: 'cti' })).toThrow(/BUTLER_SIMULATORS names cti while CTI_BASE_URL names a real CTI/);
    expect(() => loadConfig({ ...realPbx, PBX_MODE: 'simulator' })).toThrow(/PBX_MODE=simulator with PBX_RPC_URL/);
  });

  test('the embedded default (npm start) and the processes that drive no vendor need no setting', () => {
    const embedded = loadConfig({}, '/srv/butler', { vendors: true });
    expect(embedded).toMatchObject({ embedded: true, simulators: [], pbx: { mode: 'embedded', simulatorFallback: true } });
    expect(loadConfig(external, '/srv/butler').embedded).toBe(false);
    expect(loadConfig({ PBX_MODE: 'simulator' }).pbx).toMatchObject({ mode: 'simulator', simulatorFallback: false });
  });
});

test('webhooks: http only in the embedded default (or by NOTIFY_ALLOW_HTTP); NOTIFY_ALLOWED_HOSTS is a list', () => {
  expect(loadConfig({}).outbound).toEqual({ httpsOnly: false, allowedHosts: null });
  const external = { DATABASE_URL: 'postgres://app@db/butler', TEMPORAL_ADDRESS: 'temporal:7233' };
  expect(loadConfig(external).outbound).toEqual({ httpsOnly: true, allowedHosts: null });
  expect(loadConfig({ ...external, NOTIFY_ALLOW_HTTP: 'true', NOTIFY_ALLOWED_HOSTS: ' hooks.example.com , 127.0.0.1,' }).outbound).toEqual({
    httpsOnly: false,
    allowedHosts: ['hooks.example.com', '127.0.0.1'],
  });
  expect(() => loadConfig({ NOTIFY_ALLOW_HTTP: 'yes' })).toThrow(ConfigError);
});
