import { createGenesysCti } from '../../adapters/cti/genesys-cti';
import { acceptancePlan } from '../../adapters/pbx/line-routing';
import { createSippAcceptance } from '../../adapters/pbx/sipp-acceptance';
import { startSippAnsweringPoint, type SippAnsweringPoint } from '../../adapters/pbx/sipp-answering-point';
import { createTelemetryClient } from '../../adapters/telemetry/telemetry-client';
import { startCtiEmulator, type CtiEmulator } from '../../emulators/cti/emulator';
import { startTelemetrySimulator, type TelemetrySimulator } from '../../emulators/telemetry/simulator';
import type { Vendors } from '../../runtime/vendors';
import { CALLER_DN, TEST_NUMBER } from '../../runtime/embedded-worker';
import { freePort } from '../../system/ports';
import { startTestKamailio, type TestKamailio } from './kamailio';

export { CALLER_DN, noVendors, TEST_NUMBER } from '../../runtime/embedded-worker';

export interface TestVendors extends Vendors {
  kamailio: TestKamailio;
  emulator: CtiEmulator;
  answeringPoint: SippAnsweringPoint;
  telemetrySimulator: TelemetrySimulator;
  stop(): Promise<void>;
}

/**
 * The real PBX and CTI of a test file: a Kamailio of its own with the test
 * line answered by a SIPp answering point, and the CTI emulator, with the
 * adapters the worker uses in production.
 */
export async function startTestVendors(): Promise<TestVendors> {
  const [answeringPoint, emulator, telemetrySimulator] = await Promise.all([
    freePort().then((port) => startSippAnsweringPoint({ port })),
    freePort().then((port) => startCtiEmulator({ port })),
    startTelemetrySimulator({ port: 0 }),
  ]);
  const kamailio = await startTestKamailio({ testLine: { number: TEST_NUMBER, answeringPoint: answeringPoint.address, callerDn: CALLER_DN } });
  return {
    kamailio,
    emulator,
    answeringPoint,
    telemetrySimulator,
    pbx: kamailio.pbx,
    telemetry: createTelemetryClient({ baseUrl: telemetrySimulator.url, timeoutMs: 5_000 }),
    cti: createGenesysCti({ baseUrl: emulator.url, ...emulator.credentials, timeoutMs: 5_000 }),
    acceptance: createSippAcceptance({ pbxSipAddress: kamailio.kamailio.sipAddress, localIp: '127.0.0.1', timeoutMs: 10_000, registrationExpiresSec: 5 }),
    acceptancePlan: acceptancePlan({ domain: kamailio.kamailio.domain, testNumber: TEST_NUMBER, callerDn: CALLER_DN }),
    // A real Kamailio; the CTI emulator and the telemetry simulator are what they are.
    simulated: { pbx: false, cti: true, telemetry: true },
    stop: async () => {
      await kamailio.stop();
      await Promise.all([answeringPoint.stop(), emulator.stop(), telemetrySimulator.stop()]);
    },
  };
}
