import { VendorNotFoundError } from '../../adapters/vendor-errors';
import type { Check } from './checks';
import type { ChangeHandlerDeps } from './handler';

/**
 * The SIP half of verifying a line change: the DN registers with its own
 * credentials and calls the test number. Two checks, so a failure names
 * which half failed; the credentials are used here and never returned.
 */
export async function sipAcceptanceChecks(
  { pbx, acceptance, acceptancePlan }: Pick<ChangeHandlerDeps, 'pbx' | 'acceptance' | 'acceptancePlan'>,
  dn: string,
): Promise<Check[]> {
  const register = `SIP register of ${dn}`;
  const call = `SIP test call from ${dn} to ${acceptancePlan.testNumber}`;
  const credentials = await pbx.getSipCredentials(dn).catch((err: unknown) => {
    if (err instanceof VendorNotFoundError) return err;
    throw err;
  });
  if (credentials instanceof VendorNotFoundError) {
    return [
      { what: register, expected: 'registered', observed: `no SIP account: ${credentials.message}`, ok: false },
      { what: call, expected: 'answered', observed: 'not attempted', ok: false },
    ];
  }
  const result = await acceptance.accept(credentials, acceptancePlan.testNumber);
  return [
    { what: register, expected: 'registered', observed: result.register.detail, ok: result.register.ok },
    { what: call, expected: 'answered', observed: result.call.detail, ok: result.call.ok },
  ];
}
