import { Router } from 'express';
import { notFound } from '../genesys-errors';
import { mustFind } from '../lookup';
import { numberedPage } from '../paging';
import { liveUsers, type CtiState, type LicenceRecord, type StateHolder } from '../state';

/**
 * Licences, as close as the public API gets to "seats bought vs. used":
 * - `GET /api/v2/license/definitions` — LicenseDefinition[] (what exists);
 * - `GET /api/v2/license/users` — UserLicensesEntityListing (who holds what;
 *   inferred from roles: a new user's default role brings the base licence,
 *   the recording role an add-on, a deleted user holds none);
 * - `GET /api/v2/organizations/me` and
 *   `GET /api/v2/billing/trusteebillingoverview/{orgId}` — seats bought, as
 *   each usage's `prepayQuantity` (the usage `name` is the licence's
 *   description). In Genesys that overview is a partner (trustee) view.
 */

export function licensingRoutes(holder: StateHolder): Router {
  const router = Router();

  router.get('/license/definitions', (_req, res) => {
    res.json([...holder.state.licences.values()].map(definitionView));
  });

  router.get('/license/definitions/:licenseId', (req, res) => {
    res.json(definitionView(mustFind(holder.state.licences, req.params.licenseId, 'License')));
  });

  router.get('/license/users', (req, res) => {
    const { state } = holder;
    const users = liveUsers(state).sort((a, b) => a.id.localeCompare(b.id));
    res.json(numberedPage(req, users, (u) => ({ id: u.id, licenses: licencesOf(state, u.id), selfUri: `/api/v2/license/users/${u.id}` })));
  });

  router.get('/organizations/me', (_req, res) => {
    const { org } = holder.state;
    res.json({
      id: org.id,
      name: org.name,
      defaultLanguage: 'ko',
      defaultCountryCode: 'KR',
      thirdPartyOrgName: 'butler-emulator',
      domain: 'butler-emulator',
      version: 1,
      state: 'active',
      selfUri: '/api/v2/organizations/me',
    });
  });

  router.get('/billing/trusteebillingoverview/:trustorOrgId', (req, res) => {
    const { state } = holder;
    if (req.params.trustorOrgId !== state.org.id) throw notFound('Organization', req.params.trustorOrgId);
    const used = usage(state);
    res.json({
      organization: { id: state.org.id, name: state.org.name },
      currency: 'USD',
      enabledProducts: [],
      subscriptionType: 'MonthToMonth',
      usages: [...state.licences.values()].map((l) => ({
        name: l.description,
        partNumber: l.partNumber,
        grouping: 'platform',
        unitOfMeasureType: 'seat',
        usageQuantity: String(used.get(l.id) ?? 0),
        prepayQuantity: String(l.prepayQuantity),
      })),
    });
  });

  return router;
}

function licencesOf(state: CtiState, userId: string): string[] {
  const held = new Set<string>();
  for (const role of state.roles.values()) {
    if (!role.userIds.has(userId)) continue;
    if (role.baseLicense) held.add(role.baseLicense);
    role.addonLicenses.forEach((l) => held.add(l));
  }
  return [...held].sort();
}

function usage(state: CtiState): Map<string, number> {
  const counts = new Map<string, number>();
  for (const user of liveUsers(state)) for (const l of licencesOf(state, user.id)) counts.set(l, (counts.get(l) ?? 0) + 1);
  return counts;
}

function definitionView(l: LicenceRecord) {
  return {
    id: l.id,
    description: l.description,
    permissions: { ids: l.permissions },
    prerequisites: [],
    comprises: [],
    selfUri: `/api/v2/license/definitions/${l.id}`,
  };
}
