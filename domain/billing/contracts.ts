import { z } from 'zod';
import { Actor } from '../actor';
import { ProcessEvent, StepFailure } from '../event-log';

/**
 * A carrier's monthly bill (통신 요금 청구서) and its reconciliation, written once:
 * the API validates uploads and actions with these schemas, the bill workflow
 * holds `BillState`, the read model stores it.
 */

const text = (max: number) => z.string().trim().min(1).max(max);
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM');
const Day = z.string().date('a date YYYY-MM-DD');
/** An amount in KRW: whole won, as bills are. */
const Krw = z.number().int().min(-1_000_000_000_000).max(1_000_000_000_000);

// ---- profiles: how each carrier names its columns -----------------------------

/** The fields Butler reads from a bill line; `number`, `baseFee` and `total` are required in every profile. */
export const BillField = z.enum(['number', 'month', 'baseFee', 'usageFee', 'addOnFee', 'discount', 'total', 'dueDate']);
export type BillField = z.infer<typeof BillField>;
export const REQUIRED_BILL_FIELDS: readonly BillField[] = ['number', 'baseFee', 'total'];

const CarrierKey = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,29}$/, 'a carrier key like KT or SKB (letters, digits, - and _)');

/**
 * A carrier's bill layout. `columns` lists, per field, the header names that carrier uses for it
 * (compared trimmed and case-insensitively); `aliases` are the names contracts give the carrier
 * (ContractRequest.carrier), so its lines are expected on its bills.
 */
export const BillProfileInput = z
  .object({
    displayName: text(100),
    aliases: z.array(text(100)).max(20).default([]),
    columns: z
      .object(
        Object.fromEntries(BillField.options.map((f) => [f, z.array(text(100)).min(1).max(10).optional()])) as Record<
          BillField,
          z.ZodOptional<z.ZodArray<z.ZodString>>
        >,
      )
      .strict()
      .superRefine((columns, ctx) => {
        for (const f of REQUIRED_BILL_FIELDS)
          if (!columns[f]) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [f], message: `every profile names the ${f} column` });
        const owner = new Map<string, string>();
        for (const [field, names] of Object.entries(columns)) {
          for (const name of names ?? []) {
            const key = name.trim().toLowerCase();
            const first = owner.get(key);
            if (first) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message: `"${name}" is also a ${first} column` });
            else owner.set(key, field);
          }
        }
      }),
    /** Lines above the header (a title, the customer's name…) skipped before it. */
    skipRows: z.number().int().min(0).max(50).default(0),
  })
  .strict();
export type BillProfileInput = z.input<typeof BillProfileInput>;

