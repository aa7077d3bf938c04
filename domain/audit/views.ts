import { z } from 'zod';
import { AuditAnchor } from './seal';
import { ClockEventType, ClockKind, Complexity, PendReason, Severity } from '../sla/model';

/**
 * What the audit routes answer, as zod schemas: the OpenAPI document shows them and the console's
 * client is typed by them. Each mirrors a domain type (ChainLink, ChainVerdict, ArchivedHistory,
 * StoredHistory, TimelineLine, SlaProof); the routes check their answers against these types.
 */

const Instant = z.string().datetime();
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** One entry of the hash-chained audit log, with the hashes that link it. */
export const AuditEntryView = z.object({
  seq: z.number().int(),
  at: Instant,
  actor: z.string(),
  actorRole: z.string(),
  action: z.string(),
  subject: z.string().nullable(),
  requestId: z.string().nullable(),
  remote: z.string().nullable(),
  details: z.record(z.unknown()),
  prevHash: Sha256,
  hash: Sha256,
  /** The audit key's Ed25519 signature of `hash` (base64); null before sealing began. */
  seal: z.string().nullable().optional(),
});

export const AuditLogPage = z.object({ items: z.array(AuditEntryView), total: z.number().int() });
export type AuditLogPage = z.infer<typeof AuditLogPage>;

const AnchorSummaryView = z.object({ no: z.number().int(), seq: z.number().int(), hash: Sha256, signedAt: z.string() });
const VerdictCommon = {
  /** Entries verified (before the defect, when there is one). */
  checked: z.number().int(),
  /** The audit key the seals and anchors were checked with: compare it with the one the auditors were given. */
  keyId: z.string(),
  sealedFrom: z.number().int().nullable().describe('the first sealed entry; entries before it were written before sealing began'),
  anchors: z.object({
    checked: z.number().int(),
    latest: AnchorSummaryView.nullable().describe('compare it with the latest anchor you were sent: one deleted from the database shows here'),
  }),
};

/**
 * The audit of the chain (domain/audit/chain-audit.ts): intact (how many entries, the last hash), or the first
 * entry that differs and why, checked by links, the audit key's seals and the signed anchors.
 */
export const ChainVerdictView = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), lastHash: Sha256, ...VerdictCommon }),
  z.object({
    ok: z.literal(false),
    brokenAt: z.number().int(),
    cause: z
      .enum(['unlinked', 'changed', 'forged', 'unsealed', 'anchor-differs', 'truncated', 'anchor-invalid'])
      .describe(
        'unlinked: its prev_hash is not the hash before it (reordered, removed); changed: its fields no longer give its hash; ' +
          'forged: rewritten and re-hashed without the audit key (its seal fails); unsealed: its seal was removed; ' +
          "anchor-differs: an anchored entry's hash differs (before sealing began, `range` bounds the first difference); " +
          'truncated: entries an anchor attests were removed from the end; anchor-invalid: an anchor is not signed by the audit key',
      ),
    reason: z.string(),
    range: z.object({ from: z.number().int(), to: z.number().int() }).optional(),
    ...VerdictCommon,
  }),
]);

/** An archived (closed) workflow run, without its history. */
export const ArchivedWorkflow = z.object({
  runId: z.string(),
  workflowId: z.string(),
  workflowType: z.string(),
  businessKey: z.string().nullable(),
  status: z.string(),
  startedAt: Instant,
  closedAt: Instant,
  events: z.number().int(),
  sha256: Sha256,
});

export const ArchivedWorkflowPage = z.object({ items: z.array(ArchivedWorkflow), total: z.number().int() });
export type ArchivedWorkflowPage = z.infer<typeof ArchivedWorkflowPage>;

/** Which stored history an answer comes from (everything but the history itself). */
export const HistoryProvenance = z.object({
  source: z.enum(['archive', 'export']),
  workflowId: z.string(),
  runId: z.string(),
  workflowType: z.string(),
  status: z.string(),
  events: z.number().int(),
  sha256: Sha256,
  /** The run's close for an archive, the export's time otherwise. */
  capturedAt: Instant,
});

