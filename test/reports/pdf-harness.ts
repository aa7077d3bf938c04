import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBrowserPool, type BrowserPool } from '../../reports/browser-pool';
import { createReportRenderer, type ReportInput } from '../../reports/render-report';

/** Runs a poppler tool; a damaged PDF shows up as output on stderr, so that fails too. */
export function poppler(cmd: 'pdftotext' | 'pdffonts' | 'pdfinfo' | 'pdfimages', args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0 || r.stderr.trim() !== '') throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/**
 * A real Chromium for one test file (launched in beforeAll, closed in afterAll)
 * and a temp folder for the PDFs; `render` writes the PDF and reads its text back.
 */
export function useReportRenderer(name: string) {
  let browser: BrowserPool;
  let dir: string;
  beforeAll(() => {
    browser = createBrowserPool();
    dir = mkdtempSync(path.join(tmpdir(), `butler-${name}-`));
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    async render(input: ReportInput, file: string) {
      const rendered = await createReportRenderer({ browser }).renderReport(input);
      const pdfPath = path.join(dir, `${file}.pdf`);
      writeFileSync(pdfPath, rendered.pdf);
      return {
        ...rendered,
        file: pdfPath,
        text: (page?: number) => poppler('pdftotext', ['-layout', ...(page ? ['-f', `${page}`, '-l', `${page}`] : []), pdfPath, '-']),
      };
    },
  };
}

/** User text reaches the PDF as text: escaped in the HTML, printed whole (table cells may wrap it). */
export function expectEscaped(rendered: { html: string; text: () => string }, hostile: string): void {
  expect(rendered.html).not.toMatch(/<script/i);
  expect(rendered.html).toContain(hostile.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  expect(rendered.text().replace(/\s+/g, '')).toContain(hostile.replace(/\s+/g, ''));
}

/** Korean is embedded as NanumGothic, a real TrueType font: never Type 3 glyphs. */
export function expectNanumEmbedded(file: string): void {
  const fonts = poppler('pdffonts', [file]);
  const nanum = fonts.split('\n').filter((l) => l.includes('NanumGothic'));
  expect(nanum.length).toBeGreaterThan(0);
  for (const line of nanum) expect(line).toMatch(/TrueType.*\byes\b/);
  expect(fonts).not.toContain('Type 3');
}

/** The text of a PDF held in memory (e.g. served by the API), laid out as pdftotext -layout prints it. */
export function pdfBytesText(bytes: Uint8Array): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'butler-pdf-'));
  try {
    const file = path.join(dir, 'document.pdf');
    writeFileSync(file, bytes);
    return poppler('pdftotext', ['-layout', file, '-']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