export const BillProfile = BillProfileInput.extend({
  carrier: z.string(),
  version: z.number().int(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type BillProfile = z.infer<typeof BillProfile>;

export const CarrierParams = z.object({ carrier: CarrierKey }).strict();

// ---- reconciliation rules ------------------------------------------------------

/** A carrier's plan for a line (요금제): its monthly fee, the minutes it includes, and the rate beyond them. */
export const CarrierPlan = z
  .object({
    carrier: CarrierKey,
    name: text(100),
    monthlyFee: z.number().int().min(0).max(100_000_000),
    includedMinutes: z.number().int().min(0).max(1_000_000),
    perMinuteKrw: z.number().min(0).max(10_000),
  })
  .strict();
export type CarrierPlan = z.infer<typeof CarrierPlan>;

/**
 * Illustrative plans to start from (an operator saves the customer's real catalogue): a pay-per-use
 * plan and a flat one per carrier, at the order of business landline rates (about 13 KRW a minute).
 */
export const DEFAULT_CARRIER_PLANS: CarrierPlan[] = [
  { carrier: 'KT', name: '기업 종량제', monthlyFee: 6_000, includedMinutes: 0, perMinuteKrw: 13 },
  { carrier: 'KT', name: '기업 정액 3000', monthlyFee: 30_000, includedMinutes: 3_000, perMinuteKrw: 13 },
  { carrier: 'SKB', name: '비즈 종량형', monthlyFee: 5_500, includedMinutes: 0, perMinuteKrw: 14 },
  { carrier: 'SKB', name: '비즈 정액 2500', monthlyFee: 27_500, includedMinutes: 2_500, perMinuteKrw: 14 },
  { carrier: 'LGU', name: '오피스 종량', monthlyFee: 5_800, includedMinutes: 0, perMinuteKrw: 13 },
  { carrier: 'LGU', name: '오피스 정액 3000', monthlyFee: 29_000, includedMinutes: 3_000, perMinuteKrw: 13 },
];

/** When a saving is proposed (domain/billing/savings.ts). */
export const SavingsRulesInput = z
  .object({
    /** A line with no call for this many days (and usage recorded on most of them) is idle. */
    idleDays: z.number().int().min(7).max(365).default(90),
    /** A trunk whose peak over the same days stayed at or below this share of its channels is oversized. */
    trunkPeakPercent: z.number().int().min(1).max(100).default(30),
    /** The channels proposed carry the peak at no more than this share. */
    trunkTargetPercent: z.number().int().min(1).max(100).default(80),
    /** A cheaper plan is proposed only when it saves at least this much a month. */
    planMarginKrw: z.number().int().min(0).max(1_000_000).default(1_000),
    plans: z.array(CarrierPlan).max(200).default(DEFAULT_CARRIER_PLANS),
  })
  .strict();
export type SavingsRules = z.infer<typeof SavingsRulesInput>;

export const ReconciliationRulesInput = z
  .object({
    /** Usage charges above the line's average of its previous (up to) 3 bills by more than this share are flagged. */
    usageSpikePercent: z.number().int().min(1).max(10_000).default(50),
    /** …and by at least this much, so a 300 KRW month going to 600 KRW is not a finding. */
    usageSpikeMinimumKrw: z.number().int().min(0).max(100_000_000).default(1_000),
    /** A base fee within this of the contract's (pro-rated) fee matches: carriers round to 10 KRW. */
    baseFeeToleranceKrw: z.number().int().min(0).max(100_000).default(10),
    savings: SavingsRulesInput.default({}),
  })
  .strict();
export type ReconciliationRules = z.infer<typeof ReconciliationRulesInput>;
export const DEFAULT_RECONCILIATION_RULES: ReconciliationRules = ReconciliationRulesInput.parse({});

export const ReconciliationRulesView = ReconciliationRulesInput.required().extend({
  version: z.number().int(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type ReconciliationRulesView = z.infer<typeof ReconciliationRulesView>;

// ---- the bill ------------------------------------------------------------------

/** The upload's query: whose bill, for which month, due when (or from the file's 납기일 column). */
export const BillUploadQuery = z
  .object({
    carrier: CarrierKey,
    month: Month,
    dueDate: Day.optional(),
    /** The file's text encoding; by default a BOM decides, else UTF-8 if it is valid UTF-8, else CP949 (EUC-KR's superset). */
    encoding: z.enum(['utf-8', 'euc-kr', 'cp949']).optional(),
    /** Kept with the bill so people recognise it. */
    fileName: text(200).optional(),
  })
  .strict();
export type BillUploadQuery = z.infer<typeof BillUploadQuery>;

/** One charged line of a bill as read by the carrier's profile; amounts in KRW, `discount` ≥ 0 and subtracted. */
export interface BillLine {
  /** The line in the file (the header's line + 1 for the first), or the sheet's row. */
  row: number;
  /** Digits only (02-1234-5678 → 0212345678). */
  number: string;
  baseFee: number;
  usageFee: number;
  addOnFee: number;
  discount: number;
  total: number;
}

export const FindingKind = z.enum([
  /** A number on the bill that no line of this carrier in the inventory has. */
  'unknown-number',
  /** A line of this carrier in service during the month that the bill does not list. */
  'missing-from-bill',
  /** Charges for days after the line's termination (pro-rated by day). */
  'charged-after-termination',
  /** A base fee different from the contract's monthly fee (pro-rated for a partial month). */
  'base-fee-mismatch',
  /** Usage charges above the line's recent average by more than the rule allows. */
  'usage-spike',
  /** The same number charged on more than one bill line. */
  'duplicate-number',
]);
export type FindingKind = z.infer<typeof FindingKind>;

export const FINDING_TITLES: Record<FindingKind, string> = {
  'unknown-number': '미등록 번호',
  'missing-from-bill': '청구서 누락 회선',
  'charged-after-termination': '해지 후 청구',
  'base-fee-mismatch': '기본료 불일치',
  'usage-spike': '통화료 급증',
  'duplicate-number': '중복 청구',
};

/** A finding as the reconciliation makes it; the read model adds its id and dispute. */
export const BillFindingDraft = z.object({
  kind: FindingKind,
  number: z.string(),
  lineId: z.string().nullable(),
  /** The bill lines it is about (empty for a line missing from the bill). */
  rows: z.array(z.number().int()),
  /** What may be recovered or is owed: the overcharge, the line's total, or the fee the bill left out. */
  amountAtStake: z.number().int(),
  billed: z.number().int().nullable(),
  expected: z.number().int().nullable(),
  /** One Korean sentence an SPM can forward to the carrier. */
  detail: z.string(),
});
export type BillFindingDraft = z.infer<typeof BillFindingDraft>;

export const BillFinding = BillFindingDraft.extend({ id: z.number().int(), disputeId: z.string().nullable() });
export type BillFinding = z.infer<typeof BillFinding>;

/**
 * Money the carrier owes back if the finding holds: an overcharge. A line missing from the bill, or a
 * fee billed below the contract, is money the carrier may still claim, not money to recover: it is
 * counted apart and cannot be disputed.
 */
export function isRecoverable(finding: { kind: FindingKind; amountAtStake: number }): boolean {
  return finding.kind !== 'missing-from-bill' && finding.amountAtStake > 0;
}

export const FindingSummary = z.object({
  count: z.number().int(),
  /** What may be recovered: the recoverable findings' amounts (isRecoverable). Per kind, `byKind` sums them all, signs kept. */
  amountAtStake: z.number().int(),
  byKind: z.record(FindingKind, z.object({ count: z.number().int(), amountAtStake: z.number().int() })),
});
export type FindingSummary = z.infer<typeof FindingSummary>;

export const BillStatus = z.enum(['RECONCILING', 'AWAITING_REVIEW', 'APPROVED', 'PAID', 'WITHDRAWN', 'FAILED']);
export type BillStatus = z.infer<typeof BillStatus>;

export const DisputeStatus = z.enum(['OPEN', 'SETTLED']);

export const Dispute = z.object({
  id: z.string(),
  findingIds: z.array(z.number().int()),
  /** The findings' amounts at stake, as the API read them when the dispute was opened. */
  amountKrw: z.number().int(),
  carrierReference: z.string(),
  note: z.string().optional(),
  openedBy: Actor,
  openedAt: z.string(),
  /** Days between follow-ups with the carrier. */
  followUpDays: z.number().int(),
  /** The next follow-up reminder, while OPEN. */
  followUpAt: z.string().nullable(),
  followUps: z.number().int(),
  status: DisputeStatus,
  settlement: z.object({ creditKrw: z.number().int(), note: z.string().optional(), actor: Actor, at: z.string() }).optional(),
});
export type Dispute = z.infer<typeof Dispute>;

export const BillState = z.object({
  id: z.string(),
  carrier: z.string(),
  month: z.string(),
  dueDate: z.string(),
  fileName: z.string().nullable(),
  sha256: z.string(),
  status: BillStatus,
  step: z.string(),
  /** Bill lines and their sum as the carrier stated them. */
  lines: z.number().int(),
  totalKrw: z.number().int(),
  profileVersion: z.number().int(),
  rulesVersion: z.number().int().nullable(),
  findings: FindingSummary.nullable(),
  approval: z.object({ amountKrw: z.number().int(), comment: z.string().optional(), actor: Actor, at: z.string() }).nullable(),
  payment: z.object({ paidOn: z.string(), amountKrw: z.number().int(), reference: z.string().optional(), actor: Actor, at: z.string() }).nullable(),
  disputes: z.array(Dispute),
  /** Payment reminders sent (D-7, D-1, overdue), so a reader sees what the SPM was told. */
  reminders: z.array(z.object({ kind: z.enum(['D-7', 'D-1', 'overdue']), at: z.string() })),
  failure: StepFailure.optional(),
  requestedBy: Actor,
  requestedAt: z.string(),
  history: z.array(ProcessEvent),
});
export type BillState = z.infer<typeof BillState>;

/** What the bill workflow starts with: the upload, stored, referenced by id (its lines stay in the database). */
export const BillWorkflowInput = z.object({
  id: z.string(),
  carrier: z.string(),
  month: Month,
  dueDate: Day,
  fileName: z.string().nullable(),
  sha256: z.string(),
  lines: z.number().int(),
  totalKrw: Krw,
  profileVersion: z.number().int(),
  requestedBy: Actor,
  requestedAt: z.string(),
});
export type BillWorkflowInput = z.infer<typeof BillWorkflowInput>;

// ---- the SPM's actions ---------------------------------------------------------

const ApproveBody = z
  .object({
    /** What will be paid; by default the bill's total less what open disputes hold back. */
    amountKrw: z.number().int().min(0).max(1_000_000_000_000).optional(),
    comment: text(2000).optional(),
  })
  .strict();

const DisputeBody = z
  .object({
    findingIds: z.array(z.number().int().positive()).min(1).max(1000),
    /** The carrier's ticket or reference for the claim. */
    carrierReference: text(100),
    note: text(2000).optional(),
    followUpDays: z.number().int().min(1).max(60).default(7),
  })
  .strict()
  .superRefine((b, ctx) => {
    b.findingIds.forEach((id, i) => {
      if (b.findingIds.indexOf(id) < i) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['findingIds', i], message: `finding ${id} is listed twice` });
    });
  });

const SettleBody = z
  .object({
    disputeId: text(60),
    /** The credit the carrier granted (0: the claim was refused). */
    creditKrw: z.number().int().min(0).max(1_000_000_000_000),
    note: text(2000).optional(),
  })
  .strict();

const PayBody = z
  .object({
    paidOn: Day,
    amountKrw: z.number().int().min(0).max(1_000_000_000_000),
    reference: text(100).optional(),
  })
  .strict();

const WithdrawBody = z.object({ reason: text(2000) }).strict();

/** Every action on a bill: its body and the statuses it is allowed from. Routes, Updates and validators come from this table. */
export const BILL_ACTIONS = {
  approve: { body: ApproveBody, from: ['AWAITING_REVIEW'] },
  // Disputed before it is paid (the undisputed part is paid meanwhile); a paid bill's overcharge is claimed on the next.
  dispute: { body: DisputeBody, from: ['AWAITING_REVIEW', 'APPROVED'] },
  settle: { body: SettleBody, from: ['AWAITING_REVIEW', 'APPROVED', 'PAID'] },
  pay: { body: PayBody, from: ['APPROVED'] },
  withdraw: { body: WithdrawBody, from: ['AWAITING_REVIEW'] },
} as const satisfies Record<string, { body: z.ZodTypeAny; from: readonly BillStatus[] }>;
export type BillAction = keyof typeof BILL_ACTIONS;
export type BillActionBody<A extends BillAction> = z.output<(typeof BILL_ACTIONS)[A]['body']>;

/** What an action's Update carries: the body (and, for a dispute, the amounts the API read), who, and the request's key. */
export interface BillActionRequest<A extends BillAction = BillAction> {
  body: BillActionBody<A>;
  actor: Actor;
  requestId?: string;
  /** For `dispute`: the sum of the findings' amounts at stake. */
  amountKrw?: number;
}
