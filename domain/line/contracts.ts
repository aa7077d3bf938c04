import { DataSource } from '../data-source';
import { z } from 'zod';
import { Actor } from '../actor';
import { ProcessEvent, StepFailure } from '../event-log';

/**
 * The shape of a line (회선), written once: the API validates requests with
 * these schemas, the provisioning and termination workflows take and return
 * these types, the read model stores `LineState`.
 */

/**
 * TERMINATION_SCHEDULED: a termination waits for its effective date, the line still in
 * service. TERMINATION_FAILED: deprovisioning left something on the PBX or the CTI; the
 * line keeps its DN until a retry removes the rest.
 */
export const LineStatus = z.enum([
  'PENDING_CONTRACT',
  'INSTALLING',
  'ACCEPTANCE',
  'ACTIVE',
  'FAILED',
  'TERMINATION_SCHEDULED',
  'TERMINATING',
  'TERMINATION_FAILED',
  'TERMINATED',
  'CANCELLED',
]);
export type LineStatus = z.infer<typeof LineStatus>;

/**
 * A line that holds its DN: a new request for the same DN is refused while one of these lasts.
 * The lines table's unique index (`status NOT IN ('FAILED','TERMINATED','CANCELLED')`) says the same.
 */
export const LIVE_LINE_STATUSES: readonly LineStatus[] = [
  'PENDING_CONTRACT',
  'INSTALLING',
  'ACCEPTANCE',
  'ACTIVE',
  'TERMINATION_SCHEDULED',
  'TERMINATING',
  'TERMINATION_FAILED',
];

/** Statuses in which the line's termination workflow runs: a repeated termination request joins it. */
export const TERMINATION_RUNNING_STATUSES: readonly LineStatus[] = ['TERMINATION_SCHEDULED', 'TERMINATING', 'TERMINATION_FAILED'];

export const LineType = z.enum(['extension', 'pri', 'did']);
export type LineType = z.infer<typeof LineType>;

const text = (max: number) => z.string().trim().min(1).max(max);

/** Directory number: digits only, as the PBX dials it. */
/** A directory number (DN): 2–15 digits. The one definition; every DN check uses it. */
export const DN_PATTERN = /^[0-9]{2,15}$/;
export const Dn = z.string().regex(DN_PATTERN, 'a DN is 2–15 digits');
export const Ipv4 = z.string().ip({ version: 'v4', message: 'an IPv4 address' });

export const LoginId = z.string().trim().toLowerCase().email('an e-mail address (the CTI login)').max(254);

export const SkillSpec = z.object({ name: text(100), proficiency: z.number().int().min(0).max(5) }).strict();
export type SkillSpec = z.infer<typeof SkillSpec>;

/** An agent's fields, unchecked across fields (a batch item extends them: its team may come from the batch). */
export const AgentFields = z
  .object({
    /** The CTI login, an e-mail address as Genesys Cloud logins are. */
    loginId: LoginId,
    name: text(100),
    team: text(100),
    skills: z.array(SkillSpec).max(50).default([]),
    /** The CTI queues (by name) the agent answers; the agent joins each, and leaves them with the line. */
    queues: z.array(text(100)).max(20).optional(),
  })
  .strict();

export const AgentSpec = AgentFields.superRefine((agent, ctx) => {
  agent.queues?.forEach((queue, i) => {
    const first = agent.queues!.indexOf(queue);
    if (first < i) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['queues', i], message: `queue "${queue}" is also queues.${first}` });
  });
});
export type AgentSpec = z.infer<typeof AgentSpec>;

export const PhoneSpec = z
  .object({
    ip: Ipv4,
    mac: z
      .string()
      .regex(/^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/, 'a MAC address like 00:11:22:33:44:55')
      .optional(),
    model: text(100).optional(),
  })
  .strict();
export type PhoneSpec = z.infer<typeof PhoneSpec>;

export const TrunkSpec = z
  .object({
    /** SIP URI of the carrier's gateway for this PRI, e.g. sip:10.1.2.3:5060. */
    uri: z.string().regex(/^sips?:[^\s]+$/, 'a SIP URI like sip:10.0.0.1:5060'),
    description: text(200).optional(),
  })
  .strict();
export type TrunkSpec = z.infer<typeof TrunkSpec>;

