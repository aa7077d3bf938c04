import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { BillField, BillProfileInput } from '../../domain/billing/contracts';

/**
 * A carrier bill as that carrier's profile lays it out: `skipRows` title rows, a header of each
 * field's first name (in the profile's order), then the lines. A line's missing `total` is the
 * sum of its amounts; its missing `month` and `dueDate` are the options'. Numbers are written as
 * numbers (grouped with `thousands`), strings exactly as given, so a test can plant a bad cell.
 */
export type BillFileLine = Partial<Record<BillField, string | number>>;

export interface BillFileOptions {
  format: 'csv' | 'xlsx';
  /** CSV only; utf-8 by default. */
  encoding?: 'utf-8' | 'utf-8-bom' | 'cp949';
  /** CSV only; CRLF by default, as Windows exports write. */
  lineEnding?: '\r\n' | '\n';
  thousands?: boolean;
  month: string;
  dueDate?: string;
}

export async function writeBillFile(profile: BillProfileInput, lines: BillFileLine[], options: BillFileOptions): Promise<Buffer> {
  const fields = (Object.keys(profile.columns) as BillField[]).filter((field) => profile.columns[field]?.length);
  const titles = titleRows(profile, options.month);
  const header = fields.map((field) => profile.columns[field]![0]);
  const body = lines.map((line) => fields.map((field) => cellOf(line, field, options)));
  return options.format === 'xlsx' ? writeXlsx(titles, header, body, options) : writeCsv([...titles.map((t) => [t]), header, ...body], options);
}

function titleRows(profile: BillProfileInput, month: string): string[] {
  const titles = [`${profile.displayName} 통신요금 청구서 (${month})`, '고객명: 주식회사 버틀러 (고객번호 1234-5678)'];
  return Array.from({ length: profile.skipRows ?? 0 }, (_, i) => titles[i] ?? `비고 ${i + 1}`);
}

const AMOUNTS: BillField[] = ['baseFee', 'usageFee', 'addOnFee'];

function cellOf(line: BillFileLine, field: BillField, options: BillFileOptions): string | number | Date {
  const given = line[field];
  if (given !== undefined) return given;
  if (field === 'month') return options.month;
  if (field === 'dueDate') return options.dueDate === undefined ? '' : options.format === 'xlsx' ? new Date(`${options.dueDate}T00:00:00Z`) : options.dueDate;
  if (field === 'total') {
    const parts = [...AMOUNTS, 'discount' as const].map((f) => line[f] ?? 0);
    if (parts.every((p) => typeof p === 'number')) {
      const [base, usage, addOn, discount] = parts as number[];
      return base + usage + addOn - Math.abs(discount);
    }
  }
  return '';
}

function writeCsv(rows: Array<Array<string | number | Date>>, options: BillFileOptions): Buffer {
  const end = options.lineEnding ?? '\r\n';
  const text = rows.map((row) => row.map((cell) => csvCell(cell, options)).join(',')).join(end) + end;
  if (options.encoding === 'cp949') return iconv.encode(text, 'cp949');
  return Buffer.concat([Buffer.from(options.encoding === 'utf-8-bom' ? '\uFEFF' : ''), Buffer.from(text, 'utf-8')]);
}

function csvCell(cell: string | number | Date, options: BillFileOptions): string {
  const text = typeof cell === 'number' && options.thousands ? cell.toLocaleString('en-US') : String(cell);
  return /[",;\t\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

async function writeXlsx(titles: string[], header: string[], body: Array<Array<string | number | Date>>, options: BillFileOptions): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('청구내역');
  for (const title of titles) sheet.addRow([title]);
  // Carriers merge the title across the table; only its first cell holds the text.
  if (titles.length > 0 && header.length > 1) sheet.mergeCells(1, 1, 1, header.length);
  sheet.addRow(header);
  for (const cells of body) {
    const row = sheet.addRow(cells);
    row.eachCell((cell) => {
      if (typeof cell.value === 'number' && options.thousands) cell.numFmt = '#,##0';
      if (cell.value instanceof Date) cell.numFmt = 'yyyy-mm-dd';
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
