import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import type { Config } from './config';

/** Connection options shared by the client (API) and the worker. */
export function temporalConnectionOptions(config: Config['temporal'], address: string): { address: string; tls?: TLSConfig } {
  const tls = config.tls;
  if (!tls) return { address };
  return {
    address,
    tls: {
      serverNameOverride: tls.serverName,
      serverRootCACertificate: tls.caPath ? readFileSync(tls.caPath) : undefined,
      clientCertPair: tls.certPath && tls.keyPath ? { crt: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) } : undefined,
    },
  };
}
