import { createGenesysCti } from '../adapters/cti/genesys-cti';
import type { CtiClient } from '../adapters/cti/cti-client';
import { createKamailioPbx } from '../adapters/pbx/kamailio-pbx';
import type { LineAcceptance } from '../adapters/pbx/line-acceptance';
import { acceptancePlan, type AcceptancePlan } from '../adapters/pbx/line-routing';
import type { PbxClient } from '../adapters/pbx/pbx-client';
import { createSippAcceptance } from '../adapters/pbx/sipp-acceptance';
import { startSippAnsweringPoint } from '../adapters/pbx/sipp-answering-point';
import { createTelemetryClient, type TelemetryClient } from '../adapters/telemetry/telemetry-client';
import { startCtiEmulator } from '../emulators/cti/emulator';
import { startTelemetrySimulator } from '../emulators/telemetry/simulator';
import { startEmbeddedPbxSimulator } from './embedded-pbx-simulator';
import type { Config } from './config';
import type { SimulatedVendors } from '../domain/data-source';
import { startEmbeddedKamailio } from './embedded-kamailio';
import { decidePbx, installKamailio } from './pbx-mode';
import type { Logger } from '../system/logger';

/** The systems Butler drives, as the activities see them. */
export interface Vendors {
  pbx: PbxClient;
  cti: CtiClient;
  telemetry: TelemetryClient;
  acceptance: LineAcceptance;
  acceptancePlan: AcceptancePlan;
  /** Which of them is a simulator (or emulator): what is derived from its data is marked simulated. */
  simulated: SimulatedVendors;
}

export type { SimulatedVendors } from '../domain/data-source';

export interface RunningVendors extends Vendors {
  /** host:port where the embedded Kamailio serves its Prometheus metrics (GET /metrics); none for an external PBX or the simulator. */
  pbxMetricsTarget?: string;
  /** Where each is reached: what another worker process needs to drive the same ones (none for the PBX simulator, which lives in this process). */
  endpoints: VendorEndpoints;
  stop(): Promise<void>;
}

export interface VendorEndpoints {
  ctiUrl: string;
  telemetryUrl: string;
  pbx?: { rpcUrl: string; databaseUrl: string; sipAddress: string; domain: string };
}

const ACCEPTANCE_STEP_TIMEOUT_MS = 15_000;

/**
 * The PBX, the CTI and telemetry: the real ones when configured; otherwise, embedded,
 * a Kamailio of our own (installed when missing; the PBX simulator as pbx-mode.ts
 * decides), the CTI emulator and the telemetry simulator, each flagged in
 * `simulated`. `adminDatabaseUrl` is the PostgreSQL server an embedded Kamailio
 * takes its own database on.
 */