export const TimelineView = HistoryProvenance.extend({
  timeline: z.array(
    z.object({
      eventId: z.number().int(),
      at: Instant,
      atSeoul: z.string(),
      event: z.string(),
      actor: z.string().nullable(),
      summary: z.string(),
    }),
  ),
});
export type TimelineView = z.infer<typeof TimelineView>;

export const HistoryExportView = z.object({
  id: z.string(),
  runId: z.string(),
  workflowId: z.string(),
  workflowType: z.string(),
  businessKey: z.string().nullable(),
  status: z.string(),
  startedAt: Instant,
  events: z.number().int(),
  sha256: Sha256,
  exportedBy: z.string(),
  reason: z.string(),
  exportedAt: Instant,
  /** False when the same events had been exported before (that export is returned). */
  created: z.boolean(),
});
export type HistoryExportView = z.infer<typeof HistoryExportView>;

/** Counted seconds are exact to the millisecond (instants carry milliseconds): a proof does not round. */
const ProvenClock = z.object({
  targetSeconds: z.number().int(),
  elapsedSeconds: z.number().nonnegative(),
  breached: z.boolean(),
  dueAt: Instant.nullable(),
  stoppedBy: z.string().nullable(),
  intervals: z.array(
    z.object({
      from: Instant,
      to: Instant,
      seconds: z.number().nonnegative(),
      fromEventId: z.number().int().nullable(),
      toEventId: z.number().int().nullable(),
    }),
  ),
});

/** An incident's SLA recomputed from its stored history alone, and whether it matches what the workflow recorded. */
/** One clock as the second evaluation judges it (domain/sla/second-opinion.ts). */
export const ClockVerdictView = z.object({ elapsedSeconds: z.number(), breached: z.boolean(), breachedAt: Instant.nullable() });

export const SlaProofView = z.object({
  history: HistoryProvenance,
  incidentId: z.string(),
  policy: z.object({
    severity: Severity,
    complexity: Complexity,
    clock: ClockKind,
    responseTargetSeconds: z.number().int(),
    restoreTargetSeconds: z.number().int(),
    statusReportIntervalSeconds: z.number().int().nullable(),
    autoCloseAfterSeconds: z.number().int(),
    configVersion: z.number().int().optional().describe('the configuration history entry in force when the incident opened'),
  }),
  calendar: z.object({
    version: z.string(),
    recomputedVersion: z.string(),
    versionMatches: z.boolean(),
    timezone: z.string(),
    workdays: z.array(z.number().int()),
    dayStart: z.string(),
    dayEnd: z.string(),
    holidays: z.number().int(),
  }),
  asOf: Instant,
  recordedAt: z.object({ eventId: z.number().int(), kind: z.string() }).nullable(),
  runs: z.array(z.string()),
  clockEvents: z.array(z.object({ type: ClockEventType, at: Instant, reason: PendReason.optional(), eventId: z.number().int(), run: z.number().int() })),
  recomputed: z.object({ response: ProvenClock, restore: ProvenClock }),
  /** The same clocks judged by the second, independent evaluation; any disagreement is listed in `differences`. */
  secondOpinion: z.object({ response: ClockVerdictView, restore: ClockVerdictView }),
  recorded: z
    .object({
      breached: z.object({ response: z.boolean(), restore: z.boolean() }),
      breachDueAt: z.object({ response: Instant.nullable(), restore: Instant.nullable() }),
    })
    .nullable(),
  matches: z.boolean(),
  differences: z.array(z.string()),
  explanation: z.array(z.string()),
});
export type SlaProofView = z.infer<typeof SlaProofView>;

/** A stored anchor: the signed head of the chain, and why and for whom it was signed. */
export const StoredAnchorView = z.object({ anchor: AuditAnchor, reason: z.string(), requestedBy: z.string() });
export const AnchorListView = z.object({ items: z.array(StoredAnchorView) });
