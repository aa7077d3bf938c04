import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The page count poppler's `pdfinfo` reads (apt-get install poppler-utils); a damaged PDF throws. */
export function pdfPages(pdf: Uint8Array): number {
  const dir = mkdtempSync(path.join(tmpdir(), 'butler-bench-report-'));
  try {
    const file = path.join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    const r = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
    if (r.error) throw new Error(`pdfinfo: ${r.error.message} (apt-get install poppler-utils)`);
    if (r.status !== 0 || r.stderr.trim() !== '') throw new Error(`pdfinfo: ${r.stderr.trim()}`);
    const pages = /^Pages:\s+(\d+)$/m.exec(r.stdout);
    if (!pages) throw new Error(`pdfinfo printed no page count:\n${r.stdout}`);
    return Number(pages[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
