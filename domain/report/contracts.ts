import { z } from 'zod';
import { Actor } from '../actor';

/**
 * What the reviewed reports (monthly inspection, QSR) share: the review
 * statuses, the SPM's decision, and the stored PDF a workflow points at.
 */

export const ReviewStatus = z.enum(['RUNNING', 'AWAITING_REVIEW', 'DELIVERED', 'RETURNED', 'FAILED']);
export type ReviewStatus = z.infer<typeof ReviewStatus>;

export const FINAL_REVIEW_STATUSES: readonly ReviewStatus[] = ['DELIVERED', 'RETURNED', 'FAILED'];

export const ReportKind = z.enum(['incident', 'inspection', 'qsr', 'audit-trail', 'billing', 'sla-what-if']);
export type ReportKind = z.infer<typeof ReportKind>;

export const ReportLocale = z.enum(['ko', 'en']);
export type ReportLocale = z.infer<typeof ReportLocale>;
/** The Intl locale each report locale formats numbers and dates in. */
export const INTL_LOCALE: Record<ReportLocale, string> = { ko: 'ko-KR', en: 'en-US' };

/** Approve (comments optional) or send back (comments required: what to fix). */
export const ApproveRequest = z.object({ comments: z.string().trim().min(1).max(5000).optional() }).strict();
export type ApproveRequest = z.infer<typeof ApproveRequest>;
export const ReturnRequest = z.object({ comments: z.string().trim().min(1).max(5000) }).strict();
export type ReturnRequest = z.infer<typeof ReturnRequest>;

export interface ReviewDecision {
  decision: 'approved' | 'returned';
  by: Actor;
  at: string;
  comments: string | null;
}

/** A rendered report as stored in PostgreSQL (`reports`): the PDF's hash and where to fetch it. */
export interface StoredReportRef {
  reportId: string;
  kind: ReportKind;
  subjectId: string;
  version: number;
  sha256: string;
  bytes: number;
  pages: number | null;
}

/** Period of a report as instants: [from, to). */
export interface ReportPeriod {
  from: string;
  to: string;
}
