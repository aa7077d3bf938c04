import type { ChartSpec, ReportInput } from '../../reports/render-report';

/**
 * The workload: a Korean monthly call report of at least 10 A4 pages,
 * three charts (bar, pie, line) and a 300-row table, for templates/sample/report.hbs.
 * The same data every time, so every PDF of a run has the same bytes.
 */

const AGENTS = ['김민준', '이서연', '박지호', '최수아', '정하은', '강도윤', '조서윤', '윤시우', '장지유', '임하준'];
const CHANNELS = ['전화', '채팅', '이메일', '카카오톡'];
const TEAMS = ['보험 청구팀', '신규 가입팀', '기술 지원팀'];
const DAYS = 31;
export const ROWS = 300;

/**
 * The month's commentary (printed with its line breaks): with it the report is
 * at least 10 pages, as the workload asks, without touching the styles.
 */
const NOTE = [
  '설 연휴(1월 28일~30일)에는 채팅 상담만 운영했습니다. 카카오톡 채널은 1월 6일부터 집계합니다.',
  ...Array.from({ length: 20 }, (_, w) =>
    [
      `${w + 1}. ${AGENTS[w % AGENTS.length]} 상담사 (${TEAMS[w % TEAMS.length]}): 1월 ${2 * w + 1}일 전화 대기 시간이 평소보다 길어 채팅으로 안내했습니다.`,
      `   원인은 ${CHANNELS[w % CHANNELS.length]} 채널의 일시적인 상담 집중이며, 다음 달에는 시간대별 인력 배치를 조정합니다.`,
      '   고객 불만 접수는 없었고, 재통화 요청은 모두 당일 처리했습니다.',
    ].join('\n'),
  ),
].join('\n\n');

export function reportInput(): ReportInput {
  const rows = Array.from({ length: ROWS }, (_, i) => ({
    day: new Date(Date.UTC(2025, 0, 1 + (i % DAYS), 3)),
    agent: `${AGENTS[i % AGENTS.length]} (${TEAMS[i % TEAMS.length]})`,
    channel: CHANNELS[i % CHANNELS.length],
    calls: 40 + ((i * 37) % 90),
    handleTimeMs: ((i * 7919) % 20_000) * 1000 + 60_000,
    answerRate: 0.8 + ((i * 13) % 20) / 100,
  }));
  const sum = (of: typeof rows) => of.reduce((s, r) => s + r.calls, 0);
  const byChannel = CHANNELS.map((c) => sum(rows.filter((r) => r.channel === c)));
  const byDay = Array.from({ length: DAYS }, (_, d) => sum(rows.filter((r) => r.day.getUTCDate() === d + 1)));
  return {
    template: 'sample/report',
    locale: 'ko',
    title: '2025년 1월 상담 통계 보고서',
    documentDate: new Date('2025-02-01T00:30:00Z'),
    data: {
      period: { from: '2025-01-01T00:00:00+09:00', to: '2025-01-31T00:00:00+09:00' },
      note: NOTE,
      totals: {
        calls: sum(rows),
        handleTimeMs: rows.reduce((s, r) => s + r.handleTimeMs, 0),
        answerRate: 0.9123,
      },
      rows,
    },
    charts: { byChannel: barChart(byChannel), share: pieChart(byChannel), trend: lineChart(byDay) },
  };
}

function barChart(calls: number[]): ChartSpec {
  return {
    width: 640,
    height: 300,
    option: {
      xAxis: { type: 'category', data: CHANNELS },
      yAxis: { type: 'value' },
      series: [{ type: 'bar', data: calls, label: { show: true, position: 'top' } }],
    },
  };
}

function pieChart(calls: number[]): ChartSpec {
  return {
    width: 640,
    height: 300,
    option: {
      legend: { orient: 'vertical', left: 'left' },
      series: [
        {
          type: 'pie',
          radius: ['35%', '70%'],
          data: CHANNELS.map((name, i) => ({ name, value: calls[i] })),
          label: { formatter: '{b} {d}%' },
        },
      ],
    },
  };
}

function lineChart(calls: number[]): ChartSpec {
  return {
    width: 640,
    height: 300,
    option: {
      xAxis: { type: 'category', data: calls.map((_, d) => `1월 ${d + 1}일`) },
      yAxis: { type: 'value', name: '통화 수' },
      series: [{ type: 'line', data: calls, areaStyle: {}, smooth: true }],
    },
  };
}
