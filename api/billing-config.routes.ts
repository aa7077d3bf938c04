import { z } from 'zod';
import type { Pool } from 'pg';
import { currentBillProfile, currentReconciliationRules, listBillProfiles, saveBillProfile, saveReconciliationRules } from '../db/billing-config.repo';
import { BillProfile, BillProfileInput, CarrierParams, ReconciliationRulesInput, ReconciliationRulesView } from '../domain/billing/contracts';
import { NotFoundError } from '../domain/errors';
import { ALL_ROLES, route, type AnyRoute } from './route';

/** How each carrier's bill is read, and the reconciliation's thresholds: data an admin edits, every save a new version. */
export function billingConfigRoutes(deps: { pool: Pool }): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/bill-profiles',
      summary: "Every carrier's bill profile in force (KT, SKB and LGU ship with Butler)",
      tag: 'bills',
      roles: ALL_ROLES,
      success: { status: 200, schema: z.object({ items: z.array(BillProfile) }) },
      handle: async () => ({ items: await listBillProfiles(deps.pool) }),
    }),
    route({
      method: 'get',
      path: '/api/v1/bill-profiles/:carrier',
      summary: "A carrier's bill profile in force: the header names of each field, the carrier's names on contracts, the rows above the header",
      tag: 'bills',
      roles: ALL_ROLES,
      params: CarrierParams,
      success: { status: 200, schema: BillProfile },
      handle: async ({ params }) => {
        const profile = await currentBillProfile(deps.pool, params.carrier);
        if (!profile) throw new NotFoundError('bill profile', params.carrier);
        return profile;
      },
    }),
    route({
      method: 'put',
      path: '/api/v1/bill-profiles/:carrier',
      summary: "Save a carrier's bill profile as a new version (bills already taken keep the version they were read with)",
      tag: 'bills',
      roles: ['admin'],
      params: CarrierParams,
      body: BillProfileInput,
      success: { status: 200, schema: BillProfile },
      handle: ({ params, body, actor }) => saveBillProfile(deps.pool, params.carrier, body, actor.id),
    }),
    route({
      method: 'get',
      path: '/api/v1/reconciliation-rules',
      summary: "The bill reconciliation's thresholds in force (version 0: the shipped defaults)",
      tag: 'bills',
      roles: ALL_ROLES,
      success: { status: 200, schema: ReconciliationRulesView },
      handle: () => currentReconciliationRules(deps.pool),
    }),
    route({
      method: 'put',
      path: '/api/v1/reconciliation-rules',
      summary: 'Save the reconciliation thresholds as a new version (usage spike share and minimum, base fee tolerance); bills reconciled later use it',
      tag: 'bills',
      roles: ['admin'],
      body: ReconciliationRulesInput,
      success: { status: 200, schema: ReconciliationRulesView },
      handle: ({ body, actor }) => saveReconciliationRules(deps.pool, body, actor.id),
    }),
  ];
}
