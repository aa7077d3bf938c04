import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { decodeBillFile, XLSX_CONTENT_TYPE } from '../../api/bill-file';
import { readBillRows, type BillRows } from '../../domain/billing/bill-rows';
import { BillProfileInput, type BillLine } from '../../domain/billing/contracts';
import { DEFAULT_BILL_PROFILES } from '../../domain/billing/default-profiles';
import { ValidationError, type FieldIssue } from '../../domain/errors';
import { writeBillFile, type BillFileLine, type BillFileOptions } from '../support/bill-files';

const MONTH = '2026-11';
const CARRIERS = Object.keys(DEFAULT_BILL_PROFILES);
const profileOf = (carrier: string) => BillProfileInput.parse(DEFAULT_BILL_PROFILES[carrier]);

async function readBill(bytes: Buffer, carrier: string, contentType = 'text/csv'): Promise<BillRows> {
  const { rows } = await decodeBillFile(bytes, { contentType });
  return readBillRows(rows, profileOf(carrier), { month: MONTH });
}

async function issuesOf(run: Promise<unknown>): Promise<FieldIssue[]> {
  try {
    await run;
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

const SAMPLE: BillFileLine[] = [
  { number: '02-1234-5678', baseFee: 22000, usageFee: 13450, addOnFee: 3300, discount: -2200 },
  { number: '070-4000-0001', baseFee: 11000, usageFee: 0, addOnFee: 0, discount: 0 },
  { number: '1588-1234', baseFee: 1234567, usageFee: 98765, addOnFee: 1100, discount: 55000 },
];

/** The lines a bill written from `lines` must read back as: its first line is under the header, below the title rows. */
function expectedLines(lines: BillFileLine[], carrier: string): BillLine[] {
  const first = profileOf(carrier).skipRows + 2;
  return lines.map((l, i) => {
    const [baseFee, usageFee, addOnFee, discount] = [l.baseFee, l.usageFee, l.addOnFee, l.discount].map((v) => Math.abs(Number(v ?? 0)));
    const digits = String(l.number).replace(/\D/g, '');
    const number = String(l.number).startsWith('+82') ? `0${digits.slice(2)}` : digits;
    return { row: first + i, number, baseFee, usageFee, addOnFee, discount, total: baseFee + usageFee + addOnFee - discount };
  });
}

describe.each(CARRIERS)('the %s layout round-trips', (carrier) => {
  const profile = DEFAULT_BILL_PROFILES[carrier];
  test.each<[string, Omit<BillFileOptions, 'month'>, string, string]>([
    ['CSV in UTF-8, LF', { format: 'csv', encoding: 'utf-8', lineEnding: '\n' }, 'text/csv', 'utf-8'],
    ['CSV in UTF-8 with a BOM, CRLF, thousands separators', { format: 'csv', encoding: 'utf-8-bom', thousands: true }, 'text/csv; charset=utf-8', 'utf-8'],
    ['CSV in CP949, thousands separators', { format: 'csv', encoding: 'cp949', thousands: true }, 'application/octet-stream', 'cp949'],
    ['XLSX', { format: 'xlsx' }, XLSX_CONTENT_TYPE, 'utf-8'],
    ['XLSX with number formats, sent as octet-stream', { format: 'xlsx', thousands: true }, 'application/octet-stream', 'utf-8'],
  ])('%s', async (_, options, contentType, encoding) => {
    const bytes = await writeBillFile(profile, SAMPLE, { ...options, month: MONTH, dueDate: '2026-12-24' });
    const decoded = await decodeBillFile(bytes, { contentType });
    expect(decoded).toMatchObject({ format: options.format, encoding });
    expect(readBillRows(decoded.rows, profileOf(carrier), { month: MONTH })).toEqual({ lines: expectedLines(SAMPLE, carrier), dueDate: '2026-12-24' });
  });
});

describe('CP949 (EUC-KR) files', () => {
  const header = ['서비스번호', '청구년월', '기본료', '통화료', '부가서비스료', '할인액', '청구금액', '납부기한'];

  test('Korean headers and titles read correctly, whether the uploader names the encoding or not', async () => {
    const bytes = await writeBillFile(DEFAULT_BILL_PROFILES.KT, SAMPLE, { format: 'csv', encoding: 'cp949', month: MONTH });
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow(); // so the guess is exercised
    for (const encoding of [undefined, 'euc-kr', 'cp949'] as const) {
      const decoded = await decodeBillFile(bytes, { contentType: 'text/csv', encoding });
      expect(decoded.encoding).toBe('cp949');
      expect(decoded.rows.slice(0, 3)).toEqual([
        { line: 1, cells: ['KT 통신요금 청구서 (2026-11)'] },
        { line: 2, cells: ['고객명: 주식회사 버틀러 (고객번호 1234-5678)'] },
        { line: 3, cells: header },
      ]);
    }
  });

  test('read as UTF-8 when the uploader says so, every undecodable cell is named', async () => {
    const bytes = iconv.encode('회선번호,기본료\r\n02-1234-5678,1000\r\n', 'cp949');
    expect(await issuesOf(decodeBillFile(bytes, { contentType: 'text/csv', encoding: 'utf-8' }))).toEqual([
      { path: 'line 1', message: 'cell 1 contains bytes that are not text in the file as utf-8 (shown as U+FFFD)' },
      { path: 'line 1', message: 'cell 2 contains bytes that are not text in the file as utf-8 (shown as U+FFFD)' },
    ]);
  });
});

describe('CSV text', () => {
  const SKB_HEADER = '전화번호,사용월,월정액,사용료,부가사용료,할인금액,합계금액,납기일';
  const SKB_LINE = ['02-1234-5678', '2026-11', '22,000', '13,450', '3,300', '-2,200', '36,550', '2026-12-24'];

  test.each([
    ['UTF-16LE with its BOM', 'utf-16le', (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['UTF-16BE with its BOM', 'utf-16be', (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')])],
  ])('tab-separated %s, amounts grouped without quotes (Excel\'s "Unicode text")', async (_, encoding, encode) => {
    const text = [SKB_HEADER.replaceAll(',', '\t'), SKB_LINE.join('\t'), ''].join('\r\n');
    const decoded = await decodeBillFile(encode(text), { contentType: 'text/plain' });
    expect(decoded).toMatchObject({ encoding, format: 'csv', rows: [{ line: 1 }, { line: 2, cells: SKB_LINE }] });
    expect(readBillRows(decoded.rows, profileOf('SKB'), { month: MONTH }).lines).toEqual([
      { row: 2, number: '0212345678', baseFee: 22000, usageFee: 13450, addOnFee: 3300, discount: 2200, total: 36550 },
    ]);
  });

  test('semicolon-separated, below a title line', async () => {
    const text = ['SK브로드밴드 청구서, 2026년 11월', SKB_HEADER.replaceAll(',', ';'), SKB_LINE.join(';'), SKB_LINE.join(';')].join('\n');
    const { rows } = await decodeBillFile(Buffer.from(text), { contentType: 'text/csv' });
    expect(rows.map((r) => r.cells.length)).toEqual([1, 8, 8, 8]); // the title's comma is text
    expect(rows[2].cells).toEqual(SKB_LINE);
  });

  test('each record is at the line it starts on: blank lines kept, quoted line breaks counted, CR, LF or CRLF', async () => {
    const text = 'title\r\n\r\n"a\r\nb",c\n"d\re",f\rg,h';
    expect((await decodeBillFile(Buffer.from(text), { contentType: 'text/csv' })).rows).toEqual([
      { line: 1, cells: ['title'] },
      { line: 2, cells: [''] },
      { line: 3, cells: ['a\nb', 'c'] },
      { line: 5, cells: ['d\ne', 'f'] },
      { line: 7, cells: ['g', 'h'] },
    ]);
  });

  test.each([
    ['an unclosed quote', 'a,b\n1,2\n"3,4\n', 'line 3', 'Quote Not Closed'],
    ['a quote inside a field', 'a,b\n1,2"x\n', 'line 2', 'Invalid Opening Quote'],
  ])('%s is malformed CSV at its line', async (_, text, path, reason) => {
    expect(await issuesOf(decodeBillFile(Buffer.from(text), { contentType: 'text/csv' }))).toEqual([
      { path, message: expect.stringContaining(`malformed CSV: ${reason}`) },
    ]);
  });

  test('NUL characters mean the file is not text', async () => {
    expect(await issuesOf(decodeBillFile(Buffer.from('a,b\n1\u00002,3\n'), { contentType: 'text/csv' }))).toEqual([
      { path: 'file', message: 'contains NUL characters, so it is not a CSV text (a UTF-16 file needs its byte-order mark)' },
    ]);
  });

  test('control characters in cells are named; tabs and quoted line breaks are not', async () => {
    const text = 'a,b\n"x\ny",\t1\n2,3\u0007\n\u001b[0m,4\n';
    expect(await issuesOf(decodeBillFile(Buffer.from(text), { contentType: 'text/csv' }))).toEqual([
      { path: 'line 4', message: 'cell 2 contains the control character U+0007' },
      { path: 'line 5', message: 'cell 1 contains the control character U+001B' },
    ]);
  });

  test('a UTF-8 BOM followed by invalid UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('\uFEFFa,b\n1,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    expect(await issuesOf(decodeBillFile(bytes, { contentType: 'text/csv' }))).toEqual([
      { path: 'line 2', message: 'cell 2 contains bytes that are not text in the file as utf-8 (shown as U+FFFD)' },
    ]);
  });

  test('an empty upload is an empty bill', async () => {
    const decoded = await decodeBillFile(Buffer.alloc(0), { contentType: 'text/csv' });
    expect(decoded).toEqual({ rows: [], encoding: 'utf-8', format: 'csv' });
    expect(() => readBillRows(decoded.rows, profileOf('KT'), { month: MONTH })).toThrow(
      new ValidationError([{ path: 'file', message: 'is empty: expected a KT bill' }]),
    );
  });
});

describe('XLSX workbooks', () => {
  test('cells read as the sheet shows them: numbers in full, dates, rich text, formulas, links, merged titles', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('청구서');
    workbook.addWorksheet('요약').getCell('A1').value = 'not read';
    sheet.getCell('A1').value = 'LG유플러스 청구서';
    sheet.mergeCells('A1:D1');
    sheet.getRow(3).values = [{ richText: [{ text: '회선' }, { font: { bold: true }, text: '번호' }] }, '기본료', '합계', '납부마감일', '비고'];
    sheet.getRow(4).values = [
      '02-1234-5678',
      10000,
      { formula: 'B4', result: 10000 },
      new Date(Date.UTC(2026, 11, 24)),
      { text: '상세', hyperlink: 'https://example.com' },
    ];
    sheet.getRow(5).values = [212345679, 1e15, { formula: 'NA()', result: { error: '#N/A' } }, true];
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());

    expect(await decodeBillFile(bytes, { contentType: XLSX_CONTENT_TYPE })).toEqual({
      format: 'xlsx',
      encoding: 'utf-8',
      rows: [
        { line: 1, cells: ['LG유플러스 청구서', '', '', '', ''] },
        { line: 2, cells: ['', '', '', '', ''] },
        { line: 3, cells: ['회선번호', '기본료', '합계', '납부마감일', '비고'] },
        { line: 4, cells: ['02-1234-5678', '10000', '10000', '2026-12-24', '상세'] },
        { line: 5, cells: ['212345679', '1000000000000000', '#N/A', 'TRUE', ''] },
      ],
    });
  });

  test('bad cells are reported at the sheet row, named by the header', async () => {
    const lines: BillFileLine[] = [SAMPLE[0], { ...SAMPLE[1], baseFee: '11,000.5', total: 11000 }, { ...SAMPLE[2], number: '없음', total: 1 }];
    const bytes = await writeBillFile(DEFAULT_BILL_PROFILES.KT, lines, { format: 'xlsx', month: MONTH });
    expect(await issuesOf(readBill(bytes, 'KT'))).toEqual([
      { path: 'line 5.기본료', message: 'must be whole won (KRW has no decimals), got "11,000.5"' },
      { path: 'line 6.서비스번호', message: 'must be a phone number such as 02-1234-5678, got "없음"' },
      { path: 'line 6.청구금액', message: 'is 1, but 기본료 + 통화료 + 부가서비스료 − 할인액 = 1,279,432' },
    ]);
  });

  test.each([
    [
      'a truncated workbook',
      async () => (await writeBillFile(DEFAULT_BILL_PROFILES.KT, SAMPLE, { format: 'xlsx', month: MONTH })).subarray(0, 2000),
      XLSX_CONTENT_TYPE,
    ],
    ['CSV sent as XLSX', async () => Buffer.from('a,b\n1,2\n'), XLSX_CONTENT_TYPE],
    ['a ZIP signature and nothing else', async () => Buffer.from('PK\x03\x04'), 'text/csv'],
  ])('%s is not a readable workbook', async (_, bytes, contentType) => {
    expect(await issuesOf(decodeBillFile(await bytes(), { contentType }))).toEqual([
      { path: 'file', message: expect.stringMatching(/^not a readable XLSX workbook: .+/) },
    ]);
  });

  test('an Excel 97-2003 workbook is named as such, even when sent as XLSX', async () => {
    const bytes = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    expect(await issuesOf(decodeBillFile(bytes, { contentType: XLSX_CONTENT_TYPE }))).toEqual([
      { path: 'file', message: 'is an Excel 97-2003 (.xls) workbook, which cannot be read: save it as .xlsx or CSV' },
    ]);
  });
});

test('bad cells in a CSV bill are all reported at once, at the file line and the column as headed', async () => {
  const lines: BillFileLine[] = [
    { ...SAMPLE[0], dueDate: '2026-12-31' },
    { ...SAMPLE[1], usageFee: '-500', month: '2026-10', total: 11000 },
    SAMPLE[2],
    { number: '02-1234-5678', baseFee: '', usageFee: '1.5', total: '1,000' },
  ];
  const bytes = await writeBillFile(DEFAULT_BILL_PROFILES.LGU, lines, {
    format: 'csv',
    encoding: 'cp949',
    month: MONTH,
    dueDate: '2026-12-24',
    thousands: true,
  });
  expect(await issuesOf(readBill(bytes, 'LGU'))).toEqual([
    { path: 'line 4.통화요금', message: 'must not be negative, got "-500"' },
    { path: 'line 4.청구월', message: 'is 2026-10, but the bill is for 2026-11' },
    { path: 'line 4.납부마감일', message: 'is 2026-12-24, but line 3 says 2026-12-31: a bill has one due date' },
    { path: 'line 5.납부마감일', message: 'is 2026-12-24, but line 3 says 2026-12-31: a bill has one due date' },
    { path: 'line 6.기본요금', message: 'must not be empty' },
    { path: 'line 6.통화요금', message: 'must be whole won (KRW has no decimals), got "1.5"' },
    { path: 'line 6.납부마감일', message: 'is 2026-12-24, but line 3 says 2026-12-31: a bill has one due date' },
  ]);
});

test('a bill of 100,000 lines reads whole', async () => {
  const lines = Array.from({ length: 100_000 }, (_, i) => ({
    number: `02-${1000 + (i % 9000)}-${String(i % 10000).padStart(4, '0')}`,
    baseFee: 11000 + (i % 7) * 10,
    usageFee: i % 1000,
    discount: -(i % 3) * 100,
  }));
  const bytes = await writeBillFile(DEFAULT_BILL_PROFILES.SKB, lines, { format: 'csv', month: MONTH, dueDate: '2026-12-24', thousands: true });
  const bill = await readBill(bytes, 'SKB');
  expect(bill.lines).toHaveLength(100_000);
  expect(bill.lines.reduce((sum, l) => sum + l.total, 0)).toBe(lines.reduce((sum, l) => sum + l.baseFee + l.usageFee + l.discount, 0));
  expect(bill.lines[99_999]).toEqual({ row: 100_001, number: '0219999999', baseFee: 11040, usageFee: 999, addOnFee: 0, discount: 0, total: 12039 });
});

describe('properties', () => {
  const phone = fc
    .tuple(fc.constantFrom('02', '031', '051', '070', '010', '+82-2', '(02)'), fc.integer({ min: 100, max: 9999 }), fc.integer({ min: 0, max: 9999 }))
    .map(([area, exchange, line]) => `${area}-${exchange} ${String(line).padStart(4, '0')}`);
  const krw = fc.integer({ min: 0, max: 50_000_000 });
  const billLine = fc
    .record({ number: phone, baseFee: krw, usageFee: krw, addOnFee: krw, discount: krw, negative: fc.boolean() })
    .map(({ negative, discount, ...l }) => {
      const d = Math.min(discount, l.baseFee + l.usageFee + l.addOnFee);
      return { ...l, discount: negative ? -d : d };
    });
  const layout = fc.record({
    carrier: fc.constantFrom(...CARRIERS),
    format: fc.constantFrom<'csv' | 'xlsx'>('csv', 'xlsx'),
    encoding: fc.constantFrom<'utf-8' | 'utf-8-bom' | 'cp949'>('utf-8', 'utf-8-bom', 'cp949'),
    lineEnding: fc.constantFrom<'\r\n' | '\n'>('\r\n', '\n'),
    thousands: fc.boolean(),
    month: fc.tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`),
    dueDate: fc.option(fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))),
  });
  /** Mostly the content type a browser sends for the file, sometimes any. */
  const upload = (format: 'csv' | 'xlsx') =>
    fc.record({
      contentType: fc.oneof(
        { weight: 3, arbitrary: fc.constant(format === 'xlsx' ? XLSX_CONTENT_TYPE : 'text/csv') },
        { weight: 1, arbitrary: fc.constantFrom('text/csv', 'application/octet-stream', 'text/plain', XLSX_CONTENT_TYPE) },
      ),
      encoding: fc.constantFrom(undefined, 'utf-8' as const, 'euc-kr' as const, 'cp949' as const),
    });

  /** Lines, or a ValidationError whose every issue has a path the API documents; any other error fails the property. */
  async function outcome(
    bytes: Buffer,
    carrier: string,
    up: { contentType: string; encoding?: 'utf-8' | 'euc-kr' | 'cp949' },
    month: string,
  ): Promise<'read' | 'invalid'> {
    try {
      const { rows } = await decodeBillFile(bytes, up);
      readBillRows(rows, profileOf(carrier), { month });
      return 'read';
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      expect(err.issues.length).toBeGreaterThan(0);
      for (const issue of err.issues) expect(issue.path).toMatch(/^(file|header|line \d+(\..+)?)$/);
      return 'invalid';
    }
  }

  test('a generated bill reads back exactly', async () => {
    await fc.assert(
      fc.asyncProperty(layout, fc.array(billLine, { minLength: 1, maxLength: 15 }), async ({ carrier, dueDate, ...options }, lines) => {
        const bytes = await writeBillFile(DEFAULT_BILL_PROFILES[carrier], lines, { ...options, dueDate: dueDate ?? undefined });
        const { rows } = await decodeBillFile(bytes, { contentType: options.format === 'xlsx' ? XLSX_CONTENT_TYPE : 'text/csv' });
        expect(readBillRows(rows, profileOf(carrier), { month: options.month })).toEqual({ lines: expectedLines(lines, carrier), dueDate: dueDate ?? null });
      }),
      { numRuns: 60 },
    );
  });

  /** A workbook's bytes are mostly overwritten in place: an insertion moves the ZIP's offsets and stops at the ZIP. */
  const mutation = (format: 'csv' | 'xlsx') =>
    fc.record({
      kind:
        format === 'xlsx'
          ? fc.oneof({ weight: 6, arbitrary: fc.constant('set' as const) }, fc.constantFrom('insert' as const, 'delete' as const, 'truncate' as const))
          : fc.constantFrom('set' as const, 'insert' as const, 'delete' as const, 'truncate' as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    });

  /** The workbook without compression, so changed bytes reach exceljs's reading of its XML, not only the inflater. */
  async function stored(xlsx: Buffer): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
    return Buffer.from(await workbook.xlsx.writeBuffer({ zip: { compression: 'STORE' } }));
  }

  function mutate(original: Buffer, mutations: Array<{ kind: 'set' | 'insert' | 'delete' | 'truncate'; at: number; bytes: Uint8Array }>): Buffer {
    let bytes = original;
    for (const m of mutations) {
      const at = m.at % Math.max(bytes.length, 1);
      const parts = {
        set: [bytes.subarray(0, at), m.bytes, bytes.subarray(at + m.bytes.length)],
        insert: [bytes.subarray(0, at), m.bytes, bytes.subarray(at)],
        delete: [bytes.subarray(0, at), bytes.subarray(at + m.bytes.length)],
        truncate: [bytes.subarray(0, at)],
      }[m.kind];
      bytes = Buffer.concat(parts);
    }
    return bytes;
  }

  test('a bill with random bytes changed reads or is refused with a ValidationError, never anything else', async () => {
    const originals = new Map<string, Buffer>();
    await fc.assert(
      fc.asyncProperty(
        layout.chain((l) => fc.tuple(fc.constant(l), upload(l.format), fc.array(mutation(l.format), { minLength: 1, maxLength: 3 }))),
        async ([{ carrier, dueDate: _dueDate, ...options }, up, mutations]) => {
          const key = `${carrier}/${options.format}/${options.encoding}/${options.thousands}/${JSON.stringify(options.lineEnding)}`;
          if (!originals.has(key)) {
            const bytes = await writeBillFile(DEFAULT_BILL_PROFILES[carrier], SAMPLE, { ...options, month: MONTH, dueDate: '2026-12-24' });
            originals.set(key, options.format === 'xlsx' ? await stored(bytes) : bytes);
          }
          await outcome(mutate(originals.get(key)!, mutations), carrier, up, MONTH);
        },
      ),
      { numRuns: 400 },
    );
  });

  const anyCell = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.constantFrom('', '-', '(1,000)', '1,234원', '₩0', '2026-11', '20261224', '02-1234-5678', '+82 10 1234 5678', '"', '\r\n', '\t', ';', ','),
    fc.integer({ min: -1e13, max: 1e13 }),
    fc.double(),
  );
  /** Mostly good cells, so the checks behind the first bad one are reached too. */
  const anyLine = fc.record(
    {
      number: fc.oneof(phone, anyCell),
      month: anyCell,
      baseFee: fc.oneof(krw, anyCell),
      usageFee: fc.oneof(krw, anyCell),
      addOnFee: fc.oneof(krw, anyCell),
      discount: fc.oneof(krw, anyCell),
      total: anyCell,
      dueDate: anyCell,
    },
    { requiredKeys: [] },
  );

  test('a bill of random cells, in any encoding, reads or is refused with a ValidationError', async () => {
    await fc.assert(
      fc.asyncProperty(
        layout.chain((l) => fc.tuple(fc.constant(l), upload(l.format), fc.array(anyLine, { maxLength: 8 }))),
        async ([{ carrier, dueDate, ...options }, up, lines]) => {
          const bytes = await writeBillFile(DEFAULT_BILL_PROFILES[carrier], lines, { ...options, dueDate: dueDate ?? undefined });
          const read = await outcome(bytes, carrier, up, options.month);
          if (lines.length === 0) expect(read).toBe('invalid');
        },
      ),
      { numRuns: 200 },
    );
  });
});
