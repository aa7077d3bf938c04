import type { LicenceUsage } from './cti-client';
import { withQuery, type GenesysHttp } from './genesys-http';
import type { LicenseDefinition, Organization, TrusteeBillingOverview, UserLicenses } from './genesys-models';

/**
 * Licence seats in use and bought. Use comes from `/api/v2/license/users`
 * (who holds which licence); seats bought from the billing overview's
 * `prepayQuantity`, matched to a licence by its description. A licence with
 * no billing line reports total 0.
 */
export function genesysLicences(http: GenesysHttp, pageSize: number) {
  return {
    async usage(): Promise<LicenceUsage[]> {
      const [definitions, holders, org] = await Promise.all([
        http.get<LicenseDefinition[]>('/api/v2/license/definitions'),
        http.listAll<UserLicenses>(withQuery('/api/v2/license/users', { pageSize })),
        http.get<Organization>('/api/v2/organizations/me'),
      ]);
      const billing = await http.get<TrusteeBillingOverview>(`/api/v2/billing/trusteebillingoverview/${encodeURIComponent(org.id)}`);
      const assigned = new Map<string, number>();
      for (const user of holders) for (const id of user.licenses ?? []) assigned.set(id, (assigned.get(id) ?? 0) + 1);
      return definitions.map((d) => ({
        licence: d.id,
        assigned: assigned.get(d.id) ?? 0,
        total: Number(billing.usages?.find((u) => u.name === d.description)?.prepayQuantity ?? 0),
      }));
    },
  };
}
