import { ValidationError, type FieldIssue } from '../errors';
import { BillField, REQUIRED_BILL_FIELDS, type BillLine, type BillProfile } from './contracts';

/**
 * A carrier's bill, decoded into rows of cells (api/bill-file.ts does CSV and XLSX), read by the
 * carrier's profile into bill lines.
 *
 * `profile.skipRows` rows are skipped (blank ones too: they are rows in the file), then blank rows;
 * the next row is the header. Every row is checked and ALL problems are reported in one
 * ValidationError, each at `line N.<the column's header as written in the file>`, `line N`,
 * `header` or `file`, so the uploader can fix the file in one pass.
 */

export const MAX_BILL_ROWS = 200_000;
/** A file broken on every line would otherwise answer with a million issues nobody reads. */
export const MAX_REPORTED_ISSUES = 200;
const MAX_KRW = 1_000_000_000_000;

export interface BillRow {
  line: number;
  cells: readonly string[];
}

export interface BillRows {
  lines: BillLine[];
  /** The due date the bill states (YYYY-MM-DD), or null when its layout has no such column or leaves it empty. */
  dueDate: string | null;
}

type ProfileLayout = Pick<BillProfile, 'columns' | 'skipRows' | 'displayName'>;

interface Column {
  field: BillField;
  at: number;
  /** The header cell as written, for paths and messages. */
  name: string;
}

/** Issues of one file, the first MAX_REPORTED_ISSUES kept, the rest counted. */
export class IssueList {
  private readonly kept: FieldIssue[] = [];
  private more = 0;

  add(path: string, message: string): void {
    if (this.kept.length < MAX_REPORTED_ISSUES) this.kept.push({ path, message });
    else this.more++;
  }

  get size(): number {
    return this.kept.length + this.more;
  }

  throwIfAny(): void {
    if (this.size === 0) return;
    const tail = this.more > 0 ? [{ path: 'file', message: `and ${plural(this.more, 'more issue')} not listed` }] : [];
    throw new ValidationError([...this.kept, ...tail]);
  }
}

export function readBillRows(rows: ReadonlyArray<BillRow>, profile: ProfileLayout, expect: { month: string }): BillRows {
  const { header, columns } = readHeader(rows, profile);
  const data = rows.slice(rows.indexOf(header) + 1).filter((row) => !isBlank(row.cells));
  if (data.length === 0) fail('file', `has a header (line ${header.line}) but no bill lines`);
  if (data.length > MAX_BILL_ROWS) fail('file', `has ${data.length} bill lines; at most ${MAX_BILL_ROWS} are accepted`);

  const issues = new IssueList();
  const byField = new Map(columns.map((c) => [c.field, c]));
  const numberColumn = byField.get('number')!;
  const amountColumns = AMOUNT_FIELDS.map((field) => ({
    column: byField.get(field),
    required: field === 'baseFee' || field === 'total',
    signed: field === 'discount',
  }));
  const monthColumn = byField.get('month');
  const dueColumn = byField.get('dueDate');
  const needed = Math.max(...columns.map((c) => c.at)) + 1;
  // Every line of a bill repeats its month and due date: each distinct text is read once.
  const months = new Map<string, string | Problem>();
  const days = new Map<string, string | Problem>();
  const lines: BillLine[] = [];
  const amounts = [0, 0, 0, 0, 0];
  let due: { date: string; line: number } | null = null;

  for (const row of data) {
    const { cells } = row;
    if (cells.length < needed) {
      const last = columns.find((c) => c.at === needed - 1)!;
      issues.add(`line ${row.line}`, `has ${cells.length} cells, but the header's "${last.name}" column is cell ${needed}`);
      continue;
    }
    const number = phoneDigits(cells[numberColumn.at].trim());
    if (number instanceof Problem) report(issues, row, numberColumn, number.message);

    let complete = true;
    for (let i = 0; i < amountColumns.length; i++) {
      const { column, required, signed } = amountColumns[i];
      const text = column ? cells[column.at].trim() : '';
      const value = text !== '' ? amount(text, signed) : required ? EMPTY : 0;
      if (value instanceof Problem) {
        report(issues, row, column!, value.message);
        complete = false;
      } else amounts[i] = value;
    }
    if (complete) {
      const [baseFee, usageFee, addOnFee, discount, total] = amounts;
      const sum = baseFee + usageFee + addOnFee - discount;
      if (total !== sum) report(issues, row, byField.get('total')!, `is ${won(total)}, but ${sumNames(byField)} = ${won(sum)}`);
      else if (typeof number === 'string') lines.push({ row: row.line, number, baseFee, usageFee, addOnFee, discount, total });
    }

    const monthText = monthColumn ? cells[monthColumn.at].trim() : '';
    if (monthText !== '') {
      let month = months.get(monthText);
      if (month === undefined) months.set(monthText, (month = billMonth(monthText, expect.month)));
      if (month instanceof Problem) report(issues, row, monthColumn!, month.message);
    }

    const dueText = dueColumn ? cells[dueColumn.at].trim() : '';
    if (dueText !== '') {
      let date = days.get(dueText);
      if (date === undefined) days.set(dueText, (date = calendarDay(dueText)));
      if (date instanceof Problem) report(issues, row, dueColumn!, date.message);
      else if (due === null) due = { date, line: row.line };
      else if (date !== due.date) report(issues, row, dueColumn!, `is ${date}, but line ${due.line} says ${due.date}: a bill has one due date`);
    }
  }
  issues.throwIfAny();
  return { lines, dueDate: due?.date ?? null };
}

