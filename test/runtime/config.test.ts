import { ConfigError, loadConfig } from '../../runtime/config';

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
