import { APT_REASON, installAptPackages, type AptOutcome } from '../system/system-packages';
import type { Config } from './config';
import { kamailioInstalled } from './embedded-kamailio';

/** What the embedded PBX needs on the machine: Kamailio, its PostgreSQL driver, SIPp for the acceptance calls. */
export const KAMAILIO_PACKAGES = ['kamailio', 'kamailio-postgres-modules', 'sip-tester'];

/** Which PBX the worker drives; the simulator always with the one line start-up says about it. */
export type PbxChoice = { run: 'external' } | { run: 'kamailio' } | { run: 'simulator'; notice: string };

/** PBX_MODE=embedded asked for the real Kamailio by name, and it cannot be had on this machine. */
export class KamailioUnavailableError extends Error {
  override name = 'KamailioUnavailableError';
}

/** Installs Kamailio and SIPp when missing and possible (root, apt-get); the outcome says why not otherwise. */
export function installKamailio(say: (line: string) => void): AptOutcome {
  const outcome = installAptPackages(KAMAILIO_PACKAGES, say);
  if (outcome.installed && !kamailioInstalled())
    return { installed: false, reason: 'apt-failed', command: `apt-get install -y ${KAMAILIO_PACKAGES.join(' ')}` };
  return outcome;
}

/**
 * The PBX decision: a real Kamailio when one is configured; the PBX simulator
 * when asked for (PBX_MODE=simulator, BUTLER_SIMULATORS=pbx); otherwise the
 * embedded Kamailio, installed first when missing. Only in the embedded
 * default, when installing is impossible, does the simulator stand in, and
 * its notice names why and how to get the real one.
 */
export function decidePbx(pbx: Config['pbx'], install: () => AptOutcome): PbxChoice {
  if (pbx.external) return { run: 'external' };
  if (pbx.mode === 'simulator') {
    const realOne =
      pbx.simulatorAskedBy === 'PBX_MODE=simulator'
        ? 'unset PBX_MODE for the real Kamailio'
        : 'set PBX_RPC_URL, PBX_DATABASE_URL and PBX_SIP_ADDRESS (or PBX_MODE=embedded) for a real Kamailio';
    return {
      run: 'simulator',
      notice: `PBX SIMULATOR, as asked (${pbx.simulatorAskedBy ?? 'PBX_MODE=simulator'}): line acceptance is simulated, no SIP is sent; ${realOne}`,
    };
  }
  const outcome = install();
  if (outcome.installed) return { run: 'kamailio' };
  const why = `Kamailio is not installed and cannot be installed here (${APT_REASON[outcome.reason]})`;
  const howTo = outcome.reason === 'not-root' ? `run "${outcome.command}" as root, or start Butler as root once` : `run "${outcome.command}"`;
  if (!pbx.simulatorFallback) throw new KamailioUnavailableError(`PBX_MODE=embedded: ${why}; ${howTo}`);
  return {
    run: 'simulator',
    notice: `PBX SIMULATOR: ${why}, so line acceptance is simulated and no SIP is sent; for the real Kamailio ${howTo}`,
  };
}