export const ProvisionLineRequest = z
  .object({
    center: text(100),
    dn: Dn,
    displayName: text(100),
    lineType: LineType,
    agent: AgentSpec.optional(),
    phone: PhoneSpec.optional(),
    /** Required for a PRI line: where the carrier's side of the trunk answers. */
    trunk: TrunkSpec.optional(),
    /** For a DID: the extension the number rings; defaults to the DN itself. */
    routeTo: Dn.optional(),
    customerContact: z.string().trim().email().max(254).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.lineType === 'pri' && !r.trunk) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['trunk'], message: 'a PRI line needs trunk.uri' });
    if (r.lineType !== 'pri' && r.trunk) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['trunk'], message: 'only a PRI line has a trunk' });
    if (r.lineType === 'pri' && r.agent) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['agent'], message: 'a PRI line has no agent' });
    if (r.lineType !== 'did' && r.routeTo) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['routeTo'], message: 'only a DID routes to another extension' });
  });
export type ProvisionLineRequest = z.infer<typeof ProvisionLineRequest>;

export const ContractRequest = z
  .object({
    contractNo: text(100),
    carrier: text(100),
    /** Monthly fee in KRW. */
    monthlyFee: z.number().int().min(0).max(100_000_000),
    /** The carrier's plan (요금제), when named; a `line-plan` change records a new one. */
    plan: text(100).optional(),
    termMonths: z.number().int().min(1).max(120),
    signedAt: z.string().date('a date YYYY-MM-DD'),
  })
  .strict();
export type ContractRequest = z.infer<typeof ContractRequest>;

export const TerminationRequest = z
  .object({
    reason: text(2000),
    /** The day service ends (Asia/Seoul); defaults to the day of the request. */
    effectiveDate: z.string().date('a date YYYY-MM-DD').optional(),
  })
  .strict();
export type TerminationRequest = z.infer<typeof TerminationRequest>;

/** Cancelling a provisioning before the carrier contract: why (kept on the line with who and when). */
export const CancelProvisioningRequest = z.object({ reason: text(2000) }).strict();
export type CancelProvisioningRequest = z.infer<typeof CancelProvisioningRequest>;

export const EquipmentReturnedRequest = z.object({ note: text(2000).optional() }).strict();
export type EquipmentReturnedRequest = z.infer<typeof EquipmentReturnedRequest>;

/** Withdraws a termination still waiting for its effective date (TERMINATION_SCHEDULED → ACTIVE). */
export const TerminationCancelRequest = z.object({ reason: text(2000) }).strict();
export type TerminationCancelRequest = z.infer<typeof TerminationCancelRequest>;

/** Runs reconciliation and removal again on a line left TERMINATION_FAILED. */
export const TerminationRetryRequest = z.object({ note: text(2000).optional() }).strict();
export type TerminationRetryRequest = z.infer<typeof TerminationRetryRequest>;

/** Deadlines and reminder intervals, snapshotted into each workflow's input from configuration. */
export const LineTiming = z.object({
  contractDeadlineMs: z.number().int().positive(),
  contractReminderMs: z.number().int().positive(),
  equipmentDeadlineMs: z.number().int().positive(),
  equipmentReminderMs: z.number().int().positive(),
});
export type LineTiming = z.infer<typeof LineTiming>;

export const LineWorkflowInput = ProvisionLineRequest.innerType().extend({
  id: z.string(),
  requestedBy: Actor,
  requestedAt: z.string().datetime(),
  timing: LineTiming,
  /** History events after which a run waiting for the contract hands over to a new one. */
  handoverEvents: z.number().int().min(1).optional(),
  /** Set only on a run that continues one that waited long: the line as it stood. */
  continued: z.object({ state: z.lazy(() => LineState) }).optional(),
  /**
   * 'deferred': the API accepted the request before its check against the PBX and the CTI answered
   * (a saturated or absent worker); the workflow runs the check first.
   */
  checks: z.literal('deferred').optional(),
});
export type LineWorkflowInput = z.infer<typeof LineWorkflowInput>;

// ---- state --------------------------------------------------------------------

/**
 * Whose a CTI object is. `created`: Butler asked for it (also when the create's
 * answer was lost and the retry found it); undo and deprovisioning remove it.
 * `adopted`: it was there before Butler asked (found by its natural key);
 * Butler uses it but never deletes it. Absent on items recorded before this
 * was kept: those were all created.
 */
export const ItemOrigin = z.enum(['created', 'adopted']);
export type ItemOrigin = z.infer<typeof ItemOrigin>;

export const HeldSkill = z.object({ skillId: z.string(), proficiency: z.number().int() });
export type HeldSkill = z.infer<typeof HeldSkill>;

