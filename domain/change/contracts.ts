import { z } from 'zod';
import { Actor } from '../actor';
import { Dn, Ipv4, LoginId, SkillSpec, TrunkSpec } from '../line/contracts';
import { ProcessEvent, StepFailure } from '../event-log';

/**
 * Change requests (변경 관리), written once: each type names its target and
 * its parameters; the API validates with `ChangeRequest`, the workflow and
 * the change handlers take the inferred types.
 */

export const ChangeStatus = z.enum([
  'PENDING_APPROVAL',
  'SCHEDULED',
  'APPLYING',
  'VERIFYING',
  'COMPLETED',
  'FAILED',
  'ROLLED_BACK',
  'REJECTED',
  'EXPIRED',
  'CANCELLED',
]);
export type ChangeStatus = z.infer<typeof ChangeStatus>;

/** Approved changes hold their window on their target; a new change overlapping one of these is refused. */
export const WINDOW_HOLDING_STATUSES: readonly ChangeStatus[] = ['SCHEDULED', 'APPLYING', 'VERIFYING'];
/**
 * FAILED: the run failed before it touched anything (no snapshot, nothing applied); ROLLED_BACK: something
 * was applied and the snapshot was restored.
 */
export const FINAL_CHANGE_STATUSES: readonly ChangeStatus[] = ['COMPLETED', 'FAILED', 'ROLLED_BACK', 'REJECTED', 'EXPIRED', 'CANCELLED'];

const text = (max: number) => z.string().trim().min(1).max(max);
const name = text(100);
const loginId = LoginId;

export const ChangeWindow = z
  .object({ start: z.string().datetime({ offset: true }), end: z.string().datetime({ offset: true }) })
  .strict()
  .refine((w) => Date.parse(w.end) > Date.parse(w.start), { message: 'window.end must be after window.start', path: ['end'] })
  .refine((w) => Date.parse(w.end) - Date.parse(w.start) <= 24 * 3_600_000, { message: 'a change window lasts at most 24 hours', path: ['end'] });
export type ChangeWindow = z.infer<typeof ChangeWindow>;

const change = <T extends string, Target extends z.ZodTypeAny, P extends z.ZodTypeAny>(type: T, target: Target, params: P) =>
  z
    .object({
      type: z.literal(type),
      target,
      params,
      window: ChangeWindow,
      reason: text(2000),
      /**
       * An emergency change (긴급 변경): applied as soon as the SPM approves it (its window may start now); the
       * customer approves it afterwards, within 24 hours. Absent means false.
       */
      emergency: z.boolean().optional(),
    })
    .strict();

/** Every change type: what it targets and what it changes. */
const ChangeRequestShapes = z.discriminatedUnion('type', [
  change('dn-change', Dn, z.object({ newDn: Dn }).strict()),
  change('ip-change', Dn, z.object({ ip: Ipv4 }).strict()),
  change(
    'dialplan',
    text(100).describe('dial-plan rule id'),
    z
      .object({
        match: text(200).optional(),
        substitute: text(200).optional(),
        replace: text(200).optional(),
        priority: z.number().int().min(0).max(1000).optional(),
      })
      .strict()
      .refine((p) => Object.keys(p).length > 0, 'name at least one of match, substitute, replace, priority'),
  ),
  change(
    'trunk',
    text(100).describe('trunk id'),
    TrunkSpec.partial()
      .strict()
      .refine((p) => p.uri || p.description, 'name uri or description'),
  ),
  change('cti-team-add', name.describe('team name'), z.object({ loginIds: z.array(loginId).min(1).max(200) }).strict()),
  change('cti-team-remove', name.describe('team name'), z.object({ loginIds: z.array(loginId).min(1).max(200) }).strict()),
  change('skillset', loginId.describe('agent login id'), z.object({ skills: z.array(SkillSpec).max(50) }).strict()),
  change(
    'agent-account',
    loginId.describe('agent login id'),
    z
      .object({ name: name.optional(), state: z.enum(['active', 'inactive']).optional() })
      .strict()
      .refine((p) => p.name || p.state, 'name at least one of name, state'),
  ),
  change(
    'ivr-holidays',
    name.describe('IVR schedule group name'),
    z
      .object({
        /** Butler's holiday calendar from..to (inclusive) is pushed to the IVR; default: this year and next. */
        from: z.string().date().optional(),
        to: z.string().date().optional(),
      })
      .strict(),
  ),
  change('rec-account', loginId.describe('agent login id'), z.object({ enabled: z.boolean() }).strict()),
  // Issue 16's savings: the carrier's side changes (a plan, a trunk's channels); Butler records the new terms.
  change('line-plan', Dn.describe("the line's DN"), z.object({ plan: text(100), monthlyFee: z.number().int().min(0).max(100_000_000) }).strict()),
  change('trunk-channels', text(100).describe('trunk id (dispatcher set)'), z.object({ channels: z.number().int().min(1).max(10_000) }).strict()),
]);

export const ChangeRequest = ChangeRequestShapes.superRefine((c, ctx) => {
  if (c.type === 'dn-change' && c.params.newDn === c.target) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['params', 'newDn'], message: 'the new DN is the current one' });
  }
  if (c.type === 'ivr-holidays' && c.params.from && c.params.to && c.params.from > c.params.to) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['params', 'to'], message: 'to must not be before from' });
  }
});
export type ChangeRequest = z.infer<typeof ChangeRequest>;
export type ChangeType = ChangeRequest['type'];
export const ChangeType = z.enum(ChangeRequestShapes.options.map((o) => o.shape.type.value) as [ChangeType, ...ChangeType[]]);

