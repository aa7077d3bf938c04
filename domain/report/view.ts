import { z } from 'zod';
import { Actor } from '../actor';
import { ReportKind, type ReviewDecision, type StoredReportRef } from './contracts';

/** What the reviewed reports (inspection, QSR) answer in the API: the SPM's decision and the stored PDF. */

export const ReviewDecisionView = z.object({
  decision: z.enum(['approved', 'returned']),
  by: Actor,
  at: z.string(),
  comments: z.string().nullable(),
});

export const StoredReportView = z.object({
  reportId: z.string(),
  kind: ReportKind,
  subjectId: z.string(),
  version: z.number().int(),
  sha256: z.string(),
  bytes: z.number().int(),
  pages: z.number().int().nullable(),
});

/** Whether two types describe the same values. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only when `T` is true: a schema written beside a stored interface fails the type check once they drift apart. */
export type Check<T extends true> = T;

export type ReportViewsMatch = [
  Check<Same<z.infer<typeof ReviewDecisionView>, ReviewDecision>>,
  Check<Same<z.infer<typeof StoredReportView>, StoredReportRef>>,
];
