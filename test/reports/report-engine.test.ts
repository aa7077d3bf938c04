import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BrowserMissingError, createBrowserPool, findChromium, type BrowserPool } from '../../reports/browser-pool';
import { renderChartSvg } from '../../reports/charts';
import { createReportRenderer, renderReportHtml, type ReportInput } from '../../reports/render-report';
import { formatDate, formatDateTime, formatDuration, formatNumber, formatPercent } from '../../reports/helpers';

/** Runs against Debian's Chromium and poppler-utils (scripts/test.ts installs both). */

const HOSTILE = `<script>alert("x")</script>`;
const AGENTS = ['김민준', '이서연', '박지호', '최수아', '정하은', HOSTILE];
const CHANNELS = ['전화', '채팅', '이메일'];

function sampleInput(overrides: Partial<ReportInput> = {}): ReportInput {
  const rows = Array.from({ length: 300 }, (_, i) => ({
    day: new Date(Date.UTC(2025, 0, 1 + (i % 31), 3)),
    agent: AGENTS[i % AGENTS.length],
    channel: CHANNELS[i % CHANNELS.length],
    calls: 40 + ((i * 37) % 90),
    handleTimeMs: ((i * 7919) % 20_000) * 1000 + 60_000,
    answerRate: 0.8 + ((i * 13) % 20) / 100,
  }));
  const byChannel = CHANNELS.map((c) => rows.filter((r) => r.channel === c).reduce((s, r) => s + r.calls, 0));
  return {
    template: 'sample/report',
    locale: 'ko',
    title: '1월 상담 통계 보고서',
    documentDate: new Date('2025-02-01T00:30:00Z'),
    data: {
      period: { from: '2025-01-01T00:00:00+09:00', to: '2025-01-31T00:00:00+09:00' },
      note: `고객 메모 ${HOSTILE}`,
      totals: {
        calls: rows.reduce((s, r) => s + r.calls, 0),
        handleTimeMs: rows.reduce((s, r) => s + r.handleTimeMs, 0),
        answerRate: 0.9123,
      },
      rows,
    },
    charts: {
      byChannel: {
        width: 640,
        height: 260,
        option: {
          xAxis: { type: 'category', data: CHANNELS },
          yAxis: { type: 'value' },
          series: [{ type: 'bar', data: byChannel, label: { show: true, position: 'top' } }],
        },
      },
    },
    ...overrides,
  };
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  // poppler reports a damaged PDF (e.g. xref offsets off after the date rewrite) on stderr.
  if (r.status !== 0 || r.stderr.trim() !== '') throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

describe('report engine (real Chromium)', () => {
  let browser: BrowserPool;
  let dir: string;
  let pdfPath: string;
  let rendered: Awaited<ReturnType<ReturnType<typeof createReportRenderer>['renderReport']>>;
  let renderMs: number;
  const renderer = () => createReportRenderer({ browser });

  beforeAll(async () => {
    browser = createBrowserPool({ maxConcurrentPages: 2 });
    dir = mkdtempSync(path.join(tmpdir(), 'butler-report-'));
    await renderer().renderReport(sampleInput()); // warm up: launch the browser
    const started = performance.now();
    rendered = await renderer().renderReport(sampleInput());
    renderMs = performance.now() - started;
    pdfPath = path.join(dir, 'sample.pdf');
    writeFileSync(pdfPath, rendered.pdf);
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders a multi-page Korean PDF with page numbers and running headers', () => {
    const pages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [pdfPath]))![1]);
    expect(pages).toBeGreaterThan(3);
    const text = run('pdftotext', ['-layout', pdfPath, '-']);
    expect(text).toContain('1월 상담 통계 보고서');
    expect(text).toContain('김민준');
    expect(text).toContain('채널별 통화 수');
    expect(text).toMatch(new RegExp(`\\b1 ?/ ?${pages}\\b`));
    expect(text).toMatch(new RegExp(`\\b${pages} ?/ ?${pages}\\b`));
    console.log(`sample report: ${pages} pages, ${rendered.pdf.length} bytes, rendered in ${renderMs.toFixed(0)} ms`);
  });

  it('repeats the table header on later pages', () => {
    const page2 = run('pdftotext', ['-layout', '-f', '2', '-l', '2', pdfPath, '-']);
    expect(page2).toMatch(/날짜\s+상담사\s+채널\s+통화 수\s+처리 시간\s+응대율/);
    expect(page2).toContain('1월 상담 통계 보고서'); // running header
    expect(page2).toMatch(/\b2 ?\/ ?\d+\b/);
  });

  it('embeds NanumGothic as a real font, never Type 3', () => {
    const fonts = run('pdffonts', [pdfPath]);
    const nanum = fonts.split('\n').filter((l) => l.includes('NanumGothic'));
    expect(nanum.length).toBeGreaterThan(0);
    for (const line of nanum) expect(line).toMatch(/TrueType.*\byes\b/);
    expect(fonts).not.toContain('Type 3');
  });

  it('escapes user text', () => {
    expect(rendered.html).toContain('&lt;script&gt;');
    expect(rendered.html).not.toContain(HOSTILE);
    const text = run('pdftotext', ['-layout', pdfPath, '-']);
    expect(text).toContain(HOSTILE);
  });

  it('keeps the chart vector', () => {
    expect(rendered.html).toContain('<svg');
    const images = run('pdfimages', ['-list', pdfPath]).trim().split('\n');
    expect(images).toHaveLength(2); // the two header lines, no image rows
  });

  it('gives byte-identical PDFs for the same data, and different bytes for another document date', async () => {
    const again = await renderer().renderReport(sampleInput());
    expect(Buffer.from(again.pdf).equals(Buffer.from(rendered.pdf))).toBe(true);
    expect(again.sha256).toBe(rendered.sha256);
    expect(run('pdfinfo', ['-isodates', pdfPath])).toMatch(/CreationDate:\s+2025-02-01T00:30:00/);

    const later = await renderer().renderReport(sampleInput({ documentDate: new Date('2025-02-02T00:30:00Z') }));
    expect(later.sha256).not.toBe(rendered.sha256);
    const laterPath = path.join(dir, 'later.pdf');
    writeFileSync(laterPath, later.pdf);
    expect(run('pdfinfo', ['-isodates', laterPath])).toMatch(/ModDate:\s+2025-02-02T00:30:00/);
  });

  it('renders concurrent reports through the bounded pool', async () => {
    const results = await Promise.all([1, 2, 3].map(() => renderer().renderReport(sampleInput())));
    for (const r of results) expect(r.sha256).toBe(rendered.sha256);
  });
});

