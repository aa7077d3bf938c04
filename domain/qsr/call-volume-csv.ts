import { CsvError, parse } from 'csv-parse/sync';
import { ValidationError, type FieldIssue } from '../errors';
import type { CallVolumeDay } from './contracts';

/**
 * Daily call volume uploaded as CSV (for centers whose CTI statistics Butler cannot read).
 *
 * Header row required with the columns date, center, offered, answered in any order and
 * any case; other columns are ignored (CTI exports carry more, e.g. a note). A BOM, CRLF line ends,
 * quoted fields and blank lines are accepted. Every row is checked and ALL problems are
 * reported in one ValidationError, each at `line N.column`, N being the line in the file
 * (the header is line 1), so the uploader can fix the file in one pass.
 */

export const MAX_ROWS = 10_000;
const COLUMNS = ['date', 'center', 'offered', 'answered'] as const;
type Column = (typeof COLUMNS)[number];

interface Row {
  line: number;
  fields: string[];
}

export function parseCallVolumeCsv(text: string): CallVolumeDay[] {
  const rows = readRows(text);
  if (rows.length === 0) throw new ValidationError([{ path: 'file', message: 'is empty: expected a header row date,center,offered,answered' }]);
  const [header, ...data] = rows;
  const index = readHeader(header);
  if (data.length === 0) throw new ValidationError([{ path: 'file', message: 'has a header but no data rows' }]);
  if (data.length > MAX_ROWS) throw new ValidationError([{ path: 'file', message: `has ${data.length} data rows; at most ${MAX_ROWS} are accepted` }]);

  const issues: FieldIssue[] = [];
  const days: CallVolumeDay[] = [];
  const seen = new Map<string, number>();
  for (const row of data) {
    const issue = (column: Column | null, message: string) => issues.push({ path: column ? `line ${row.line}.${column}` : `line ${row.line}`, message });
    if (row.fields.length !== header.fields.length) {
      issue(null, `expected ${header.fields.length} fields as in the header, got ${row.fields.length}`);
      continue;
    }
    const value = (column: Column) => row.fields[index[column]].trim();

    const date = value('date');
    if (!isCalendarDate(date)) issue('date', `must be a real date as YYYY-MM-DD, got ${shown(date)}`);
    const center = value('center');
    if (center === '') issue('center', 'must not be empty');
    else if (center.length > 100) issue('center', `must be at most 100 characters, got ${center.length}`);
    // A line break or tab in a name is a broken export, not a center. (C0 controls and DEL; the C1 range stays allowed, as before.)
    else if (/(?![\u0080-\u009f])\p{Cc}/u.test(center)) issue('center', 'must be one line without control characters');
    const offered = count(value('offered'));
    if (offered === null) issue('offered', `must be a non-negative integer, got ${shown(value('offered'))}`);
    const answered = count(value('answered'));
    if (answered === null) issue('answered', `must be a non-negative integer, got ${shown(value('answered'))}`);
    else if (offered !== null && answered > offered) issue('answered', `must not exceed offered (${offered})`);

    if (isCalendarDate(date) && center !== '') {
      const key = `${date}\u0000${center}`;
      const first = seen.get(key);
      if (first !== undefined) issue(null, `duplicate of line ${first} (${date}, ${center})`);
      else seen.set(key, row.line);
    }
    if (offered !== null && answered !== null) days.push({ date, center, offered, answered, source: 'csv' });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return days;
}

/** Records with the file line each starts on; a CSV syntax error becomes a ValidationError at its line. */
function readRows(text: string): Row[] {
  // csv-parse counts a CRLF inside a quoted field as two lines; one line end makes its count exact.
  const normalized = text.replace(/\r\n?/g, '\n');
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(normalized, { bom: true, skip_empty_lines: true, relax_column_count: true, info: true });
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      throw new ValidationError([{ path: line ? `line ${line}` : 'file', message: `malformed CSV: ${err.message}` }]);
    }
    throw err;
  }
  return records
    .map(({ record, info }) => {
      // info.lines is the line a record ends on; quoted line breaks inside it move its start up.
      const breaks = record.reduce((sum, field) => sum + (field.match(/\n/g)?.length ?? 0), 0);
      return { line: info.lines - breaks, fields: record };
    })
    .filter((row) => row.fields.some((field) => field.trim() !== '')); // a line of only commas or spaces is blank
}

function readHeader(header: Row): Record<Column, number> {
  const names = header.fields.map((field) => field.trim().toLowerCase());
  const issues: FieldIssue[] = [];
  const index = {} as Record<Column, number>;
  for (const column of COLUMNS) {
    const at = names.indexOf(column);
    if (at < 0) issues.push({ path: `line ${header.line}`, message: `missing column "${column}" (expected date,center,offered,answered)` });
    else if (names.indexOf(column, at + 1) >= 0) issues.push({ path: `line ${header.line}`, message: `column "${column}" appears more than once` });
    else index[column] = at;
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return index;
}

/** A cell quoted for a message, cut short so a runaway field cannot flood the error. */
function shown(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** The counts are stored in PostgreSQL `integer` columns: a larger one is a bad cell, not a database error. */
const MAX_COUNT = 2_147_483_647;

function count(text: string): number | null {
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) && n <= MAX_COUNT ? n : null;
}

function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