/** A cell that does not read as its field, and why. */
class Problem {
  constructor(readonly message: string) {}
}

const EMPTY = new Problem('must not be empty');

function report(issues: IssueList, row: BillRow, column: Column, message: string): void {
  issues.add(`line ${row.line}.${column.name}`, message);
}

function fail(path: string, message: string): never {
  throw new ValidationError([{ path, message }]);
}

// ---- the header ----------------------------------------------------------------

const WHITESPACE = /\s+/g;

/** Header names compare without case and whitespace: exports wrap "부가서비스 요금" differently. */
function headerKey(name: string): string {
  return name.normalize('NFC').replace(WHITESPACE, '').toLowerCase();
}

function readHeader(rows: ReadonlyArray<BillRow>, profile: ProfileLayout): { header: BillRow; columns: Column[] } {
  const header = rows.slice(profile.skipRows).find((row) => !isBlank(row.cells));
  if (!header) {
    if (rows.every((row) => isBlank(row.cells))) fail('file', `is empty: expected a ${profile.displayName} bill`);
    fail('file', `has no header row: the ${profile.displayName} layout skips ${plural(profile.skipRows, 'title row')} and nothing follows them`);
  }

  const fieldOf = new Map<string, BillField>();
  for (const field of BillField.options) {
    for (const name of profile.columns[field] ?? []) if (!fieldOf.has(headerKey(name))) fieldOf.set(headerKey(name), field);
  }
  const issues = new IssueList();
  const columns: Column[] = [];
  header.cells.forEach((cell, at) => {
    const field = fieldOf.get(headerKey(cell));
    if (!field) return; // carriers add columns Butler does not read
    const name = cell.trim();
    const first = columns.find((c) => c.field === field);
    if (first) issues.add('header', `columns "${first.name}" and "${name}" (line ${header.line}) both name the ${field}`);
    else columns.push({ field, at, name });
  });
  for (const field of REQUIRED_BILL_FIELDS) {
    if (columns.some((c) => c.field === field)) continue;
    const names = (profile.columns[field] ?? []).map((n) => `"${n}"`).join(' or ');
    issues.add('header', `line ${header.line}, read as the ${profile.displayName} header, has no ${field} column: expected ${names}`);
  }
  issues.throwIfAny();
  return { header, columns };
}

function isBlank(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
}

// ---- cells -----------------------------------------------------------------------

const PHONE = /^\+?[\d\s().-]+$/;
const NON_DIGITS = /\D/g;

/**
 * A bare 8 to 11 digits with no leading 0 is a Korean number Excel stored as a number (an XLSX
 * numeric cell, or a CSV saved from Excel): 02-1234-5678 comes back as 212345678. The 0 is put back
 * when what it makes begins as a domestic number does (an area code, a mobile or 050x/070/080
 * prefix); anything else (a 1588-… service number, which has no 0) is read as it stands.
 */
const BARE_DIGITS = /^[1-9]\d{7,10}$/;
const DOMESTIC_PREFIX = /^0(2|3[1-3]|4[1-4]|5[0-5]|6[1-4]|1[016-9]|70|80)/;

/** Digits only, +82 read as the leading 0 of a domestic number. */
function phoneDigits(text: string): string | Problem {
  if (text === '') return EMPTY;
  if (!PHONE.test(text)) return new Problem(`must be a phone number such as 02-1234-5678, got ${shown(text)}`);
  let digits = text.replace(NON_DIGITS, '');
  if (text.startsWith('+')) {
    if (!digits.startsWith('82')) return new Problem(`must be a Korean number (+82), got ${shown(text)}`);
    digits = digits.slice(2);
    if (!digits.startsWith('0')) digits = `0${digits}`;
  } else if (BARE_DIGITS.test(text) && DOMESTIC_PREFIX.test(`0${digits}`)) {
    digits = `0${digits}`;
  }
  if (digits.length < 2 || digits.length > 15) return new Problem(`must have 2 to 15 digits, got ${shown(text)}`);
  return digits;
}

