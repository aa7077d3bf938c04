import { ValidationError } from '../../domain/errors';
import type { Metric, Reading } from '../../domain/inspection/contracts';
import { DEFAULT_RULES, collectionFailureFinding, evaluate, parseRules, worseReading, type Rule } from '../../domain/inspection/rules';

const CENTER = '상담 1센터';

function reading(metric: Metric, value: number, capacity: number | null, extra: Partial<Reading> = {}): Reading {
  return {
    deviceId: 'pbx-1',
    center: CENTER,
    system: 'PBX',
    metric,
    value,
    capacity,
    unit: capacity === null ? 'days' : 'count',
    collectedAt: '2026-03-31T15:00:00.000Z',
    measuredBy: 'test',
    source: 'vendor',
    ...extra,
  };
}

/** [severity, value, threshold] of the only finding, or null when there is none. */
function verdictOf(r: Reading): [string, number | null, number | null] | null {
  const findings = evaluate([r], DEFAULT_RULES);
  expect(findings.length).toBeLessThanOrEqual(1);
  return findings.length === 0 ? null : [findings[0].severity, findings[0].value, findings[0].threshold];
}

describe('usage rules: warn at 80 %, critical at 95 % of capacity', () => {
  test.each([
    [79.99, null],
    [80, ['warning', 0.8, 0.8]],
    [80.5, ['warning', 0.805, 0.8]],
    [94.99, ['warning', 0.9499, 0.8]],
    [95, ['critical', 0.95, 0.95]],
    [100, ['critical', 1, 0.95]],
  ])('memory %p of 100 → %p', (value, expected) => {
    expect(verdictOf(reading('memory', value, 100, { unit: 'percent' }))).toEqual(expected);
  });

  test('every usage metric is covered, the ratio is value / capacity', () => {
    // 24 of 30 trunks = 0.8 exactly; 19 of 20 ports = 0.95 exactly.
    expect(verdictOf(reading('trunks', 24, 30))).toEqual(['warning', 0.8, 0.8]);
    expect(verdictOf(reading('ports', 19, 20))).toEqual(['critical', 0.95, 0.95]);
    expect(verdictOf(reading('ports', 15, 20))).toBeNull(); // 0.75
    for (const metric of ['cpu', 'memory', 'disk', 'ports', 'trunks', 'lines'] as const) {
      expect(verdictOf(reading(metric, 4, 5))?.[0]).toBe('warning'); // 0.8
    }
    // Registered of configured phones: all registered is healthy, so no default rule judges it.
    expect(verdictOf(reading('phones', 5, 5))).toBeNull();
  });

  test('a reading without a positive capacity is not judged by a usage rule', () => {
    expect(evaluate([reading('memory', 99, null), reading('memory', 99, 0)], DEFAULT_RULES)).toEqual([]);
  });
});

describe('licences: warn at 90 %, critical at 100 %', () => {
  test.each([
    [89, null],
    [90, ['warning', 0.9, 0.9]],
    [99, ['warning', 0.99, 0.9]],
    [100, ['critical', 1, 1]],
    [105, ['critical', 1.05, 1]],
  ])('%p of 100 agent licences → %p', (value, expected) => {
    expect(verdictOf(reading('licences', value, 100, { system: 'CTI', item: 'agent' }))).toEqual(expected);
  });

  test('two licences on one device give two findings, keyed by item', () => {
    const findings = evaluate(
      [
        reading('licences', 95, 100, { deviceId: 'cti-1', system: 'CTI', item: 'agent' }),
        reading('licences', 10, 10, { deviceId: 'cti-1', system: 'CTI', item: 'supervisor' }),
      ],
      DEFAULT_RULES,
    );
    expect(findings.map((f) => [f.key, f.item, f.severity])).toEqual([
      ['licence-usage:cti-1:licences:supervisor', 'supervisor', 'critical'],
      ['licence-usage:cti-1:licences:agent', 'agent', 'warning'],
    ]);
  });
});

describe('backup age: warn above 7 days, critical above 14', () => {
  test.each([
    [0, null],
    [7, null],
    [7.5, ['warning', 7.5, 7]],
    [14, ['warning', 14, 7]],
    [15, ['critical', 15, 14]],
  ])('%p days since the last good backup → %p', (days, expected) => {
    expect(verdictOf(reading('backup-age', days, null, { system: 'BACKUP', deviceId: 'pbx-1', item: 'nightly' }))).toEqual(expected);
  });
});

