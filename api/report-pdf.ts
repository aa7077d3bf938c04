import type { Response } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { latestReport, reportId, reportPdf } from '../db/reports.repo';
import { NotFoundError } from '../domain/errors';

/** `?version=n` picks an earlier rendering; the newest otherwise. */
export const ReportPdfQuery = z.object({ version: z.coerce.number().int().min(1).max(10_000).optional() }).strict();

export const PDF_SUCCESS = { status: 200, contentType: 'application/pdf', description: 'the PDF; X-Report-Sha256 carries its hash' } as const;

/** Streams a stored report's PDF with its identity in headers, so a reader can check it against the audit trail. */
export async function sendReportPdf(pool: Pool, res: Response, subjectId: string, version?: number): Promise<void> {
  const id = version ? reportId(subjectId, version) : (await latestReport(pool, subjectId))?.reportId;
  const stored = id ? await reportPdf(pool, id) : undefined;
  if (!stored) throw new NotFoundError('report', version ? `${subjectId} version ${version}` : `of ${subjectId}`);
  res
    .status(200)
    .type('application/pdf')
    .set({
      'Content-Disposition': `inline; filename="${stored.ref.reportId}.pdf"`,
      ETag: `"${stored.ref.sha256}"`,
      'X-Report-Id': stored.ref.reportId,
      'X-Report-Version': String(stored.ref.version),
      'X-Report-Sha256': stored.ref.sha256,
    })
    .send(stored.pdf);
}