/**
 * Whose approval a change needs: always the customer's; the carrier's too when a line changes. An emergency
 * change needs the SPM's alone before it is applied (`spm`; only the SPM or an admin may give it), and the
 * customer's afterwards.
 */
export const Approver = z.enum(['customer', 'carrier', 'spm']);
export type Approver = z.infer<typeof Approver>;

export function approversFor(type: ChangeType, emergency = false): Approver[] {
  if (emergency) return ['spm'];
  return type === 'dn-change' || type === 'trunk' || type === 'line-plan' || type === 'trunk-channels' ? ['customer', 'carrier'] : ['customer'];
}

/** Changes to a line are verified by SIP as well as by reading back. */
export function verifiedBySip(type: ChangeType): boolean {
  return type === 'dn-change' || type === 'ip-change';
}

export const ApproveRequest = z.object({ approver: Approver.default('customer'), comment: text(2000).optional() }).strict();
export type ApproveRequest = z.infer<typeof ApproveRequest>;
export const RejectRequest = z.object({ approver: Approver.default('customer'), comment: text(2000) }).strict();
export type RejectRequest = z.infer<typeof RejectRequest>;
export const CancelChangeRequest = z.object({ reason: text(2000) }).strict();
export type CancelChangeRequest = z.infer<typeof CancelChangeRequest>;

/** Each action on a change, its body, and the statuses it may be taken from. */
/** An emergency change that has ended COMPLETED or ROLLED_BACK still takes the customer's approval or rejection. */
export const CHANGE_ACTIONS = {
  approve: { body: ApproveRequest, from: ['PENDING_APPROVAL', 'COMPLETED', 'ROLLED_BACK'] },
  reject: { body: RejectRequest, from: ['PENDING_APPROVAL', 'COMPLETED', 'ROLLED_BACK'] },
  cancel: { body: CancelChangeRequest, from: ['PENDING_APPROVAL', 'SCHEDULED'] },
} as const satisfies Record<string, { body: z.ZodTypeAny; from: readonly ChangeStatus[] }>;
export type ChangeAction = keyof typeof CHANGE_ACTIONS;

export interface ChangeActionRequest<A extends ChangeAction = ChangeAction> {
  body: z.infer<(typeof CHANGE_ACTIONS)[A]['body']>;
  actor: Actor;
}

export const ChangeTiming = z.object({
  /** How long approvals may take; never past the window's start. */
  approvalDeadlineMs: z.number().int().positive(),
  approvalReminderMs: z.number().int().positive(),
  /** How long the customer has to approve an emergency change after it ended (default 24 h). */
  retroApprovalDeadlineMs: z.number().int().positive().optional(),
  /** Reminders meanwhile (default every 6 h). */
  retroApprovalReminderMs: z.number().int().positive().optional(),
});
export type ChangeTiming = z.infer<typeof ChangeTiming>;

export type ChangeWorkflowInput = ChangeRequest & {
  id: string;
  requestedBy: Actor;
  requestedAt: string;
  timing: ChangeTiming;
  /** History events after which a run waiting for approvals hands over to a new one. */
  handoverEvents?: number;
  /** Set only on a run that continues one that waited long: the change as it stood. */
  continued?: { state: ChangeState };
};

export const ChangeEvent = ProcessEvent;
export type ChangeEvent = ProcessEvent;

export const Verification = z.object({
  ok: z.boolean(),
  /** What was read back, and what was expected, per checked field. */
  checks: z.array(z.object({ what: z.string(), expected: z.unknown(), observed: z.unknown(), ok: z.boolean() })),
});
export type Verification = z.infer<typeof Verification>;

/**
 * The customer's approval of an emergency change, collected after it was applied: `pending` until `dueBy`,
 * then `given` or `rejected` (recorded and flagged; nothing is rolled back), or `missing` when the deadline passed.
 */
export const RetroApprovalStatus = z.enum(['pending', 'given', 'rejected', 'missing']);
export type RetroApprovalStatus = z.infer<typeof RetroApprovalStatus>;
export const RetroApproval = z.object({
  status: RetroApprovalStatus,
  dueBy: z.string(),
  actor: Actor.optional(),
  at: z.string().optional(),
  comment: z.string().optional(),
});
export type RetroApproval = z.infer<typeof RetroApproval>;

/** The change as its workflow holds it, the read model stores it and the API shows it. */
export const ChangeState = z.object({
  id: z.string(),
  type: ChangeType,
  target: z.string(),
  params: z.record(z.unknown()),
  window: z.object({ start: z.string(), end: z.string() }),
  reason: z.string(),
  status: ChangeStatus,
  /** What the workflow is doing or waiting for now. */
  step: z.string(),
  approvals: z.array(z.object({ approver: Approver, actor: Actor, at: z.string(), comment: z.string().optional() })),
  requiredApprovals: z.array(Approver),
  /** What the target looked like before the change: what a rollback restores. */
  snapshot: z.unknown().optional(),
  verification: Verification.optional(),
  failure: StepFailure.optional(),
  requestedBy: Actor,
  requestedAt: z.string(),
  /** Present (true) on an emergency change only. */
  emergency: z.boolean().optional(),
  retroApproval: RetroApproval.optional(),
  history: z.array(ChangeEvent),
});
export type ChangeState = Omit<z.infer<typeof ChangeState>, 'params'> & { params: ChangeRequest['params'] };
