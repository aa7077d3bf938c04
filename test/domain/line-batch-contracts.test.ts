import { batchStatusOf, lineRequestOf, MAX_BATCH_LINES, ProvisionLineBatchRequest } from '../../domain/line/batch';

const item = (dn: string, extra: Record<string, unknown> = {}) => ({ dn, displayName: `상담원 ${dn}`, lineType: 'extension', ...extra });
const issues = (body: unknown) => {
  const r = ProvisionLineBatchRequest.safeParse(body);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

test('a batch of valid lines passes; the center and team fill in what an item leaves out', () => {
  const body = {
    center: '상담 3센터',
    team: '신규팀',
    lines: [item('45001', { agent: { loginId: 'a@x.example', name: '가' } }), item('45002', { center: '상담 1센터' })],
  };
  expect(issues(body)).toEqual([]);
  const parsed = ProvisionLineBatchRequest.parse(body);
  expect(lineRequestOf(parsed, parsed.lines[0]!)).toMatchObject({ center: '상담 3센터', agent: { team: '신규팀', skills: [] } });
  expect(lineRequestOf(parsed, parsed.lines[1]!)).toMatchObject({ center: '상담 1센터' });
  expect(lineRequestOf(parsed, parsed.lines[1]!).agent).toBeUndefined();
});

test('a bad item is named by its place in the batch, by the single line’s rules too', () => {
  const lines = [
    item('45001'),
    item('45002'),
    item('45003'),
    item('4x'),
    item('45005', { lineType: 'pri' }),
    item('45006', { agent: { loginId: 'b@x.example', name: '나' } }),
  ];
  expect(issues({ center: '상담 1센터', lines })).toEqual([
    'lines.3.dn: a DN is 2–15 digits',
    'lines.4.trunk: a PRI line needs trunk.uri',
    'lines.5.agent.team: an agent needs a team (here or the batch’s team)',
  ]);
});

test('a DN twice in the batch names the second place and the first', () => {
  expect(issues({ center: '상담 1센터', lines: [item('45001'), item('45002'), item('45001')] })).toEqual(['lines.2.dn: DN 45001 is also lines.0.dn']);
});

test('a phone IP or an agent login twice in the batch is named too; a queue twice for one agent, by the single line’s rules', () => {
  const agent = (loginId: string, queues?: string[]) => ({ agent: { loginId, name: '가', ...(queues ? { queues } : {}) } });
  const lines = [
    item('45001', { phone: { ip: '10.0.0.1' }, ...agent('a@x.example') }),
    item('45002', { phone: { ip: '10.0.0.1' } }),
    item('45003', agent('A@x.example')),
    item('45004', agent('c@x.example', ['대표번호', '대표번호'])),
  ];
  expect(issues({ center: '상담 1센터', team: '팀', lines })).toEqual([
    'lines.1.phone.ip: IP 10.0.0.1 is also lines.0.phone.ip',
    'lines.2.agent.loginId: login a@x.example is also lines.0.agent.loginId',
    'lines.3.agent.queues.1: queue "대표번호" is also queues.0',
  ]);
});

test(`at most ${MAX_BATCH_LINES} lines, at least one`, () => {
  const many = Array.from({ length: MAX_BATCH_LINES + 1 }, (_, i) => item(String(46000 + i)));
  expect(issues({ center: '상담 1센터', lines: many })).toEqual([`lines: a batch holds at most ${MAX_BATCH_LINES} lines`]);
  expect(issues({ center: '상담 1센터', lines: many.slice(0, MAX_BATCH_LINES) })).toEqual([]);
  expect(issues({ center: '상담 1센터', lines: [] })).toHaveLength(1);
});

test('the batch is RUNNING until every line is at rest, then COMPLETED, PARTIAL or FAILED', () => {
  expect(batchStatusOf([{ outcome: 'ACTIVE' }, {}])).toBe('RUNNING');
  expect(batchStatusOf([{ outcome: 'ACTIVE' }, { outcome: 'ACTIVE' }])).toBe('COMPLETED');
  expect(batchStatusOf([{ outcome: 'ACTIVE' }, { outcome: 'FAILED' }])).toBe('PARTIAL');
  expect(batchStatusOf([{ outcome: 'ACTIVE' }, { outcome: 'CANCELLED' }])).toBe('PARTIAL');
  expect(batchStatusOf([{ outcome: 'FAILED' }, { outcome: 'CANCELLED' }])).toBe('FAILED');
});
