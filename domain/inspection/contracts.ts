import { z } from 'zod';
import { Actor } from '../actor';
import { DataSource } from '../data-source';
import type { ReviewDecision, ReviewStatus, StoredReportRef } from '../report/contracts';

/**
 * The monthly inspection (월간 정기점검), written once: devices from the
 * asset register, the readings collectors take, the findings rules make of
 * them, and the state the inspection workflow keeps.
 */

/** Systems that are devices in the asset register. */
export const DeviceSystem = z.enum(['PBX', 'CTI', 'IVR', 'REC', 'ERS', 'NET']);
export type DeviceSystem = z.infer<typeof DeviceSystem>;

/** What one collector inspects per center: each device system, plus backups and the asset register. */
export const InspectedSystem = z.enum([...DeviceSystem.options, 'BACKUP', 'ASSET']);
export type InspectedSystem = z.infer<typeof InspectedSystem>;

export const Period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM');
export const Center = z.string().trim().min(1).max(100);

/** One device of the asset register (`devices`). */
export interface Device {
  id: string;
  center: string;
  system: DeviceSystem;
  name: string;
  model: string;
  /** Dates local to Asia/Seoul, YYYY-MM-DD; null when the vendor has not announced one. */
  eosDate: string | null;
  eolDate: string | null;
}

/**
 * What collectors measure. Usage metrics carry a capacity (ratio = value / capacity);
 * `backup-age` is days since the last good backup; `eos`/`eol` are days left until that date;
 * `trunk-peak` is the most calls a trunk (item: its dispatcher set) carried at once in the month, of its channels.
 */
export const Metric = z.enum(['cpu', 'memory', 'disk', 'ports', 'trunks', 'trunk-peak', 'lines', 'licences', 'phones', 'backup-age', 'eos', 'eol']);
export type Metric = z.infer<typeof Metric>;

export type Unit = 'percent' | 'count' | 'bytes' | 'days';

export interface Reading {
  deviceId: string;
  center: string;
  system: InspectedSystem;
  metric: Metric;
  /** What within the device, when it has several of the metric: a licence name, a backup job. */
  item?: string;
  value: number;
  /** The ceiling for usage metrics; null where a ratio means nothing (ages, days left). */
  capacity: number | null;
  unit: Unit;
  collectedAt: string;
  /** Who measured it, e.g. "kamailio", "cti", "pbx-simulator", "telemetry-simulator", "asset-register". */
  measuredBy: string;
  /** A real system (`vendor`) or a stand-in (`simulated`): what is derived from it says so. */
  source: DataSource;
}

/** A reading as the API shows it (`GET /api/v1/inspections/:id/readings`). */
export const ReadingRecord = z.object({
  deviceId: z.string(),
  center: z.string(),
  system: InspectedSystem,
  metric: Metric,
  item: z.string().optional(),
  value: z.number(),
  capacity: z.number().nullable(),
  unit: z.enum(['percent', 'count', 'bytes', 'days']),
  collectedAt: z.string(),
  measuredBy: z.string().describe('who measured: kamailio, cti, telemetry-simulator, pbx-simulator, cti-emulator, asset-register, line-inventory…'),
  source: DataSource.describe('"vendor": a real system; "simulated": a stand-in (telemetry simulator, PBX simulator, CTI emulator)'),
});

export type FindingSeverity = 'warning' | 'critical';

export interface LocalText {
  ko: string;
  en: string;
}

export interface Finding {
  /** Stable across reruns of the same period: `${ruleId}:${deviceId ?? `${center}/${system}`}:${metric ?? '-'}${item ? `:${item}` : ''}`. */
  key: string;
  ruleId: string;
  center: string;
  system: InspectedSystem;
  deviceId: string | null;
  metric: Metric | null;
  item?: string;
  severity: FindingSeverity;
  /** The reading's value (a ratio for usage rules) and the threshold it crossed; null for a failed collection. */
  value: number | null;
  threshold: number | null;
  /** For a failed collection: why it failed. */
  error?: string;
  proposal: LocalText;
}

/** One collector run: a center's system. */
export interface CollectorTarget {
  center: string;
  system: InspectedSystem;
}

export interface CollectorResult extends CollectorTarget {
  devices: number;
  readings: Reading[];
  /** Devices this collector could not read; each becomes a finding. */
  failures: Array<{ deviceId: string; error: string }>;
}

export const InspectionRequest = z
  .object({
    period: Period,
    centers: z.array(Center).min(1).max(50).optional(),
  })
  .strict();
export type InspectionRequest = z.infer<typeof InspectionRequest>;

/** What the workflow starts with. A scheduled run has no period: it inspects the month before its scheduled time. */
export interface InspectionWorkflowInput {
  id?: string;
  period?: string;
  centers?: string[];
  requestedBy: Actor;
  /** Collectors running at once (default 4). */
  concurrency?: number;
}

export type CollectorStatus = 'pending' | 'running' | 'done' | 'failed';

export interface InspectionState {
  id: string;
  period: string;
  centers: string[];
  status: ReviewStatus;
  requestedBy: Actor;
  startedAt: string;
  updatedAt: string;
  progress: { done: number; total: number };
  /** `findings`: how many the collector stored (inspections since issue 18). */
  collectors: Array<CollectorTarget & { status: CollectorStatus; devices: number; readings: number; findings?: number; error?: string }>;
  findings: Finding[];
  /** Incidents opened for critical findings (one per finding key and period, even over reruns). */
  incidents: Array<{ findingKey: string; incidentId: string }>;
  report: StoredReportRef | null;
  review: ReviewDecision | null;
  deliveredAt: string | null;
  failure: string | null;
}
