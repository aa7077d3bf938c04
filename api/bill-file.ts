import { CsvError, parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { IssueList } from '../domain/billing/bill-rows';
import { ValidationError } from '../domain/errors';

/**
 * An uploaded carrier bill, CSV or XLSX, as rows of cells for domain/billing/bill-rows.ts.
 * Anything unreadable is a ValidationError (at `file` or `line N`), never a server error:
 * the uploader fixes the file, nobody fixes Butler.
 */

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface DecodedBillFile {
  /** Each row at its line in the file (a CSV record's first line) or its row in the sheet; blank ones included. */
  rows: Array<{ line: number; cells: string[] }>;
  /** The text encoding the file was read as (an XLSX workbook's text is UTF-8). */
  encoding: string;
  format: 'csv' | 'xlsx';
}

type Row = DecodedBillFile['rows'][number];

export async function decodeBillFile(bytes: Buffer, options: { contentType: string; encoding?: 'utf-8' | 'euc-kr' | 'cp949' }): Promise<DecodedBillFile> {
  if (startsWith(bytes, OLE2)) fail('is an Excel 97-2003 (.xls) workbook, which cannot be read: save it as .xlsx or CSV');
  const mediaType = options.contentType.split(';')[0].trim().toLowerCase();
  if (mediaType === XLSX_CONTENT_TYPE || startsWith(bytes, ZIP)) {
    const rows = await readWorkbook(bytes);
    checkCells(rows, 'the workbook');
    return { rows, encoding: 'utf-8', format: 'xlsx' };
  }
  const { text, encoding } = decodeText(bytes, options.encoding);
  if (text.includes('\u0000')) fail('contains NUL characters, so it is not a CSV text (a UTF-16 file needs its byte-order mark)');
  const rows = readCsv(text);
  checkCells(rows, `the file as ${encoding}`);
  return { rows, encoding, format: 'csv' };
}

function fail(message: string): never {
  throw new ValidationError([{ path: 'file', message }]);
}

// ---- text --------------------------------------------------------------------------

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0];
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16LE_BOM = [0xff, 0xfe];
const UTF16BE_BOM = [0xfe, 0xff];

function startsWith(bytes: Buffer, signature: number[]): boolean {
  return bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte);
}

/** A BOM decides; then the uploader's word; then UTF-8 if the bytes are valid UTF-8; else CP949, EUC-KR's superset. */
function decodeText(bytes: Buffer, asked: 'utf-8' | 'euc-kr' | 'cp949' | undefined): { text: string; encoding: string } {
  if (startsWith(bytes, UTF8_BOM)) return { text: decode('utf-8', bytes.subarray(3)), encoding: 'utf-8' };
  if (startsWith(bytes, UTF16LE_BOM)) return { text: decode('utf-16le', bytes.subarray(2)), encoding: 'utf-16le' };
  if (startsWith(bytes, UTF16BE_BOM)) return { text: decode('utf-16be', bytes.subarray(2)), encoding: 'utf-16be' };
  if (asked === 'utf-8') return { text: decode('utf-8', bytes), encoding: 'utf-8' };
  if (asked) return { text: iconv.decode(bytes, 'cp949'), encoding: 'cp949' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(bytes, 'cp949'), encoding: 'cp949' };
  }
}

/** Lenient: a byte that is not of the encoding becomes U+FFFD, which checkCells reports at its line. */
function decode(encoding: 'utf-8' | 'utf-16le' | 'utf-16be', bytes: Buffer): string {
  return new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
}

// Control characters but tab and line breaks (a quoted CSV cell or an Excel cell may hold a line break).
const CONTROL = /(?![\t\n\r])\p{Cc}/u;
const SUSPECT = /(?![\t\n\r])[\p{Cc}\uFFFD]/u;

function checkCells(rows: Row[], source: string): void {
  const issues = new IssueList();
  for (const row of rows) {
    row.cells.forEach((cell, i) => {
      if (!SUSPECT.test(cell)) return;
      const control = CONTROL.exec(cell);
      if (control) issues.add(`line ${row.line}`, `cell ${i + 1} contains the control character U+${hex(control[0])}`);
      else issues.add(`line ${row.line}`, `cell ${i + 1} contains bytes that are not text in ${source} (shown as U+FFFD)`);
    });
  }
  issues.throwIfAny();
}