const AMOUNT_FIELDS = ['baseFee', 'usageFee', 'addOnFee', 'discount', 'total'] as const;
const AMOUNT = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;
const PLAIN = /^\d{1,12}$/;
const NONZERO = /[1-9]/;
const COMMAS = /,/g;
const CURRENCY = new Set(['₩', '￦', '\\']);
const MINUS = new Set(['-', '\u2212']);
const DASH = /^[₩￦\\]?\s*[-\u2212]\s*원?$/;

/**
 * Whole won, as bills print them: "1,234", "1,234원", "₩1,234", and for a discount "-1,234" or
 * "(1,234)" (read as its absolute value); a lone dash is zero.
 */
function amount(text: string, signed: boolean): number | Problem {
  if (PLAIN.test(text)) return Number(text); // most cells, so first
  if (DASH.test(text)) return 0; // Excel's accounting format prints zero as a dash
  let rest = text;
  let negative = false;
  if (rest.startsWith('(') && rest.endsWith(')')) {
    negative = true;
    rest = rest.slice(1, -1).trim();
  }
  // The sign may stand before or after the currency sign: "-₩1,234", "₩-1,234".
  for (let i = 0; i < 2; i++) {
    if (!negative && MINUS.has(rest[0])) {
      negative = true;
      rest = rest.slice(1).trimStart();
    }
    if (CURRENCY.has(rest[0])) rest = rest.slice(1).trimStart();
  }
  if (rest.endsWith('원')) rest = rest.slice(0, -1).trimEnd();
  const match = AMOUNT.exec(rest);
  if (!match) return new Problem(`must be an amount in won such as 12,340, got ${shown(text)}`);
  if (match[2] && NONZERO.test(match[2])) return new Problem(`must be whole won (KRW has no decimals), got ${shown(text)}`);
  const digits = match[1].replace(COMMAS, '');
  const value = digits.length > 13 ? Infinity : Number(digits);
  if (value > MAX_KRW) return new Problem(`must be at most ${won(MAX_KRW)} won, got ${shown(text)}`);
  if (negative && !signed && value !== 0) return new Problem(`must not be negative, got ${shown(text)}`);
  return value;
}

const MONTH = /^(\d{4})(?:(\d{2})|\s*[-./]\s*(\d{1,2})\s*\.?|\s*년\s*(\d{1,2})\s*월|-(\d{2})-01)$/;

/** The bill's month as "2026-11", "202611", "2026.11", "2026/11", "2026년 11월", or Excel's month-as-date "2026-11-01". */
function billMonth(text: string, expected: string): string | Problem {
  const match = MONTH.exec(text);
  const n = match ? Number(match[2] ?? match[3] ?? match[4] ?? match[5]) : 0;
  if (!match || n < 1 || n > 12) return new Problem(`must be a month such as ${expected}, got ${shown(text)}`);
  const month = `${match[1]}-${pad(n)}`;
  return month === expected ? month : new Problem(`is ${month}, but the bill is for ${expected}`);
}

const DAY = /^(\d{4})(?:(\d{2})(\d{2})|\s*([-./])\s*(\d{1,2})\s*\4\s*(\d{1,2})\s*\.?|\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일)$/;

/** YYYY-MM-DD from "2026-12-25", "20261225", "2026.12.25", "2026/12/25" or "2026년 12월 25일", when it is a real date. */
function calendarDay(text: string): string | Problem {
  const problem = new Problem(`must be a real date such as 2026-12-25, got ${shown(text)}`);
  const match = DAY.exec(text);
  if (!match) return problem;
  const [y, m, d] = [Number(match[1]), Number(match[2] ?? match[5] ?? match[7]), Number(match[3] ?? match[6] ?? match[8])];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return problem;
  return `${match[1]}-${pad(m)}-${pad(d)}`;
}

function sumNames(byField: Map<BillField, Column>): string {
  const name = (field: BillField) => byField.get(field)?.name;
  const added = [name('baseFee'), name('usageFee'), name('addOnFee')].filter(Boolean).join(' + ');
  const discount = name('discount');
  return discount ? `${added} − ${discount}` : added;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function won(n: number): string {
  return n.toLocaleString('en-US');
}

/** A cell quoted for a message, cut short so a runaway field cannot flood the error. */
function shown(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
