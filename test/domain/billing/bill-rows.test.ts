import { MAX_BILL_ROWS, MAX_REPORTED_ISSUES, readBillRows, type BillRow } from '../../../domain/billing/bill-rows';
import { BillField, BillProfileInput } from '../../../domain/billing/contracts';
import { DEFAULT_BILL_PROFILES } from '../../../domain/billing/default-profiles';
import { ValidationError, type FieldIssue } from '../../../domain/errors';

const PROFILE = BillProfileInput.parse({
  displayName: '테스트통신',
  columns: {
    number: ['회선번호', 'Line Number'],
    month: ['청구월'],
    baseFee: ['기본료'],
    usageFee: ['통화료'],
    addOnFee: ['부가서비스료'],
    discount: ['할인'],
    total: ['합계'],
    dueDate: ['납기일'],
  },
});
const HEADER = ['회선번호', '청구월', '기본료', '통화료', '부가서비스료', '할인', '합계', '납기일'];
const MONTH = { month: '2026-11' };

/** Rows numbered from line 1, as a decoded file gives them. */
function rows(...cells: string[][]): BillRow[] {
  return cells.map((c, i) => ({ line: i + 1, cells: c }));
}

function issuesOf(input: BillRow[], profile = PROFILE): FieldIssue[] {
  try {
    readBillRows(input, profile, MONTH);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

/** A good line, with some of its cells replaced. */
function line(changes: Partial<Record<BillField, string>> = {}): string[] {
  const cells: Record<BillField, string> = {
    number: '02-1234-5678',
    month: '2026-11',
    baseFee: '10000',
    usageFee: '2500',
    addOnFee: '1100',
    discount: '600',
    total: '13000',
    dueDate: '2026-12-25',
    ...changes,
  };
  return [cells.number, cells.month, cells.baseFee, cells.usageFee, cells.addOnFee, cells.discount, cells.total, cells.dueDate];
}

test('a good bill', () => {
  const result = readBillRows(rows(HEADER, line(), line({ number: '070-8888-0001', usageFee: '0', discount: '0', total: '11100' })), PROFILE, MONTH);
  expect(result).toEqual({
    lines: [
      { row: 2, number: '0212345678', baseFee: 10000, usageFee: 2500, addOnFee: 1100, discount: 600, total: 13000 },
      { row: 3, number: '07088880001', baseFee: 10000, usageFee: 0, addOnFee: 0 + 1100, discount: 0, total: 11100 },
    ],
    dueDate: '2026-12-25',
  });
});

test('header names match without case or whitespace, in any order; other columns are ignored; title and blank rows are skipped', () => {
  const profile = { ...PROFILE, skipRows: 2 };
  const input = rows(
    ['테스트통신 청구서'],
    ['', ''],
    [],
    ['비고', ' LINE  NUMBER ', '합 계', '기본\n료', '\uFEFF할인'],
    ['메모', '(02)1234 5678', '9,400', '10,000', '600'],
    ['', '', '', ''],
    ['', '+82-2-1234-5679', '10000', '10000', ''],
  );
  expect(readBillRows(input, profile, MONTH)).toEqual({
    lines: [
      { row: 5, number: '0212345678', baseFee: 10000, usageFee: 0, addOnFee: 0, discount: 600, total: 9400 },
      { row: 7, number: '0212345679', baseFee: 10000, usageFee: 0, addOnFee: 0, discount: 0, total: 10000 },
    ],
    dueDate: null,
  });
});

describe('numbers', () => {
  test.each([
    ['02-1234-5678', '0212345678'],
    ['(02)1234 5678', '0212345678'],
    ['+82-2-1234-5678', '0212345678'],
    ['+82 10 1234 5678', '01012345678'],
    ['+82 (0)31 123 4567', '0311234567'],
    ['1588.1234', '15881234'],
    // As Excel keeps a number it stored as a number (an XLSX numeric cell, a CSV saved from Excel): its leading 0 put back.
    ['212345679', '0212345679'],
    ['21234567', '021234567'],
    ['311234567', '0311234567'],
    ['1012345678', '01012345678'],
    ['7088880001', '07088880001'],
    ['50512345678', '050512345678'],
    // But not a service number, nor what no domestic prefix begins, nor a short extension, nor anything with separators.
    ['15881234', '15881234'],
    ['34567890', '34567890'],
    ['91234567', '91234567'],
    ['2001', '2001'],
    ['2-1234-5678', '212345678'],
  ])('%s → %s', (text, number) => {
    expect(readBillRows(rows(HEADER, line({ number: text })), PROFILE, MONTH).lines[0].number).toBe(number);
  });
});

describe('amounts', () => {
  test.each([
    ['1,000', 1000],
    [' 1000원 ', 1000],
    ['1,000 원', 1000],
    ['₩1,000', 1000],
    ['￦ 1,000', 1000],
    ['\\1000', 1000],
    ['1000.00', 1000],
    ['0001000', 1000],
  ])('the base fee %j is %d', (text, value) => {
    expect(
      readBillRows(rows(HEADER, line({ baseFee: text, usageFee: '0', addOnFee: '0', discount: '0', total: '1000' })), PROFILE, MONTH).lines[0].baseFee,
    ).toBe(value);
  });

  test.each([
    ['600', 600],
    ['-600', 600],
    ['−600', 600],
    ['(600)', 600],
    ['-₩600', 600],
    ['₩-600', 600],
    ['(₩600원)', 600],
    ['-', 0],
    ['', 0],
  ])('the discount %j is %d, subtracted', (text, value) => {
    const total = String(13600 - value);
    expect(readBillRows(rows(HEADER, line({ discount: text, total })), PROFILE, MONTH).lines[0]).toMatchObject({ discount: value, total: 13600 - value });
  });

  test('empty usage and add-on fees are zero', () => {
    expect(readBillRows(rows(HEADER, line({ usageFee: ' ', addOnFee: '', discount: '', total: '10000' })), PROFILE, MONTH).lines[0]).toMatchObject({
      usageFee: 0,
      addOnFee: 0,
      discount: 0,
    });
  });
});

describe('each bad cell is reported at its line and column as the file names it', () => {
  test.each([
    [{ number: '' }, 'line 2.회선번호', 'must not be empty'],
    [{ number: '02-1234-5678 내선' }, 'line 2.회선번호', 'must be a phone number such as 02-1234-5678, got "02-1234-5678 내선"'],
    [{ number: '5' }, 'line 2.회선번호', 'must have 2 to 15 digits, got "5"'],
    [{ number: '0212345678901234' }, 'line 2.회선번호', 'must have 2 to 15 digits, got "0212345678901234"'],
    [{ number: '+1 212 555 0100' }, 'line 2.회선번호', 'must be a Korean number (+82), got "+1 212 555 0100"'],
    [{ baseFee: '', total: '3000' }, 'line 2.기본료', 'must not be empty'],
    [{ baseFee: '만원' }, 'line 2.기본료', 'must be an amount in won such as 12,340, got "만원"'],
    [{ baseFee: '10,00' }, 'line 2.기본료', 'must be an amount in won such as 12,340, got "10,00"'],
    [{ baseFee: '10000.5' }, 'line 2.기본료', 'must be whole won (KRW has no decimals), got "10000.5"'],
    [{ baseFee: '-10000' }, 'line 2.기본료', 'must not be negative, got "-10000"'],
    [{ usageFee: '(2,500)' }, 'line 2.통화료', 'must not be negative, got "(2,500)"'],
    [{ addOnFee: '-1100' }, 'line 2.부가서비스료', 'must not be negative, got "-1100"'],
    [{ total: '-13000' }, 'line 2.합계', 'must not be negative, got "-13000"'],
    [{ total: '' }, 'line 2.합계', 'must not be empty'],
    [{ usageFee: '1000000000001' }, 'line 2.통화료', 'must be at most 1,000,000,000,000 won, got "1000000000001"'],
    [{ usageFee: '99999999999999999999' }, 'line 2.통화료', 'must be at most 1,000,000,000,000 won, got "99999999999999999999"'],
    [{ discount: '--600' }, 'line 2.할인', 'must be an amount in won such as 12,340, got "--600"'],
    [{ total: '13,010' }, 'line 2.합계', 'is 13,010, but 기본료 + 통화료 + 부가서비스료 − 할인 = 13,000'],
    [{ month: '2026-10' }, 'line 2.청구월', 'is 2026-10, but the bill is for 2026-11'],
    [{ month: '2026-13' }, 'line 2.청구월', 'must be a month such as 2026-11, got "2026-13"'],
    [{ month: '11월' }, 'line 2.청구월', 'must be a month such as 2026-11, got "11월"'],
    [{ dueDate: '2026-02-30' }, 'line 2.납기일', 'must be a real date such as 2026-12-25, got "2026-02-30"'],
    [{ dueDate: '2026.12-25' }, 'line 2.납기일', 'must be a real date such as 2026-12-25, got "2026.12-25"'],
    [{ dueDate: '25/12/2026' }, 'line 2.납기일', 'must be a real date such as 2026-12-25, got "25/12/2026"'],
  ] as Array<[Partial<Record<BillField, string>>, string, string]>)('%j → %s: %s', (changes, path, message) => {
    expect(issuesOf(rows(HEADER, line(changes)))).toEqual([{ path, message }]);
  });

  test('a row with fewer cells than the header needs', () => {
    expect(issuesOf(rows(HEADER, line(), line().slice(0, 5)))).toEqual([
      { path: 'line 3', message: 'has 5 cells, but the header\'s "납기일" column is cell 8' },
    ]);
  });

  test('the total names only the columns the file has', () => {
    const input = rows(['합계', '회선번호', '기본료'], ['1,001', '0212345678', '1,000']);
    expect(issuesOf(input)).toEqual([{ path: 'line 2.합계', message: 'is 1,001, but 기본료 = 1,000' }]);
  });
});

test('months and due dates in the ways bills write them', () => {
  const months = ['2026-11', '202611', '2026.11', '2026. 11.', '2026/11', '2026년 11월', '2026-11-01'];
  const days = ['2026-12-25', '20261225', '2026.12.25', '2026. 12. 25.', '2026/12/25', '2026년 12월 25일', ''];
  const input = rows(HEADER, ...months.map((month, i) => line({ month, dueDate: days[i] })));
  expect(readBillRows(input, PROFILE, MONTH)).toMatchObject({ dueDate: '2026-12-25' });
  expect(readBillRows(input, PROFILE, MONTH).lines).toHaveLength(months.length);
});

test('every line states the same due date', () => {
  const input = rows(HEADER, line(), line({ dueDate: '2026-12-25' }), line({ dueDate: '2026.12.26' }));
  expect(issuesOf(input)).toEqual([{ path: 'line 4.납기일', message: 'is 2026-12-26, but line 2 says 2026-12-25: a bill has one due date' }]);
});

test('all problems of a file are reported together', () => {
  const input = rows(
    HEADER,
    line({ number: 'x', baseFee: '1.5' }), // 2
    line(), // 3 fine
    [], // 4 blank
    line({ total: '1', month: '2026-12' }), // 5
    line({ discount: '(abc)' }), // 6
  );
  expect(issuesOf(input)).toEqual([
    { path: 'line 2.회선번호', message: 'must be a phone number such as 02-1234-5678, got "x"' },
    { path: 'line 2.기본료', message: 'must be whole won (KRW has no decimals), got "1.5"' },
    { path: 'line 5.합계', message: 'is 1, but 기본료 + 통화료 + 부가서비스료 − 할인 = 13,000' },
    { path: 'line 5.청구월', message: 'is 2026-12, but the bill is for 2026-11' },
    { path: 'line 6.할인', message: 'must be an amount in won such as 12,340, got "(abc)"' },
  ]);
});

test(`at most ${MAX_REPORTED_ISSUES} issues are listed, then how many more there were`, () => {
  const bad = line({ baseFee: 'x', total: 'y' });
  const issues = issuesOf(rows(HEADER, ...Array.from({ length: 150 }, () => bad)));
  expect(issues).toHaveLength(MAX_REPORTED_ISSUES + 1);
  expect(issues[0]).toEqual({ path: 'line 2.기본료', message: 'must be an amount in won such as 12,340, got "x"' });
  expect(issues[MAX_REPORTED_ISSUES - 1]).toEqual({ path: 'line 101.합계', message: 'must be an amount in won such as 12,340, got "y"' });
  expect(issues[MAX_REPORTED_ISSUES]).toEqual({ path: 'file', message: 'and 100 more issues not listed' });
});

describe('the header', () => {
  test('a required column missing names the names expected', () => {
    expect(issuesOf(rows(['청구월', '기본료', '비고'], ['2026-11', '1000', '']))).toEqual([
      { path: 'header', message: 'line 1, read as the 테스트통신 header, has no number column: expected "회선번호" or "Line Number"' },
      { path: 'header', message: 'line 1, read as the 테스트통신 header, has no total column: expected "합계"' },
    ]);
  });

  test('two columns for one field', () => {
    expect(issuesOf(rows(['회선번호', '기본료', '합계', 'line number'], ['02-1234-5678', '1000', '1000', '02-1234-5679']))).toEqual([
      { path: 'header', message: 'columns "회선번호" and "line number" (line 1) both name the number' },
    ]);
  });

  test('skipRows counts the title rows, so a wrong count reads a title as the header', () => {
    const profile = { ...PROFILE, skipRows: 1 };
    expect(issuesOf(rows(['테스트통신 청구서'], ['고객: 버틀러'], HEADER, line()), profile)[0]).toEqual({
      path: 'header',
      message: 'line 2, read as the 테스트통신 header, has no number column: expected "회선번호" or "Line Number"',
    });
  });
});

describe('the file', () => {
  test.each([
    ['no rows', [], 'is empty: expected a 테스트통신 bill'],
    ['blank rows only', [[''], ['', ' ']], 'is empty: expected a 테스트통신 bill'],
    ['a header only', [HEADER, ['', '']], 'has a header (line 1) but no bill lines'],
  ])('%s', (_, cells, message) => {
    expect(issuesOf(rows(...cells))).toEqual([{ path: 'file', message }]);
  });

  test('nothing after the title rows', () => {
    expect(issuesOf(rows(['제목'], ['고객']), { ...PROFILE, skipRows: 2 })).toEqual([
      { path: 'file', message: 'has no header row: the 테스트통신 layout skips 2 title rows and nothing follows them' },
    ]);
  });

  test(`more than ${MAX_BILL_ROWS} bill lines`, () => {
    const good = line();
    const input = [{ line: 1, cells: HEADER }, ...Array.from({ length: MAX_BILL_ROWS + 1 }, (_, i) => ({ line: i + 2, cells: good }))];
    expect(issuesOf(input)).toEqual([{ path: 'file', message: `has ${MAX_BILL_ROWS + 1} bill lines; at most ${MAX_BILL_ROWS} are accepted` }]);
    expect(readBillRows(input.slice(0, -1), PROFILE, MONTH).lines).toHaveLength(MAX_BILL_ROWS);
  });
});

describe('default profiles', () => {
  test.each(Object.entries(DEFAULT_BILL_PROFILES))('%s is a valid profile naming every field', (_, profile) => {
    const parsed = BillProfileInput.parse(profile);
    expect(Object.keys(parsed.columns).sort()).toEqual([...BillField.options].sort());
  });

  test('the carriers are told apart by their aliases', () => {
    const aliases = Object.values(DEFAULT_BILL_PROFILES).flatMap((p) => p.aliases ?? []);
    expect(new Set(aliases).size).toBe(aliases.length);
  });
});
