import { ChangeRequest, approversFor, verifiedBySip } from '../../domain/change/contracts';
import { ProvisionLineRequest } from '../../domain/line/contracts';

const issues = (r: { success: boolean; error?: { issues: Array<{ path: (string | number)[]; message: string }> } }) =>
  r.success ? [] : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

describe('provisioning requests', () => {
  const base = { center: '상담 1센터', dn: '3101', displayName: '상담원 3101', lineType: 'extension' };

  test('an agent extension with a phone is accepted and skills default to none', () => {
    const parsed = ProvisionLineRequest.parse({
      ...base,
      agent: { loginId: 'agent.kim@center1.example', name: '김상담', team: '상담1팀' },
      phone: { ip: '10.1.1.31' },
    });
    expect(parsed.agent?.skills).toEqual([]);
  });

  test('a PRI needs its trunk, has no agent; only a DID routes elsewhere', () => {
    expect(issues(ProvisionLineRequest.safeParse({ ...base, lineType: 'pri' }))).toEqual(['trunk: a PRI line needs trunk.uri']);
    expect(
      issues(
        ProvisionLineRequest.safeParse({
          ...base,
          lineType: 'pri',
          trunk: { uri: 'sip:10.0.0.9:5060' },
          agent: { loginId: 'a@b.example', name: 'x', team: 't' },
        }),
      ),
    ).toEqual(['agent: a PRI line has no agent']);
    expect(issues(ProvisionLineRequest.safeParse({ ...base, routeTo: '3102' }))).toEqual(['routeTo: only a DID routes to another extension']);
  });

  test('DN, IP, MAC and proficiency are checked field by field', () => {
    const result = ProvisionLineRequest.safeParse({
      ...base,
      dn: '31-01',
      phone: { ip: '10.1.1.300', mac: 'zz' },
      agent: { loginId: 'a b', name: 'x', team: 't', skills: [{ name: '상담', proficiency: 6 }] },
    });
    expect(issues(result).map((i) => i.split(':')[0])).toEqual(['dn', 'agent.loginId', 'agent.skills.0.proficiency', 'phone.ip', 'phone.mac']);
  });
});

describe('change requests', () => {
  const window = { start: '2026-12-01T01:00:00+09:00', end: '2026-12-01T03:00:00+09:00' };

  test('each type validates its own params', () => {
    expect(ChangeRequest.safeParse({ type: 'dn-change', target: '3101', params: { newDn: '3201' }, window, reason: '번호 변경' }).success).toBe(true);
    expect(issues(ChangeRequest.safeParse({ type: 'ip-change', target: '3101', params: { ip: 'nope' }, window, reason: 'r' }))).toEqual([
      'params.ip: an IPv4 address',
    ]);
    expect(
      issues(ChangeRequest.safeParse({ type: 'skillset', target: 'agent.kim@center1.example', params: { skills: [{ name: 'VIP' }] }, window, reason: 'r' })),
    ).toEqual(['params.skills.0.proficiency: Required']);
    expect(ChangeRequest.safeParse({ type: 'teleport', target: 'x', params: {}, window, reason: 'r' }).success).toBe(false);
  });

  test('a window ends after it starts and lasts at most a day', () => {
    expect(
      issues(
        ChangeRequest.safeParse({
          type: 'rec-account',
          target: 'agent.kim@center1.example',
          params: { enabled: true },
          window: { start: window.end, end: window.start },
          reason: 'r',
        }),
      ),
    ).toEqual(['window.end: window.end must be after window.start']);
    expect(
      issues(
        ChangeRequest.safeParse({
          type: 'rec-account',
          target: 'agent.kim@center1.example',
          params: { enabled: true },
          window: { start: window.start, end: '2026-12-03T03:00:00+09:00' },
          reason: 'r',
        }),
      ),
    ).toEqual(['window.end: a change window lasts at most 24 hours']);
  });

  test('the carrier approves changes to a line; SIP verifies DN and IP changes', () => {
    expect(approversFor('dn-change')).toEqual(['customer', 'carrier']);
    expect(approversFor('trunk')).toEqual(['customer', 'carrier']);
    expect(approversFor('skillset')).toEqual(['customer']);
    expect(verifiedBySip('ip-change')).toBe(true);
    expect(verifiedBySip('dialplan')).toBe(false);
  });
});
