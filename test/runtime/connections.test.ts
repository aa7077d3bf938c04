import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../runtime/config';
import { ensureDevTokens } from '../../runtime/dev-tokens';
import { createLogger } from '../../system/logger';
import { temporalConnectionOptions } from '../../runtime/temporal-connection';

const dir = mkdtempSync(path.join(tmpdir(), 'butler-runtime-'));

test('TLS settings become the Temporal connection’s mTLS options, read from the files', () => {
  for (const [name, text] of [
    ['ca.pem', 'CA'],
    ['client.pem', 'CERT'],
    ['client.key', 'KEY'],
  ])
    writeFileSync(path.join(dir, name), text);
  const config = loadConfig({
    TEMPORAL_ADDRESS: 'temporal.example:7233',
    TEMPORAL_TLS_CA_PATH: path.join(dir, 'ca.pem'),
    TEMPORAL_TLS_CERT_PATH: path.join(dir, 'client.pem'),
    TEMPORAL_TLS_KEY_PATH: path.join(dir, 'client.key'),
    TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
  });
  const options = temporalConnectionOptions(config.temporal, config.temporal.address!);
  expect(options.address).toBe('temporal.example:7233');
  expect(options.tls).toMatchObject({ serverNameOverride: 'temporal.internal' });
  const tls = options.tls as { serverRootCACertificate: Buffer; clientCertPair: { crt: Buffer; key: Buffer } };
  expect(tls.serverRootCACertificate.toString()).toBe('CA');
  expect(tls.clientCertPair.crt.toString()).toBe('CERT');
  expect(tls.clientCertPair.key.toString()).toBe('KEY');
});

test('without TLS settings the connection is plain', () => {
  const config = loadConfig({ TEMPORAL_ADDRESS: 'localhost:7233' });
  expect(temporalConnectionOptions(config.temporal, 'localhost:7233')).toEqual({ address: 'localhost:7233' });
});

test('development tokens: one per role, private to the owner, the same after a restart', () => {
  const log = createLogger('silent');
  const first = ensureDevTokens(dir, log);
  expect(first.map((g) => g.role)).toEqual(['admin', 'spm', 'engineer', 'auditor', 'automation']);
  expect(new Set(first.map((g) => g.token)).size).toBe(5);
  const file = path.join(dir, 'dev-tokens.json');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(ensureDevTokens(dir, log)).toEqual(first);
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first);
});
