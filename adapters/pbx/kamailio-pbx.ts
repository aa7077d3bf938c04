import type { PbxClient } from './pbx-client';
import { createKamailioContext } from './kamailio-context';
import { kamailioDialplan } from './kamailio-dialplan';
import { kamailioExtensions } from './kamailio-extensions';
import { kamailioPhones } from './kamailio-phones';
import { createKamailioRpc } from './kamailio-rpc';
import { kamailioStatus } from './kamailio-status';
import { kamailioTrunks } from './kamailio-trunks';
import { kamailioCallRecords } from './kamailio-call-records';

export interface KamailioPbxOptions {
  /** Kamailio's own database (the one its modules read), not Butler's. */
  databaseUrl: string;
  /** JSON-RPC over HTTP, e.g. http://127.0.0.1:5071/RPC. */
  rpcUrl: string;
  /** SIP domain of the extensions (subscriber.domain), e.g. 127.0.0.1. */
  domain: string;
  rpcTimeoutMs?: number;
}

export interface KamailioPbx extends PbxClient {
  /** Closes the database pool. */
  close(): Promise<void>;
}

/**
 * The PBX adapter for Kamailio: provisioning is rows in Kamailio's tables
 * (written with PostgreSQL, one transaction per change together with its
 * idempotency record), made live with the module's RPC reload; live state is
 * read with RPC. Each resource is its own file (kamailio-*.ts).
 */
export function createKamailioPbx(opts: KamailioPbxOptions): KamailioPbx {
  const rpc = createKamailioRpc(opts.rpcUrl, { timeoutMs: opts.rpcTimeoutMs });
  const ctx = createKamailioContext(opts.databaseUrl, rpc, opts.domain);
  return {
    ...kamailioExtensions(ctx),
    ...kamailioPhones(ctx),
    ...kamailioTrunks(ctx),
    ...kamailioDialplan(ctx),
    ...kamailioStatus(ctx),
    ...kamailioCallRecords(ctx),
    close: () => ctx.close(),
  };
}
