import type { AddressInfo } from 'node:net';
import { createCtiEmulatorApp, type EmulatorLog } from './app';
import { createFaults, type FaultController, type FaultRuleInput } from './faults';
import { createIdempotencyStore } from './idempotency';
import { createTokenStore, type OAuthClient } from './oauth';
import { createRequestLog, type LoggedRequest, type RequestFilter } from './request-log';
import { seededState } from './seed';
import type { StateHolder } from './state';

/**
 * # CTI EMULATOR — not Genesys Cloud
 *
 * A stand-in for the contact-center platform, for development and tests. It
 * speaks a subset of the Genesys Cloud Platform API v2 (same paths, JSON field
 * names, paging and error bodies as the purecloud-platform-client-v2 models):
 * OAuth client credentials at `/oauth/token`, users and their routing skills,
 * routing skills, work teams and members, divisions (Butler's centers), queues
 * (each in a division) and members, Architect schedules and schedule groups,
 * authorization roles and their users, licence definitions/users and a billing
 * overview for seat totals, and conversation aggregates (nOffered, tAnswered
 * per queue and day) over synthetic calls. Every other `/api/v2` route
 * answers 501 `not.implemented`.
 *
 * Like Genesys, a create whose natural key is taken (a user's e-mail, a
 * team's, skill's or queue's name) answers 409 `general.conflict`, and by
 * default nothing is deduplicated by header. Beyond Genesys: opt-in
 * `Idempotency-Key` replay (idempotency.ts, `idempotencyKeys: true`), injected
 * latency, failures and lost responses (faults.ts), a request log and a control surface under
 * `/__emulator` (routes/control.ts), where a test can also pin the calls of
 * chosen queue-days (routes/call-volume-control.ts). Every response carries
 * `X-Butler-Emulator: cti`. State lives in memory and starts from seed.ts.
 */

export interface CtiEmulatorOptions {
  port: number;
  host?: string;
  /** Fault rules in force from the start. */
  faults?: FaultRuleInput | FaultRuleInput[];
  log?: EmulatorLog;
  /** OAuth clients accepted at /oauth/token; defaults to DEFAULT_EMULATOR_CLIENT. */
  clients?: OAuthClient[];
  tokenLifetimeSeconds?: number;
  /** Replay responses by `Idempotency-Key`, which Genesys does not do; off by default. */
  idempotencyKeys?: boolean;
}

export interface CtiEmulator {
  url: string;
  /** The first accepted OAuth client, for building an adapter against this emulator. */
  credentials: OAuthClient;
  faults: FaultController;
  requests(filter?: RequestFilter): LoggedRequest[];
  /** Expires every issued token now. */
  revokeTokens(): void;
  /** Seed data again (no pinned call volume); no faults, no stored idempotent responses, empty request log. Tokens stay valid. */
  reset(): void;
  stop(): Promise<void>;
}

export const DEFAULT_EMULATOR_CLIENT: OAuthClient = { clientId: 'butler-cti-emulator', clientSecret: 'emulator-secret-not-for-production' };

const quietLog: EmulatorLog = { info: () => undefined, error: () => undefined };

export async function startCtiEmulator(options: CtiEmulatorOptions): Promise<CtiEmulator> {
  const { port, host = '127.0.0.1', log = quietLog } = options;
  const clients = options.clients?.length ? options.clients : [DEFAULT_EMULATOR_CLIENT];
  const holder: StateHolder = { state: seededState() };
  const tokens = createTokenStore(options.tokenLifetimeSeconds ?? 86_400);
  const faults = createFaults();
  const idempotency = createIdempotencyStore(options.idempotencyKeys ?? false);
  const requests = createRequestLog();
  if (options.faults) faults.set(options.faults);
  const reset = () => {
    holder.state = seededState();
    faults.reset();
    idempotency.clear();
    requests.clear();
    log.info({}, 'CTI EMULATOR: state reset to seed data');
  };
  const app = createCtiEmulatorApp({ holder, clients, tokens, faults, idempotency, requests, reset, log });

  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const s = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  log.info({ url }, 'CTI EMULATOR listening (Genesys Cloud API subset; not a real CTI)');

  return {
    url,
    credentials: clients[0],
    faults,
    requests: (filter) => requests.list(filter),
    revokeTokens: tokens.revokeAll,
    reset,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
        log.info({ url }, 'CTI EMULATOR stopped');
      }),
  };
}