describe('EOS/EOL: warn under 180 days left, critical under 30', () => {
  test.each([
    ['eos', 400, null],
    ['eos', 180, null],
    ['eos', 179, ['warning', 179, 180]],
    ['eos', 30, ['warning', 30, 180]],
    ['eos', 29, ['critical', 29, 30]],
    ['eol', 0, ['critical', 0, 30]],
    ['eol', -45, ['critical', -45, 30]], // already past
  ] as const)('%s with %p days left → %p', (metric, days, expected) => {
    expect(verdictOf(reading(metric, days, null, { system: 'ASSET' }))).toEqual(expected);
  });
});

test('a finding carries its key, place, rule and proposal', () => {
  const [finding] = evaluate([reading('memory', 96, 100, { unit: 'percent' })], DEFAULT_RULES);
  expect(finding).toEqual({
    key: 'memory-usage:pbx-1:memory',
    ruleId: 'memory-usage',
    center: CENTER,
    system: 'PBX',
    deviceId: 'pbx-1',
    metric: 'memory',
    severity: 'critical',
    value: 0.96,
    threshold: 0.95,
    proposal: { ko: '메모리 증설 또는 불필요 프로세스 정리 검토', en: 'Consider adding memory or cleaning up unneeded processes' },
  });
  expect('item' in finding).toBe(false);
});

test('several readings of one thing give one finding at the worst of them', () => {
  const findings = evaluate(
    [reading('disk', 85, 100), reading('disk', 97, 100), reading('disk', 90, 100), reading('eos', 100, null), reading('eos', 20, null)],
    DEFAULT_RULES,
  );
  expect(findings.map((f) => [f.key, f.severity, f.value])).toEqual([
    ['disk-usage:pbx-1:disk', 'critical', 0.97],
    ['hw-eos:pbx-1:eos', 'critical', 20],
  ]);
});

test('findings are sorted critical first, then center, system, device, metric, item', () => {
  const findings = evaluate(
    [
      reading('memory', 81, 100, { center: '상담 1센터', deviceId: 'pbx-2' }),
      reading('cpu', 99, 100, { center: '상담 2센터', system: 'CTI', deviceId: 'cti-1' }),
      reading('memory', 81, 100, { center: '상담 1센터', deviceId: 'pbx-1' }),
      reading('cpu', 81, 100, { center: '상담 1센터', deviceId: 'pbx-1' }),
      reading('disk', 99, 100, { center: '상담 1센터', system: 'REC', deviceId: 'rec-1' }),
      reading('memory', 81, 100, { center: '상담 1센터', system: 'CTI', deviceId: 'cti-9' }),
    ],
    DEFAULT_RULES,
  );
  expect(findings.map((f) => f.key)).toEqual([
    'disk-usage:rec-1:disk', // critical, 1센터
    'cpu-usage:cti-1:cpu', // critical, 2센터
    'memory-usage:cti-9:memory', // warnings, 1센터: CTI before PBX
    'cpu-usage:pbx-1:cpu', // pbx-1: cpu before memory
    'memory-usage:pbx-1:memory',
    'memory-usage:pbx-2:memory',
  ]);
  // Input order does not matter.
  expect(evaluate([...findingsInput()].reverse(), DEFAULT_RULES)).toEqual(evaluate(findingsInput(), DEFAULT_RULES));
});

function findingsInput(): Reading[] {
  return [reading('memory', 90, 100), reading('licences', 10, 10, { item: 'b' }), reading('licences', 10, 10, { item: 'a' }), reading('eol', 3, null)];
}

describe('worseReading', () => {
  it('is the higher usage of capacity, the higher age, and the fewer days left before EOS or EOL', () => {
    const at = (deviceId: string, metric: Metric, value: number, capacity: number | null) => reading(metric, value, capacity, { deviceId });
    expect(worseReading(at('a', 'cpu', 50, 100), at('b', 'cpu', 90, 200)).deviceId).toBe('a'); // 50 % against 45 %
    expect(worseReading(at('a', 'backup-age', 3, null), at('b', 'backup-age', 20, null)).deviceId).toBe('b');
    expect(worseReading(at('a', 'eos', 400, null), at('b', 'eos', 10, null)).deviceId).toBe('b');
    expect(worseReading(at('a', 'eol', 12, null), at('b', 'eol', 900, null)).deviceId).toBe('a');
  });
});

