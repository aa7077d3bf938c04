import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleFigures {
  /** What the first page loads before it can render: the entry script, what it preloads, the stylesheet. */
  initial: { files: string[]; bytes: number; gzip: number };
  /** Every other chunk, fetched when its area is first opened. */
  lazy: Array<{ file: string; bytes: number; gzip: number }>;
}

const gzipped = (file: string) => gzipSync(readFileSync(file)).length;

/** The built console's sizes (console/dist), raw and gzipped (gzip level 6, as compression middleware or a proxy would send it). */
export function bundleFigures(dist = path.join(__dirname, '..', '..', 'console', 'dist')): BundleFigures {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const initialFiles = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  const initial = initialFiles.reduce(
    (sum, f) => ({ files: [...sum.files, f], bytes: sum.bytes + statSync(path.join(dist, f)).size, gzip: sum.gzip + gzipped(path.join(dist, f)) }),
    { files: [] as string[], bytes: 0, gzip: 0 },
  );
  const lazy = readdirSync(path.join(dist, 'assets'))
    .map((name) => `assets/${name}`)
    .filter((f) => !initialFiles.includes(f) && /\.(m?js|css)$/.test(f))
    .map((file) => ({ file, bytes: statSync(path.join(dist, file)).size, gzip: gzipped(path.join(dist, file)) }))
    .sort((a, b) => b.bytes - a.bytes);
  return { initial, lazy };
}
