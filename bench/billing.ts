/**
 * A carrier's bill at scale: upload (read with the carrier's profile, stored) and reconciliation
 * (every line against the inventory and the contracts), timed end to end through the API.
 *
 * Starts the embedded PostgreSQL and Temporal dev server, the worker and the API in processes of
 * their own, seeds an inventory of N KT lines, then for each size uploads a KT bill as CP949 CSV
 * (the encoding KT's exports use) with 1 % of its lines planted as findings of every kind, and times
 * until the bill's read model says AWAITING_REVIEW. Prints a markdown table for the README.
 * Figures only: nothing is asserted (test/api/bills.routes.test.ts checks what is found).
 *
 *   npm run bench:billing -- [--sizes 1000,5000,20000] [--repeat 3]
 */
import { auditKeyEnv } from '../runtime/audit-signer';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { saveBillProfile } from '../db/billing-config.repo';
import { migrate } from '../db/migrate';
import { seedLines, type SeededLine } from '../db/line-seed';
import { seedDefaults } from '../db/seed';
import { DEFAULT_BILL_PROFILES } from '../domain/billing/default-profiles';
import { butlerDatabaseEnv, startEmbeddedPostgres } from '../runtime/embedded-postgres';
import { startEmbeddedTemporal } from '../runtime/embedded-temporal';
import { installTestRuntime, uniqueTaskQueue } from '../runtime/embedded-worker';
import { stopChild } from '../system/child-process';
import { freePort } from '../system/ports';
import { createPool } from '../system/postgres';
import { startWorkerAndApi } from './butler-processes';

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith('--') && args.set(a.slice(2), all[i + 1]));
const SIZES = (args.get('sizes') ?? '1000,5000,20000').split(',').map(Number);
const REPEAT = Math.max(1, Number(args.get('repeat') ?? 3));
const TOKEN = 'bench-spm-token';
const FEE = 30_000;

/**
 * A carrier of its own per size (KT's layout under another key), so each bill is checked against an
 * inventory of its own size: `n` lines in service all year, numbers 02-5xxx-xxxx (02-6… for the next size…).
 */
const carrierOf = (n: number) => `KT${n}`;
const dnOf = (size: number, i: number) => `02${5 + SIZES.indexOf(size)}${String(i).padStart(7, '0')}`;

function inventory(n: number): SeededLine[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `LN-${(SIZES.indexOf(n) + 1) * 1_000_000 + i}`,
    dn: dnOf(n, i),
    carrier: carrierOf(n),
    monthlyFee: FEE,
    activatedAt: '2025-01-02T09:00:00+09:00',
  }));
}

/**
 * KT's bill for `month` over the first `n` lines, as KT lays it out (two title rows, its column
 * names), in CP949. Every 100th line is wrong in turn: over its contract, missing, billed twice,
 * or replaced by a number nobody has. `planted`: the findings that must come of it.
 */
function ktBill(n: number, month: string): { file: Buffer; planted: number } {
  const profile = DEFAULT_BILL_PROFILES.KT!;
  const header = ['number', 'month', 'baseFee', 'usageFee', 'addOnFee', 'discount', 'total', 'dueDate'].map((f) => profile.columns[f as 'number']![0]);
  const rows: string[] = [`KT 통신요금 청구서 (${month})`, '고객명: 주식회사 버틀러', header.join(',')];
  let planted = 0;
  const row = (dn: string, base: number, usage: number) =>
    `${dn.slice(0, 2)}-${dn.slice(2, 6)}-${dn.slice(6)},${month},"${base.toLocaleString('en-US')}",${usage},0,0,"${(base + usage).toLocaleString('en-US')}",${month}-25`;
  for (let i = 0; i < n; i++) {
    const dn = dnOf(n, i);
    const usage = 1_000 + (i % 17) * 100;
    const wrong = i % 100 === 99 ? ((i / 100) % 4) | 0 : -1;
    // An unknown number stands in for a line, which is then also missing from the bill: two findings.
    if (wrong >= 0) planted += wrong === 3 ? 2 : 1;
    if (wrong === 1) continue; // missing from the bill
    if (wrong === 3) {
      rows.push(row(`019${String(i).padStart(7, '0')}`, FEE, usage)); // unknown number
      continue;
    }
    rows.push(row(dn, wrong === 0 ? FEE + 3_300 : FEE, usage));
    if (wrong === 2) rows.push(row(dn, FEE, usage)); // billed twice
  }
  return { file: iconv.encode(rows.join('\r\n') + '\r\n', 'cp949'), planted };
}