describe('browser pool', () => {
  it('reuses a page, and report B printed after report A on it is byte for byte B printed on a fresh page', async () => {
    const marker = 'REPORT-A-보안표식';
    // Report A is raw HTML doing what a hostile page could: a script (storage, cookies, a global, a
    // title), a request out, a style on every page, and a font of its own.
    const hostileA = `<!doctype html><html><head><style>@page{margin:0} body{color:red;font-family:serif} *{background:#000}</style>
      <script>localStorage.setItem('a','1');document.cookie='a=1';window.leak=1;document.title='${marker}'</script></head>
      <body><p>${marker}</p><img src="http://127.0.0.1:9/leak"><iframe src="http://127.0.0.1:9/frame"></iframe></body></html>`;
    const reportB = sampleInput({ title: 'B 보고서', documentDate: new Date('2025-03-01T00:30:00Z') });
    const reused = createBrowserPool({ maxConcurrentPages: 1 });
    const fresh = createBrowserPool({ maxConcurrentPages: 1 });
    try {
      expect(Buffer.from((await reused.render(hostileA, {})).slice(0, 5)).toString()).toBe('%PDF-');
      const bAfterA = await createReportRenderer({ browser: reused }).renderReport(reportB);
      expect(reused.pagesOpened()).toBe(1);
      const bAlone = await createReportRenderer({ browser: fresh }).renderReport(reportB);
      expect(bAfterA.sha256).toBe(bAlone.sha256);
      const bPath = path.join(mkdtempSync(path.join(tmpdir(), 'butler-report-b-')), 'b.pdf');
      writeFileSync(bPath, bAfterA.pdf);
      const text = run('pdftotext', ['-layout', bPath, '-']);
      expect(text).toContain('B 보고서');
      expect(text).not.toContain(marker);
      rmSync(path.dirname(bPath), { recursive: true, force: true });
    } finally {
      await Promise.all([reused.close(), fresh.close()]);
    }
  });

  it('replaces the browser after restartAfter reports and refuses work once closed', async () => {
    const pool = createBrowserPool({ restartAfter: 1 });
    try {
      const html = '<html><body style="font-family: NanumGothic">안녕하세요</body></html>';
      const [a, b] = [await pool.render(html, { tagged: false }), await pool.render(html, { tagged: false })];
      expect(Buffer.from(a.slice(0, 5)).toString()).toBe('%PDF-');
      expect(b.length).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
    await expect(pool.render('<p>x</p>', {})).rejects.toThrow('browser pool is closed');
  });
});

describe('report HTML', () => {
  it('escapes a hostile title in the page, the <title> and the running header', () => {
    const title = `</style><script>alert(1)</script>"; } @page { x`;
    const html = renderReportHtml(sampleInput({ title }));
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('</style><script>');
    expect(html).toContain('&lt;/style&gt;&lt;script&gt;');
  });

  it('renders English labels and optional fields left out', () => {
    const input = sampleInput({ locale: 'en' });
    const { period: _period, note: _note, ...data } = input.data;
    const html = renderReportHtml({ ...input, data });
    expect(html).toContain('Calls by channel');
    expect(html).toContain('Answer rate');
    expect(html).toContain('02/01/2025, 09:30');
    expect(html).not.toContain('상세 내역');
  });
});

describe('findChromium', () => {
  it('names the package to install when the browser is missing', () => {
    const attempt = () => findChromium('/nonexistent/chromium');
    expect(attempt).toThrow(BrowserMissingError);
    expect(attempt).toThrow(/apt-get install chromium-headless-shell fonts-nanum/);
  });
});

describe('charts', () => {
  it('renders SVG with ids that do not depend on how many charts came before', () => {
    const option = {
      xAxis: { type: 'category' as const, data: ['a', 'b'] },
      yAxis: { type: 'value' as const },
      series: [{ type: 'line' as const, data: [1, 2], areaStyle: {} }],
    };
    const first = renderChartSvg(option, { width: 300, height: 200, idPrefix: 'c' });
    const second = renderChartSvg(option, { width: 300, height: 200, idPrefix: 'c' });
    expect(first).toContain('<svg');
    expect(second).toBe(first);
  });
});

describe('report helpers', () => {
  const when = new Date('2025-03-04T15:05:00Z'); // 2025-03-05 00:05 in Seoul

  it('formats numbers and percents per locale', () => {
    expect(formatNumber(1234567, 'ko')).toBe('1,234,567');
    expect(formatNumber(1234.5, 'en', 1)).toBe('1,234.5');
    expect(formatPercent(0.9123, 'ko')).toBe('91.2%');
    expect(formatPercent(0.5, 'en', 0)).toBe('50%');
  });

  it('formats dates in Asia/Seoul by default', () => {
    expect(formatDate(when, 'ko')).toBe('2025. 03. 05.');
    expect(formatDate(when, 'en')).toBe('03/05/2025');
    expect(formatDateTime(when, 'ko')).toBe('2025. 03. 05. 00:05');
    expect(formatDate(when, 'en', 'UTC')).toBe('03/04/2025');
  });

  it('formats durations', () => {
    const ms = (3 * 60 + 20) * 60_000;
    expect(formatDuration(ms, 'ko')).toBe('3시간 20분');
    expect(formatDuration(ms, 'en')).toBe('3 h 20 min');
    expect(formatDuration(2 * 3_600_000, 'ko')).toBe('2시간');
    expect(formatDuration(45_000, 'ko')).toBe('45초');
    expect(formatDuration(45_000, 'en')).toBe('45 s');
    expect(() => formatDuration(-1, 'ko')).toThrow(RangeError);
  });
});
