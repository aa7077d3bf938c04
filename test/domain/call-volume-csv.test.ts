import { ValidationError, type FieldIssue } from '../../domain/errors';
import { MAX_ROWS, parseCallVolumeCsv } from '../../domain/qsr/call-volume-csv';

function issuesOf(text: string): FieldIssue[] {
  try {
    parseCallVolumeCsv(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

test('a good file', () => {
  const text = ['date,center,offered,answered', '2026-01-05,상담 1센터,1200,1150', '2026-01-05,상담 2센터,800,800', '2026-01-06,상담 1센터,0,0', ''].join('\n');
  expect(parseCallVolumeCsv(text)).toEqual([
    { date: '2026-01-05', center: '상담 1센터', offered: 1200, answered: 1150, source: 'csv' },
    { date: '2026-01-05', center: '상담 2센터', offered: 800, answered: 800, source: 'csv' },
    { date: '2026-01-06', center: '상담 1센터', offered: 0, answered: 0, source: 'csv' },
  ]);
});

test('BOM, CRLF, reordered upper-case columns, quoted fields, extra columns and blank lines', () => {
  const text =
    '\uFEFFCenter,Answered,DATE,Offered,Abandoned\r\n' + '"상담 1센터, 본관",95,2026-02-01,100,5\r\n' + '\r\n' + ' 상담 2센터 , 7 ,2026-02-01, 9 ,2\r\n';
  expect(parseCallVolumeCsv(text)).toEqual([
    { date: '2026-02-01', center: '상담 1센터, 본관', offered: 100, answered: 95, source: 'csv' },
    { date: '2026-02-01', center: '상담 2센터', offered: 9, answered: 7, source: 'csv' },
  ]);
});

describe('each problem is reported at its line and column', () => {
  const header = 'date,center,offered,answered';
  test.each([
    ['2026-02-30,A,1,1', 'line 2.date', 'must be a real date as YYYY-MM-DD, got "2026-02-30"'],
    ['2026/02/03,A,1,1', 'line 2.date', 'must be a real date as YYYY-MM-DD, got "2026/02/03"'],
    ['2026-02-03, ,1,1', 'line 2.center', 'must not be empty'],
    [`2026-02-03,${'가'.repeat(101)},1,1`, 'line 2.center', 'must be at most 100 characters, got 101'],
    ['2026-02-03,"A\nB",1,1', 'line 2.center', 'must be one line without control characters'],
    ['2026-02-03,A,-1,0', 'line 2.offered', 'must be a non-negative integer, got "-1"'],
    ['2026-02-03,A,1.5,0', 'line 2.offered', 'must be a non-negative integer, got "1.5"'],
    ['2026-02-03,A,10,x', 'line 2.answered', 'must be a non-negative integer, got "x"'],
    ['2026-02-03,A,120,121', 'line 2.answered', 'must not exceed offered (120)'],
    ['2026-02-03,A,120', 'line 2', 'expected 4 fields as in the header, got 3'],
  ])('%s → %s: %s', (row, path, message) => {
    expect(issuesOf(`${header}\n${row}\n`)).toEqual([{ path, message }]);
  });

  test('a duplicate (date, center) names the first line', () => {
    expect(issuesOf(`${header}\n2026-02-03,A,1,1\n2026-02-03,B,1,1\n2026-02-03,A,2,2\n`)).toEqual([
      { path: 'line 4', message: 'duplicate of line 2 (2026-02-03, A)' },
    ]);
  });
});

test('all problems of a file are reported together, with file line numbers past blank lines and quoted line breaks', () => {
  const text = [
    'date,center,offered,answered,note', // 1
    '2026-03-01,A,10,5,', // 2 fine
    '2026-03-32,A,10,5,', // 3 bad date
    '', // 4 blank
    '2026-03-02,B,ten,5,"a note', // 5 bad offered, and a quoted note spanning lines 5–6
    'on two lines"', // 6
    '2026-03-03,C,10,11,', // 7 answered > offered
    '2026-03-01,A,3,3,', // 8 duplicate of line 2
  ].join('\r\n');
  expect(issuesOf(text)).toEqual([
    { path: 'line 3.date', message: 'must be a real date as YYYY-MM-DD, got "2026-03-32"' },
    { path: 'line 5.offered', message: 'must be a non-negative integer, got "ten"' },
    { path: 'line 7.answered', message: 'must not exceed offered (10)' },
    { path: 'line 8', message: 'duplicate of line 2 (2026-03-01, A)' },
  ]);
});

test('a header missing columns names them all', () => {
  expect(issuesOf('date,centre,offered\n2026-03-01,A,1\n')).toEqual([
    { path: 'line 1', message: 'missing column "center" (expected date,center,offered,answered)' },
    { path: 'line 1', message: 'missing column "answered" (expected date,center,offered,answered)' },
  ]);
  expect(issuesOf('date,center,offered,answered,Date\n')).toEqual([{ path: 'line 1', message: 'column "date" appears more than once' }]);
});

test('an empty file, or a header alone, is refused', () => {
  expect(issuesOf('')).toEqual([{ path: 'file', message: 'is empty: expected a header row date,center,offered,answered' }]);
  expect(issuesOf('\uFEFF\r\n\r\n')).toEqual([{ path: 'file', message: 'is empty: expected a header row date,center,offered,answered' }]);
  expect(issuesOf('date,center,offered,answered\r\n')).toEqual([{ path: 'file', message: 'has a header but no data rows' }]);
});

test('malformed CSV is a validation error at its line', () => {
  const issues = issuesOf('date,center,offered,answered\n2026-03-01,A,1,1\n2026-03-02,"B,1,1\n');
  expect(issues).toHaveLength(1);
  expect(issues[0].path).toBe('line 3');
  expect(issues[0].message).toMatch(/^malformed CSV: Quote Not Closed/);
  const stray = issuesOf('date,center,offered,answered\n2026-03-01,A"x",1,1\n');
  expect(stray[0].path).toBe('line 2');
  expect(stray[0].message).toMatch(/^malformed CSV: Invalid Opening Quote/);
});

test(`at most ${MAX_ROWS} rows`, () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => `2026-01-01,center ${i},1,1`);
  expect(parseCallVolumeCsv(['date,center,offered,answered', ...rows(MAX_ROWS)].join('\n'))).toHaveLength(10_000);
  expect(issuesOf(['date,center,offered,answered', ...rows(MAX_ROWS + 1)].join('\n'))).toEqual([
    { path: 'file', message: 'has 10001 data rows; at most 10000 are accepted' },
  ]);
});
