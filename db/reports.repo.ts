import type { Pool } from 'pg';
import type { ReportKind, ReportLocale, StoredReportRef } from '../domain/report/contracts';

/**
 * Rendered reports: the PDF, its sha256 and the exact input it was rendered
 * from. (subject, version) is unique, so a retried render finds the row the
 * first attempt wrote instead of adding a second.
 */

export interface NewReport {
  kind: ReportKind;
  subjectId: string;
  version: number;
  template: string;
  locale: ReportLocale;
  title: string;
  /** The ReportInput as JSON text, stored as written. */
  input: string;
  sha256: string;
  pdf: Uint8Array;
  pages: number | null;
}

interface ReportRow {
  id: string;
  kind: ReportKind;
  subject_id: string;
  version: number;
  sha256: string;
  bytes: number;
  pages: number | null;
}

const REF_COLUMNS = 'id, kind, subject_id, version, sha256, bytes, pages';

export function reportId(subjectId: string, version: number): string {
  return `${subjectId}-R${version}`;
}

export async function insertReport(pool: Pool, r: NewReport): Promise<StoredReportRef> {
  await pool.query(
    `INSERT INTO reports (id, kind, subject_id, version, template, locale, title, input, sha256, pdf, bytes, pages)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
     ON CONFLICT (subject_id, version) DO NOTHING`,
    [
      reportId(r.subjectId, r.version),
      r.kind,
      r.subjectId,
      r.version,
      r.template,
      r.locale,
      r.title,
      r.input,
      r.sha256,
      Buffer.from(r.pdf),
      r.pdf.byteLength,
      r.pages,
    ],
  );
  return (await findReportVersion(pool, r.subjectId, r.version))!;
}

export async function findReportVersion(pool: Pool, subjectId: string, version: number): Promise<StoredReportRef | undefined> {
  const { rows } = await pool.query<ReportRow>(`SELECT ${REF_COLUMNS} FROM reports WHERE subject_id = $1 AND version = $2`, [subjectId, version]);
  return rows[0] && toRef(rows[0]);
}

export async function latestReport(pool: Pool, subjectId: string): Promise<StoredReportRef | undefined> {
  const { rows } = await pool.query<ReportRow>(`SELECT ${REF_COLUMNS} FROM reports WHERE subject_id = $1 ORDER BY version DESC LIMIT 1`, [subjectId]);
  return rows[0] && toRef(rows[0]);
}

export async function reportPdf(pool: Pick<Pool, 'query'>, id: string): Promise<{ ref: StoredReportRef; pdf: Buffer } | undefined> {
  const { rows } = await pool.query<ReportRow & { pdf: Buffer }>(`SELECT ${REF_COLUMNS}, pdf FROM reports WHERE id = $1`, [id]);
  return rows[0] && { ref: toRef(rows[0]), pdf: rows[0].pdf };
}

/** The stored input as its JSON text, for re-rendering and for auditors. */
export async function reportInput(pool: Pool, id: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ input: string }>(`SELECT input::text AS input FROM reports WHERE id = $1`, [id]);
  return rows[0]?.input;
}

function toRef(r: ReportRow): StoredReportRef {
  return { reportId: r.id, kind: r.kind, subjectId: r.subject_id, version: r.version, sha256: r.sha256, bytes: r.bytes, pages: r.pages };
}
