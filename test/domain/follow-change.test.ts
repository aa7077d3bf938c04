import type { ChangeRequest } from '../../domain/change/contracts';
import type { LineState } from '../../domain/line/contracts';
import { followChange, lineKeyOf } from '../../domain/line/follow-change';

/** Team changes on a line record (pure): what the change's snapshot says decides the membership item. */

const window = { start: '2026-03-02T01:00:00.000Z', end: '2026-03-02T03:00:00.000Z' };
const line = (team: string | null, installed: LineState['installed']) =>
  ({
    id: 'LN-000001',
    dn: '7001',
    agent: { loginId: 'a@x.example', name: '가', team, skills: [] },
    installed: [{ kind: 'cti-agent', agentId: 'u1', loginId: 'a@x.example' }, ...installed],
  }) as unknown as LineState;
const team = (type: 'cti-team-add' | 'cti-team-remove', target: string): ChangeRequest => ({
  type,
  target,
  params: { loginIds: ['a@x.example'] },
  window,
  reason: '팀 재편',
});

test('team changes find their lines by the logins they name', () => {
  expect(lineKeyOf('cti-team-add')).toBe('loginIds');
  expect(lineKeyOf('cti-team-remove')).toBe('loginIds');
  expect(lineKeyOf('rec-account')).toBeUndefined();
});

test('an add makes the team the agent’s only one: created when the agent was not a member, adopted when it was', () => {
  const context = { team: { id: 't2', name: '상담2팀' }, agents: [{ loginId: 'a@x.example', agentId: 'u1', member: false }] };
  const stale = { kind: 'cti-team-member', teamId: 't1', team: '상담1팀', agentId: 'u1' } as const;
  expect(followChange(team('cti-team-add', '상담2팀'), line(null, [stale]), context)).toEqual({
    agent: { loginId: 'a@x.example', name: '가', team: '상담2팀', skills: [] },
    installed: [
      { kind: 'cti-agent', agentId: 'u1', loginId: 'a@x.example' },
      { kind: 'cti-team-member', teamId: 't2', team: '상담2팀', agentId: 'u1', origin: 'created' },
    ],
  });
  const wasMember = { ...context, agents: [{ loginId: 'a@x.example', agentId: 'u1', member: true }] };
  expect(followChange(team('cti-team-add', '상담2팀'), line(null, []), wasMember)?.installed?.at(-1)).toMatchObject({ origin: 'adopted' });
  // Already the line's team and membership: nothing to change.
  const member = { kind: 'cti-team-member', teamId: 't2', team: '상담2팀', agentId: 'u1' } as const;
  expect(followChange(team('cti-team-add', '상담2팀'), line('상담2팀', [member]), context)).toBeUndefined();
});

test('a remove takes the team away, found by name or (renamed meanwhile) by the team’s id', () => {
  const member = { kind: 'cti-team-member', teamId: 't1', team: '옛이름팀', agentId: 'u1' } as const;
  const removed = followChange(team('cti-team-remove', '상담1팀'), line('옛이름팀', [member]), { team: { id: 't1', name: '상담1팀' } });
  expect(removed?.agent?.team).toBeNull();
  expect(removed?.installed).toEqual([{ kind: 'cti-agent', agentId: 'u1', loginId: 'a@x.example' }]);
  // Another team's removal leaves the line as it is.
  expect(followChange(team('cti-team-remove', '상담3팀'), line('상담1팀', []), { team: { id: 't3', name: '상담3팀' } })).toBeUndefined();
});

test("a completed plan change gives the line's contract the carrier's new plan and fee; a line without a contract has none to change", () => {
  expect(lineKeyOf('line-plan')).toBe('dn');
  expect(lineKeyOf('trunk-channels')).toBeUndefined();
  const change: ChangeRequest = { type: 'line-plan', target: '7001', params: { plan: '기업 종량제', monthlyFee: 6_000 }, window, reason: '절감 제안' };
  const contract = {
    contractNo: 'KT-1',
    carrier: 'KT',
    monthlyFee: 30_000,
    termMonths: 36,
    signedAt: '2025-01-02',
    recordedBy: { id: 'spm', role: 'spm' },
    recordedAt: '2025-01-02T00:00:00Z',
  };
  const withContract = { ...line(null, []), contract } as LineState;
  expect(followChange(change, withContract)).toEqual({ contract: { ...contract, plan: '기업 종량제', monthlyFee: 6_000 } });
  expect(followChange(change, line(null, []))).toBeUndefined();
});
