import { z } from 'zod';
import { Actor } from '../actor';
import { ProcessEvent } from '../event-log';
import {
  AgentFields,
  Contract,
  ContractRequest,
  Dn,
  LineFailure,
  LineStatus,
  LineTiming,
  LineType,
  PhoneSpec,
  ProvisionLineRequest,
  TrunkSpec,
} from './contracts';

/**
 * A batch of lines for a new team (issue 13), written once: up to 200 lines
 * requested together, one contract that may cover them all. Each line is a line
 * like any other (its own provisioning workflow, its own routes); the batch
 * only starts them, forwards the contract and tells how they ended.
 */

export const MAX_BATCH_LINES = 200;

/** The name of the provisioning workflow's contract Update, which the batch's activity sends each line (workflows/line/messages.ts declares it). */
export const RECORD_CONTRACT_UPDATE = 'recordContract';

const text = (max: number) => z.string().trim().min(1).max(max);

/** One line of a batch: a line request whose center and agent team default to the batch's. */
export const LineBatchItem = z
  .object({
    center: text(100).optional(),
    dn: Dn,
    displayName: text(100),
    lineType: LineType,
    agent: AgentFields.extend({ team: text(100).optional() })
      .strict()
      .optional(),
    phone: PhoneSpec.optional(),
    trunk: TrunkSpec.optional(),
    routeTo: Dn.optional(),
    customerContact: z.string().trim().email().max(254).optional(),
  })
  .strict();
export type LineBatchItem = z.infer<typeof LineBatchItem>;

export const ProvisionLineBatchRequest = z
  .object({
    center: text(100),
    /** The CTI team of every agent line that names none. */
    team: text(100).optional(),
    lines: z.array(LineBatchItem).min(1).max(MAX_BATCH_LINES, `a batch holds at most ${MAX_BATCH_LINES} lines`),
    /** Recorded on every line at once; without it, POST /api/v1/line-batches/:id/contract later (or each line's own). */
    contract: ContractRequest.optional(),
  })
  .strict()
  .superRefine((batch, ctx) => {
    // What two lines cannot share: the DN, the phone's IP, the agent's CTI login.
    const firstAt = { dn: new Map<string, number>(), ip: new Map<string, number>(), login: new Map<string, number>() };
    const once = (seen: Map<string, number>, value: string | undefined, i: number, path: string[], what: string) => {
      if (value === undefined) return;
      const first = seen.get(value);
      if (first !== undefined)
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['lines', i, ...path], message: `${what} is also lines.${first}.${path.join('.')}` });
      else seen.set(value, i);
    };
    batch.lines.forEach((item, i) => {
      once(firstAt.dn, item.dn, i, ['dn'], `DN ${item.dn}`);
      once(firstAt.ip, item.phone?.ip, i, ['phone', 'ip'], `IP ${item.phone?.ip}`);
      once(firstAt.login, item.agent?.loginId, i, ['agent', 'loginId'], `login ${item.agent?.loginId}`);
      if (item.agent && !item.agent.team && !batch.team) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['lines', i, 'agent', 'team'], message: 'an agent needs a team (here or the batch’s team)' });
        return;
      }
      // Every line is judged by the single line's rules (its fields the item's schema checked already), named by its place in the batch.
      const checked = ProvisionLineRequest.safeParse(lineRequestOf(batch, item));
      if (checked.success) return;
      for (const issue of checked.error.issues) if (issue.code === z.ZodIssueCode.custom) ctx.addIssue({ ...issue, path: ['lines', i, ...issue.path] });
    });
  });
export type ProvisionLineBatchRequest = z.infer<typeof ProvisionLineBatchRequest>;

/** The single line request an item of the batch stands for: the batch's center and team filled in. */
export function lineRequestOf(batch: Pick<ProvisionLineBatchRequest, 'center' | 'team'>, item: LineBatchItem): ProvisionLineRequest {
  const { agent, center, ...rest } = item;
  return {
    ...rest,
    center: center ?? batch.center,
    ...(agent ? { agent: { ...agent, team: agent.team ?? batch.team ?? '' } } : {}),
  };
}

/** RUNNING until every line is at rest; then COMPLETED (all ACTIVE), PARTIAL (some ACTIVE), FAILED (none ACTIVE). */
export const LineBatchStatus = z.enum(['RUNNING', 'COMPLETED', 'PARTIAL', 'FAILED']);
export type LineBatchStatus = z.infer<typeof LineBatchStatus>;

/** One line as the batch holds it: its outcome once its provisioning ended, and what became of the batch's contract on it. */
export const LineBatchLine = z.object({
  lineId: z.string(),
  dn: z.string(),
  /** The line's provisioning ended: ACTIVE, FAILED or CANCELLED. */
  outcome: LineStatus.optional(),
  failure: LineFailure.optional(),
  /** `recorded`: the batch's contract is the line's; otherwise why not (the line had its own, was cancelled…). */
  contract: z.string().optional(),
});
export type LineBatchLine = z.infer<typeof LineBatchLine>;

export const LineBatchState = z.object({
  id: z.string(),
  center: z.string(),
  team: z.string().optional(),
  status: LineBatchStatus,
  step: z.string(),
  lines: z.array(LineBatchLine),
  contract: Contract.optional(),
  requestedBy: Actor,
  requestedAt: z.string(),
  history: z.array(ProcessEvent),
});
export type LineBatchState = z.infer<typeof LineBatchState>;

export const LineBatchWorkflowInput = z.object({
  id: z.string(),
  center: z.string(),
  team: z.string().optional(),
  /** Each line's own workflow input, ids allocated and DNs reserved by the API. */
  lines: z.array(ProvisionLineRequest.innerType().extend({ id: z.string() })),
  contract: ContractRequest.optional(),
  requestedBy: Actor,
  requestedAt: z.string().datetime(),
  timing: LineTiming,
});
export type LineBatchWorkflowInput = z.infer<typeof LineBatchWorkflowInput>;

/** Counts per line status, and each line as the inventory has it now: what GET /api/v1/line-batches/:id shows. */
export const LineBatchView = LineBatchState.extend({
  total: z.number().int(),
  /** Lines per status, only the statuses present, e.g. `{ ACTIVE: 2, INSTALLING: 1 }`. */
  counts: z.record(z.number().int()),
  lines: z.array(LineBatchLine.extend({ status: LineStatus, step: z.string() })),
});
export type LineBatchView = z.infer<typeof LineBatchView>;

/** The batch's status from its lines' outcomes (undefined: still under way). */
export function batchStatusOf(lines: readonly Pick<LineBatchLine, 'outcome'>[]): LineBatchStatus {
  if (lines.some((l) => l.outcome === undefined)) return 'RUNNING';
  const active = lines.filter((l) => l.outcome === 'ACTIVE').length;
  if (active === lines.length) return 'COMPLETED';
  return active > 0 ? 'PARTIAL' : 'FAILED';
}

/** Counts of lines per status, only the statuses present. */
export function countByStatus(statuses: readonly LineStatus[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}
