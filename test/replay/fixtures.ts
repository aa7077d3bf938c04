import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The committed replay fixtures and their manifest. A fixture is evidence of what
 * some version of the workflows wrote: it is never re-recorded, only added beside
 * the older ones (`<scenario>@<label>.json`). SHA256SUMS, in `sha256sum` format,
 * names every fixture with its hash, so a changed or removed fixture fails the test.
 */

export const FIXTURE_DIR = path.join(__dirname, 'histories');
const MANIFEST = path.join(FIXTURE_DIR, 'SHA256SUMS');

export function fixtureFiles(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** The scenario a fixture recorded: its name up to `@`. */
export function scenarioOf(file: string): string {
  return file.replace(/\.json$/, '').split('@')[0]!;
}

export function sha256Of(file: string): string {
  return createHash('sha256')
    .update(readFileSync(path.join(FIXTURE_DIR, file)))
    .digest('hex');
}

export function readManifest(): Map<string, string> {
  const entries = new Map<string, string>();
  if (!existsSync(MANIFEST)) return entries;
  for (const line of readFileSync(MANIFEST, 'utf8').split('\n')) {
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (match) entries.set(match[2]!, match[1]!);
  }
  return entries;
}

/** Adds new fixtures to the manifest; an entry already there is never changed. */
export function addToManifest(files: string[]): void {
  const entries = readManifest();
  for (const file of files) {
    if (entries.has(file)) throw new Error(`${file} is already in the manifest: committed fixtures are never re-recorded`);
    entries.set(file, sha256Of(file));
  }
  const lines = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([file, hash]) => `${hash}  ${file}`);
  writeFileSync(MANIFEST, `${lines.join('\n')}\n`);
}