describe('parseRules', () => {
  const good = { id: 'memory-usage', kind: 'usage', metrics: ['memory'], warnAt: 0.7, criticalAt: 0.9, proposal: { ko: '메모리', en: 'memory' } };

  function issuesOf(json: unknown): Array<{ path: string; message: string }> {
    try {
      parseRules(json);
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      return (err as ValidationError).issues;
    }
    throw new Error('expected a ValidationError');
  }

  test('the defaults are valid, have unique ids and come back unchanged through JSON', () => {
    expect(parseRules(JSON.parse(JSON.stringify(DEFAULT_RULES)))).toEqual(DEFAULT_RULES);
    expect(DEFAULT_RULES.map((r) => r.id)).toEqual([
      'cpu-usage',
      'memory-usage',
      'disk-usage',
      'port-usage',
      'trunk-usage',
      'trunk-peak-usage',
      'line-usage',
      'licence-usage',
      'backup-age',
      'hw-eos',
      'hw-eol',
    ]);
  });

  test('custom rules apply instead of the defaults', () => {
    const rules: Rule[] = parseRules([good]);
    expect(evaluate([reading('memory', 75, 100)], rules).map((f) => [f.severity, f.threshold])).toEqual([['warning', 0.7]]);
  });

  test('names the rule index and field of each problem', () => {
    const issues = issuesOf([
      good,
      { ...good, id: 'b', warnAt: 0.99 }, // above criticalAt
      { ...good, id: 'c', kind: 'ratio' },
      { ...good, id: 'd', metrics: ['memory', 'swap'] },
      { id: 'e', kind: 'max', metric: 'backup-age', criticalAbove: 7, proposal: { ko: '백업' } },
      { id: 'f', kind: 'min', metric: 'eos', warnBelow: 30, criticalBelow: 180, proposal: good.proposal },
      { ...good, warnat: 0.5 },
    ]);
    expect(issues.map((i) => i.path)).toEqual([
      'rules[1].warnAt',
      'rules[2].kind',
      'rules[3].metrics[1]',
      'rules[4].proposal.en',
      'rules[5].criticalBelow',
      'rules[6]',
    ]);
    expect(issues[0].message).toBe('must not exceed criticalAt (0.9)');
    expect(issues[4].message).toBe('must be below warnBelow (30)');
    expect(issues[5].message).toMatch(/warnat/);
  });

  test('rule ids must be unique', () => {
    expect(issuesOf([good, { ...good, metrics: ['disk'] }])).toEqual([{ path: 'rules[1].id', message: 'duplicate rule id "memory-usage" (also rules[0])' }]);
  });

  test('the rules must be an array', () => {
    expect(issuesOf({ rules: [good] }).map((i) => i.path)).toEqual(['rules']);
  });
});

describe('collectionFailureFinding', () => {
  test('a device that could not be read', () => {
    expect(collectionFailureFinding({ center: CENTER, system: 'PBX' }, 'pbx-1', 'ECONNREFUSED 10.0.0.5:5060')).toEqual({
      key: 'collection-failed:pbx-1:-',
      ruleId: 'collection-failed',
      center: CENTER,
      system: 'PBX',
      deviceId: 'pbx-1',
      metric: null,
      severity: 'warning',
      value: null,
      threshold: null,
      error: 'ECONNREFUSED 10.0.0.5:5060',
      proposal: {
        ko: '상담 1센터 PBX pbx-1 점검 데이터 수집 실패: 모니터링 경로(네트워크, 계정, 수집기) 점검 필요',
        en: 'Could not collect from PBX pbx-1 at 상담 1센터: check the monitoring path to it (network, credentials, collector)',
      },
    });
  });

  test('a whole system that could not be read is keyed by center and system', () => {
    const finding = collectionFailureFinding({ center: CENTER, system: 'BACKUP' }, null, 'timeout');
    expect(finding.key).toBe('collection-failed:상담 1센터/BACKUP:-');
    expect(finding.deviceId).toBeNull();
    expect(finding.proposal.en).toMatch(/monitoring path/);
  });
});