interface Run {
  lines: number;
  bytes: number;
  uploadMs: number;
  reconcileMs: number;
  totalMs: number;
  findings: number;
  planted: number;
}

async function main(): Promise<void> {
  installTestRuntime();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'butler-bench-billing-'));
  const [pgPort, temporalPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const [db, temporal] = await Promise.all([
    startEmbeddedPostgres({ dataDir, port: pgPort }),
    startEmbeddedTemporal({ dataDir, port: temporalPort, headless: true }),
  ]);
  const pool = createPool(db.url, 4);
  const children: ChildProcess[] = [];
  try {
    await migrate(db.url);
    await seedDefaults(pool);
    for (const n of SIZES) {
      await saveBillProfile(pool, carrierOf(n), { ...DEFAULT_BILL_PROFILES.KT!, aliases: [carrierOf(n)] }, 'bench');
      await seedLines(pool, inventory(n));
    }
    const env = {
      ...process.env,
      TEMPORAL_ADDRESS: temporal.address,
      ...(await butlerDatabaseEnv(db)),
      ...auditKeyEnv(dataDir),
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('bench-billing'),
    };
    const { baseUrl: base } = await startWorkerAndApi({ env, apiPort, token: TOKEN, children });

    let monthNo = 0;
    const measure = async (n: number): Promise<Run> => {
      monthNo++;
      const month = `${2030 + Math.floor((monthNo - 1) / 12)}-${String(((monthNo - 1) % 12) + 1).padStart(2, '0')}`;
      const { file, planted } = ktBill(n, month);
      const started = performance.now();
      const res = await fetch(`${base}/api/v1/bills?carrier=${carrierOf(n)}&month=${month}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' },
        body: new Uint8Array(file),
      });
      if (res.status !== 201) throw new Error(`upload → ${res.status} ${await res.text()}`);
      const uploaded = performance.now();
      const { id } = (await res.json()) as { id: string };
      for (;;) {
        const bill = (await (await fetch(`${base}/api/v1/bills/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
          status: string;
          findings: { count: number } | null;
        };
        if (bill.status === 'FAILED') throw new Error(`bill ${id} FAILED`);
        if (bill.status !== 'RECONCILING') {
          const done = performance.now();
          return {
            lines: n,
            bytes: file.length,
            uploadMs: uploaded - started,
            reconcileMs: done - uploaded,
            totalMs: done - started,
            findings: bill.findings!.count,
            planted,
          };
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    };

    await measure(SIZES[0]!); // warm-up: bundle, JIT, pools (not reported)
    const runs: Run[] = [];
    for (const n of SIZES) for (let r = 0; r < REPEAT; r++) runs.push(await measure(n));
    console.log('');
    console.log(
      `KT-layout bill (CP949 CSV) against an inventory of as many lines, ${REPEAT} run(s) per size, median shown; upload = read + store (HTTP 201), reconcile = until AWAITING_REVIEW`,
    );
    console.log('');
    console.log('| bill lines | file | upload (read + store) | reconcile | total | findings (expected) |');
    console.log('|---:|---:|---:|---:|---:|---:|');
    for (const n of SIZES) {
      const mine = runs.filter((r) => r.lines === n);
      const med = (f: (r: Run) => number) => median(mine.map(f));
      const last = mine.at(-1)!;
      console.log(
        `| ${n.toLocaleString('en-US')} | ${(last.bytes / 1024).toFixed(0)} KB | ${fmt(med((r) => r.uploadMs))} | ${fmt(med((r) => r.reconcileMs))} | ${fmt(med((r) => r.totalMs))} | ${last.findings} (${last.planted}) |`,
      );
    }
  } finally {
    await Promise.all(children.map(stopChild));
    await pool.end();
    await temporal.stop();
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
