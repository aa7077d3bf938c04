import { seedDemoDevices } from '../../db/seed';
import { createPool } from '../../system/postgres';
import type { ConsoleStack } from './stack';

const RCA = {
  cause: 'PRI 트렁크 카드 펌웨어 오류로 D채널 재동기화 실패',
  actions: '트렁크 카드 재기동 후 펌웨어 패치 적용',
  prevention: [{ item: '트렁크 카드 펌웨어 정기 점검 항목 추가', owner: 'eng-park', dueDate: '2027-01-29' }],
};

export interface Showcase {
  resolvedIncident: string;
  line: string;
  change: string;
  inspection: string;
}

/** Polls a GET until `done` holds (the workflows run in real time). */
async function until<T>(stack: ConsoleStack, path: string, done: (body: T) => boolean): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const body = await stack.call<T>('auditor', 'get', path);
    if (done(body)) return body;
    if (Date.now() > deadline) throw new Error(`${path} did not get there in 2 minutes`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * A small data set that shows each page as it looks in use: open incidents of every severity, one
 * worked to RESOLVED with its RCA and published report; a line provisioned to ACTIVE on the real
 * PBX, a change awaiting approval, the inspection of last month. Made through the API, as people make it.
 */
export async function seedShowcase(stack: ConsoleStack): Promise<Showcase> {
  const open = (title: string, severity: string, system: string, center: string) =>
    stack.call<{ id: string }>('automation', 'post', '/api/v1/incidents', {
      title,
      description: `${title} — 모니터링 경보`,
      severity,
      complexity: 'complex',
      system,
      center,
      source: 'monitoring',
    });
  const first = await open('상담 1센터 PRI 트렁크 다운', 'P1', 'PBX', '상담 1센터');
  await open('상담 2센터 CTI 상담원 로그인 불가', 'P2', 'CTI', '상담 2센터');
  await open('IVR 휴일 안내 멘트 미재생', 'P3', 'IVR', '상담 3센터');
  const rec = await open('녹취 서버 디스크 사용률 85%', 'P4', 'REC', '상담 1센터');
  await stack.call('spm', 'post', `/api/v1/incidents/${rec.id}/assign`, { assignee: 'eng-park' });

  await stack.call('spm', 'post', `/api/v1/incidents/${first.id}/assign`, { assignee: 'eng-park' });
  await stack.call('engineer', 'post', `/api/v1/incidents/${first.id}/start`, {});
  await stack.call('engineer', 'post', `/api/v1/incidents/${first.id}/notes`, { text: '트렁크 카드 재기동 진행' });
  await stack.call('engineer', 'post', `/api/v1/incidents/${first.id}/resolve`, { resolution: '트렁크 카드 재기동 후 정상화' });
  await stack.call('engineer', 'post', `/api/v1/incidents/${first.id}/rca`, RCA);
  await stack.call('spm', 'post', `/api/v1/incidents/${first.id}/report/publish`, { locale: 'ko' });

  const line = await stack.call<{ id: string }>('spm', 'post', '/api/v1/lines/provisioning', {
    center: '상담 1센터',
    dn: '52001',
    displayName: '상담 1센터 신규 상담석',
    lineType: 'extension',
  });
  await stack.call('spm', 'post', `/api/v1/lines/${line.id}/contract`, {
    contractNo: 'KT-2026-31',
    carrier: 'KT',
    monthlyFee: 22_000,
    termMonths: 24,
    signedAt: '2026-11-02',
  });
  await until<{ status: string }>(stack, `/api/v1/lines/${line.id}`, (l) => l.status === 'ACTIVE');

  const inAnHour = Date.now() + 3_600_000;
  const change = await stack.call<{ id: string }>('engineer', 'post', '/api/v1/changes', {
    type: 'ivr-holidays',
    target: 'center-1-holidays',
    params: { from: '2027-01-01', to: '2027-12-31' },
    window: { start: new Date(inAnHour).toISOString(), end: new Date(inAnHour + 3_600_000).toISOString() },
    reason: '2027년 공휴일 반영',
  });

  // The asset register `npm start` writes for its embedded database (the stack here has a database of its own).
  const pool = createPool(stack.databaseUrl, 1);
  await seedDemoDevices(pool).finally(() => pool.end());
  const lastMonth = new Date(Date.now() + 9 * 3_600_000);
  lastMonth.setUTCDate(0);
  const inspection = await stack.call<{ id: string }>('spm', 'post', '/api/v1/inspections', { period: lastMonth.toISOString().slice(0, 7) });
  await until<{ status: string }>(stack, `/api/v1/inspections/${inspection.id}`, (i) => i.status !== 'RUNNING');
  return { resolvedIncident: first.id, line: line.id, change: change.id, inspection: inspection.id };
}
