import type { Pool } from 'pg';
import { findReportVersion, insertReport } from '../db/reports.repo';
import type { ReportKind, StoredReportRef } from '../domain/report/contracts';
import type { createReportRenderer, ReportInput } from './render-report';

/**
 * Renders a report and keeps it: PDF, sha256 and the input as JSON. The PDF
 * is rendered from the JSON round-trip of the input, so what is stored is
 * exactly what was rendered and re-rendering it gives the same bytes.
 */

export function serializeReportInput(input: ReportInput): string {
  return JSON.stringify(input);
}

export function parseReportInput(text: string): ReportInput {
  const parsed = JSON.parse(text) as Omit<ReportInput, 'documentDate'> & { documentDate: string };
  return { ...parsed, documentDate: new Date(parsed.documentDate) };
}

/** Chromium writes one `/Type /Page` object per page (and one `/Type /Pages` tree). */
export function countPdfPages(pdf: Uint8Array): number {
  return (
    Buffer.from(pdf)
      .toString('latin1')
      .match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []
  ).length;
}

export type ReportRenderer = ReturnType<typeof createReportRenderer>;

export function createReportStore(deps: { pool: Pool; renderer: ReportRenderer }) {
  /** `input` may be built lazily (e.g. it captures a history): a version already stored needs none of that work. */
  return async function renderAndStore(
    kind: ReportKind,
    subjectId: string,
    version: number,
    input: ReportInput | (() => Promise<ReportInput>),
  ): Promise<StoredReportRef> {
    // A retry after the row was written (the activity timed out on its way back) must not render a second time.
    const existing = await findReportVersion(deps.pool, subjectId, version);
    if (existing) return existing;
    if (typeof input === 'function') input = await input();
    const json = serializeReportInput(input);
    const { pdf, sha256 } = await deps.renderer.renderReport(parseReportInput(json));
    return insertReport(deps.pool, {
      kind,
      subjectId,
      version,
      template: input.template,
      locale: input.locale,
      title: input.title,
      input: json,
      sha256,
      pdf,
      pages: countPdfPages(pdf),
    });
  };
}

export type RenderAndStore = ReturnType<typeof createReportStore>;