/** What was installed where: the undo list while provisioning, the deprovisioning list at termination. */
export const InstalledItem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pbx-extension'), dn: z.string() }),
  z.object({ kind: z.literal('pbx-phone'), dn: z.string() }),
  z.object({ kind: z.literal('pbx-trunk'), trunkId: z.string() }),
  z.object({ kind: z.literal('pbx-dialplan'), ruleId: z.string() }),
  z.object({ kind: z.literal('cti-agent'), agentId: z.string(), loginId: z.string(), origin: ItemOrigin.optional() }),
  z.object({ kind: z.literal('cti-team-member'), teamId: z.string(), team: z.string(), agentId: z.string(), origin: ItemOrigin.optional() }),
  z.object({ kind: z.literal('cti-queue-member'), queueId: z.string(), queue: z.string(), agentId: z.string(), origin: ItemOrigin.optional() }),
  /** `previous`: the skills an adopted agent held before, which removing this item puts back (absent: none). */
  z.object({ kind: z.literal('cti-skills'), agentId: z.string(), previous: z.array(HeldSkill).optional() }),
]);
export type InstalledItem = z.infer<typeof InstalledItem>;

/** What names one installed item on its system: two items with the same key are the same object. */
export function installedItemKey(item: InstalledItem): string {
  switch (item.kind) {
    case 'pbx-extension':
    case 'pbx-phone':
      return `${item.kind}:${item.dn}`;
    case 'pbx-trunk':
      return `${item.kind}:${item.trunkId}`;
    case 'pbx-dialplan':
      return `${item.kind}:${item.ruleId}`;
    case 'cti-agent':
    case 'cti-skills':
      return `${item.kind}:${item.agentId}`;
    case 'cti-team-member':
      return `${item.kind}:${item.teamId}/${item.agentId}`;
    case 'cti-queue-member':
      return `${item.kind}:${item.queueId}/${item.agentId}`;
  }
}

/** A line's SIP account, handed out once (GET /api/v1/lines/:id/sip-credentials). */
export const SipCredentials = z.object({
  lineId: z.string(),
  /** The SIP user name: the line's DN. */
  username: z.string(),
  domain: z.string(),
  password: z.string(),
  collectedBy: z.string(),
  collectedAt: z.string(),
});
export type SipCredentials = z.infer<typeof SipCredentials>;

export const Contract = ContractRequest.extend({ recordedBy: Actor, recordedAt: z.string() });
export type Contract = z.infer<typeof Contract>;

export const Settlement = z.object({
  effectiveDate: z.string(),
  termEndDate: z.string().nullable(),
  remainingMonths: z.number().int(),
  monthlyFee: z.number().int(),
  earlyTerminationFee: z.number().int(),
  rule: z.string(),
});
export type Settlement = z.infer<typeof Settlement>;

export const LineEvent = ProcessEvent;
export type LineEvent = ProcessEvent;

export const LineFailure = StepFailure;
export type LineFailure = StepFailure;

/** The line as both workflows hold it, the inventory stores it and the API shows it. */
export const LineState = z.object({
  id: z.string(),
  dn: z.string(),
  center: z.string(),
  displayName: z.string(),
  lineType: LineType,
  /** The agent as requested, then as changes left it: `team` null once a `cti-team-remove` took it out of its team. */
  agent: AgentFields.extend({ team: z.string().nullable() }).optional(),
  phone: PhoneSpec.optional(),
  trunk: TrunkSpec.optional(),
  routeTo: z.string().optional(),
  customerContact: z.string().optional(),
  status: LineStatus,
  /** What the workflow is doing or waiting for now, e.g. "waiting for the carrier contract". */
  step: z.string(),
  contract: Contract.optional(),
  installed: z.array(InstalledItem),
  acceptance: z
    .object({
      calledNumber: z.string(),
      register: z.string(),
      call: z.string(),
      at: z.string(),
      /** `vendor`: SIP through a real PBX; `simulated`: the PBX simulator decided, no SIP was sent. Absent on lines accepted before it was recorded. */
      source: DataSource.optional(),
    })
    .optional(),
  settlement: Settlement.optional(),
  termination: z
    .object({
      reason: z.string(),
      requestedBy: Actor,
      requestedAt: z.string(),
      equipmentReturnedAt: z.string().optional(),
      equipmentNote: z.string().optional(),
      /** The day service ends (Asia/Seoul); the line is TERMINATION_SCHEDULED until 00:00 of it. Absent on terminations requested before it was recorded. */
      effectiveDate: z.string().optional(),
    })
    .optional(),
  /** Set when the provisioning was cancelled before the contract (status CANCELLED). */
  cancellation: z.object({ reason: z.string(), cancelledBy: Actor, cancelledAt: z.string() }).optional(),
  failure: LineFailure.optional(),
  requestedBy: Actor,
  requestedAt: z.string(),
  history: z.array(LineEvent),
});
export type LineState = z.infer<typeof LineState>;