export async function startVendors(config: Config, log: Logger, adminDatabaseUrl: string): Promise<RunningVendors> {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err: unknown) => log.error({ err }, 'stopping a vendor service failed'));
  };
  try {
    const { cti, ctiUrl } = await startCti(config, log, stops);
    const { simulated: pbxSimulated, endpoint: pbxEndpoint, ...pbx } = await startPbx(config, log, adminDatabaseUrl, stops);
    const { telemetry, telemetryUrl } = await startTelemetry(config, log, stops);
    const shared = config.sharedSimulators;
    return {
      cti,
      telemetry,
      ...pbx,
      endpoints: { ctiUrl, telemetryUrl, pbx: pbxEndpoint },
      simulated: {
        pbx: pbxSimulated,
        cti: !config.cti.baseUrl || shared.includes('cti'),
        telemetry: !config.telemetry.url || shared.includes('telemetry'),
      },
      acceptancePlan: acceptancePlan({ domain: config.pbx.domain, ...config.pbx.acceptance }),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function startCti(config: Config, log: Logger, stops: Array<() => Promise<unknown>>): Promise<{ cti: CtiClient; ctiUrl: string }> {
  const { clientId, clientSecret } = config.cti;
  let baseUrl = config.cti.baseUrl;
  if (!baseUrl) {
    const emulator = await startCtiEmulator({
      port: config.cti.emulatorPort,
      clients: [{ clientId, clientSecret }],
      log: {
        info: (obj, msg) => log.debug({ component: 'cti-emulator', ...obj }, msg),
        error: (obj, msg) => log.error({ component: 'cti-emulator', ...obj }, msg),
      },
    });
    stops.push(() => emulator.stop());
    baseUrl = emulator.url;
    log.info(`CTI EMULATOR (Genesys Cloud API subset, not a real CTI) on ${baseUrl}`);
  }
  return { cti: createGenesysCti({ baseUrl, clientId, clientSecret }), ctiUrl: baseUrl };
}

async function startTelemetry(
  config: Config,
  log: Logger,
  stops: Array<() => Promise<unknown>>,
): Promise<{ telemetry: TelemetryClient; telemetryUrl: string }> {
  let baseUrl = config.telemetry.url;
  if (!baseUrl) {
    const simulator = await startTelemetrySimulator({ host: '127.0.0.1', port: config.telemetry.simulatorPort });
    stops.push(() => simulator.stop());
    baseUrl = simulator.url;
    log.info(`TELEMETRY SIMULATOR (synthetic host metrics and backups, not real devices) on ${baseUrl}`);
  }
  return { telemetry: createTelemetryClient({ baseUrl }), telemetryUrl: baseUrl };
}

async function startPbx(
  config: Config,
  log: Logger,
  adminDatabaseUrl: string,
  stops: Array<() => Promise<unknown>>,
): Promise<{ pbx: PbxClient; acceptance: LineAcceptance; simulated: boolean; pbxMetricsTarget?: string; endpoint?: VendorEndpoints['pbx'] }> {
  const { external, domain, embeddedSipPort, embeddedRpcPort, embeddedAnsweringPort, acceptance } = config.pbx;
  if (external) {
    const pbx = createKamailioPbx({ databaseUrl: external.databaseUrl, rpcUrl: external.rpcUrl, domain });
    stops.push(() => pbx.close());
    log.info(`PBX: Kamailio at ${external.sipAddress} (JSON-RPC ${external.rpcUrl})`);
    return {
      pbx,
      acceptance: createSippAcceptance({ pbxSipAddress: external.sipAddress, localIp: '127.0.0.1', timeoutMs: ACCEPTANCE_STEP_TIMEOUT_MS }),
      simulated: false,
      endpoint: { ...external, domain },
    };
  }
  // Installs Kamailio and SIPp first when they are missing and can be (pbx-mode.ts).
  const choice = decidePbx(config.pbx, () => installKamailio((line) => log.info(line)));
  if (choice.run === 'simulator') {
    // The one line that says the PBX is simulated, why, and how to get the real one.
    log.warn(choice.notice);
    const simulator = await startEmbeddedPbxSimulator({
      databaseUrl: adminDatabaseUrl,
      dataDir: config.dataDir,
      rpcPort: embeddedRpcPort,
      domain,
      testLine: { number: acceptance.testNumber, callerDn: acceptance.callerDn },
      log: (line: string) => log.warn({ component: 'pbx-simulator' }, line),
      announce: (line: string) => log.debug({ component: 'pbx-simulator' }, line),
    });
    const pbx = createKamailioPbx({ databaseUrl: simulator.databaseUrl, rpcUrl: simulator.rpcUrl, domain: simulator.domain });
    stops.push(
      () => simulator.stop(),
      () => pbx.close(),
    );
    return { pbx, acceptance: simulator.acceptance, simulated: true };
  }
  // The answering point first: the Kamailio's test line routes to it.
  const answeringPoint = await startSippAnsweringPoint({ port: embeddedAnsweringPort });
  stops.push(() => answeringPoint.stop());
  const kamailio = await startEmbeddedKamailio({
    dataDir: config.dataDir,
    databaseUrl: adminDatabaseUrl,
    sipPort: embeddedSipPort,
    rpcPort: embeddedRpcPort,
    testLine: { number: acceptance.testNumber, answeringPoint: answeringPoint.address, callerDn: acceptance.callerDn },
    onLog: (line) => log.debug({ component: 'kamailio' }, line),
    onExit: (message) => log.error({ component: 'kamailio' }, message),
  });
  stops.push(() => kamailio.stop());
  const pbx = createKamailioPbx({ databaseUrl: kamailio.databaseUrl, rpcUrl: kamailio.rpcUrl, domain: kamailio.domain });
  stops.push(() => pbx.close());
  log.info(`PBX: embedded Kamailio, SIP ${kamailio.sipAddress}, JSON-RPC ${kamailio.rpcUrl}; test line ${acceptance.testNumber} → ${answeringPoint.address}`);
  return {
    pbx,
    acceptance: createSippAcceptance({ pbxSipAddress: kamailio.sipAddress, localIp: '127.0.0.1', timeoutMs: ACCEPTANCE_STEP_TIMEOUT_MS }),
    simulated: false,
    pbxMetricsTarget: new URL(kamailio.rpcUrl).host,
    endpoint: { rpcUrl: kamailio.rpcUrl, databaseUrl: kamailio.databaseUrl, sipAddress: kamailio.sipAddress, domain: kamailio.domain },
  };
}