function hex(char: string): string {
  return char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
}

// ---- CSV ---------------------------------------------------------------------------

const LINE_ENDS = /\r\n?/g;

function readCsv(text: string): Row[] {
  // One kind of line end, so a record's lines are its line breaks plus one (csv-parse would count a quoted CRLF twice).
  const normalized = text.replace(LINE_ENDS, '\n');
  let records: string[][];
  try {
    // Blank lines are kept as records, so a record starts on the line after the previous one ends:
    // counting that below is cheap, where `info: true` costs a third more parse time.
    records = parse(normalized, { delimiter: sniffDelimiter(normalized), bom: true, skip_empty_lines: false, relax_column_count: true });
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      throw new ValidationError([{ path: line ? `line ${line}` : 'file', message: `malformed CSV: ${err.message}` }]);
    }
    throw err;
  }
  let line = 1;
  return records.map((cells) => {
    const row = { line, cells };
    line += 1;
    for (const cell of cells) for (let at = cell.indexOf('\n'); at >= 0; at = cell.indexOf('\n', at + 1)) line += 1;
    return row;
  });
}

const DELIMITERS = [',', '\t', ';'] as const;
const SNIFFED_RECORDS = 30;

/**
 * The delimiter that splits the top of the file into the most records of one width: a
 * tab-separated export keeps "1,234" amounts unquoted, and title lines above the header have
 * any width. Ties go to the comma.
 */
function sniffDelimiter(text: string): string {
  const widths: Array<Record<string, number>> = [];
  let counts: Record<string, number> = { ',': 0, '\t': 0, ';': 0 };
  let quoted = false;
  for (let i = 0; i <= text.length && widths.length < SNIFFED_RECORDS; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (char === '\n' || char === undefined) {
      widths.push(counts);
      counts = { ',': 0, '\t': 0, ';': 0 };
    } else if (char === ',' || char === '\t' || char === ';') counts[char]++;
  }
  let best: string = ',';
  let bestScore = 0;
  for (const delimiter of DELIMITERS) {
    const records = new Map<number, number>();
    for (const w of widths) if (w[delimiter] > 0) records.set(w[delimiter], (records.get(w[delimiter]) ?? 0) + 1);
    const score = Math.max(0, ...records.values());
    if (score > bestScore) [best, bestScore] = [delimiter, score];
  }
  return best;
}

// ---- XLSX --------------------------------------------------------------------------

async function readWorkbook(bytes: Buffer): Promise<Row[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares its own `Buffer` (an ArrayBuffer); it reads a Node Buffer as well.
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    fail(`not a readable XLSX workbook: ${err instanceof Error ? err.message : String(err)}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) fail('not a readable XLSX workbook: it has no worksheet');
  const rows: Row[] = [];
  let width = 0;
  for (let line = 1; line <= sheet.rowCount; line++) {
    const row = sheet.findRow(line);
    const cells: string[] = [];
    // A merged range's value belongs to its first cell; repeating it would read a merged title as many headers.
    row?.eachCell({ includeEmpty: true }, (cell, column) => (cells[column - 1] = cell.type === ExcelJS.ValueType.Merge ? '' : cellText(cell.value)));
    width = Math.max(width, cells.length);
    rows.push({ line, cells });
  }
  // A sheet stores no trailing empty cells; a CSV would have written them.
  for (const row of rows) for (let i = 0; i < width; i++) row.cells[i] ??= '';
  return rows;
}

/** What the cell shows, near enough: numbers in full without an exponent, dates as YYYY-MM-DD, a formula's last result. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'invalid date' : value.toISOString().slice(0, 10);
  if (typeof value !== 'object') return String(value);
  const v = value as { richText?: Array<{ text?: unknown }>; result?: unknown; formula?: unknown; sharedFormula?: unknown; text?: unknown; error?: unknown };
  if (Array.isArray(v.richText)) return v.richText.map((run) => cellText(run.text)).join('');
  if ('formula' in v || 'sharedFormula' in v || 'result' in v) return cellText(v.result);
  if ('text' in v) return cellText(v.text);
  if ('error' in v) return cellText(v.error);
  return '';
}
