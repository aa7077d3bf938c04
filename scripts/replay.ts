/**
 * The release gate for workflow code: replays histories against the code as it is
 * now and fails on any non-determinism, before a deploy breaks runs in flight.
 *   npm run replay                                   the committed fixtures (test/replay/histories)
 *   npm run replay -- --dir <folder> | <file.json>…  other fixture files
 *   npm run replay -- --from-archive [--type incidentWorkflow] [--since 2025-01-01] [--limit 500]
 *   npm run replay -- --query "WorkflowType='incidentWorkflow' AND ExecutionStatus='Running'"
 * The archive and Temporal are DATABASE_URL and TEMPORAL_ADDRESS/TEMPORAL_NAMESPACE, or
 * the embedded ones of a Butler running from this folder.
 * Exit 0: every history replayed; 1: any did not (or nothing to replay in fixtures); 2: bad arguments.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { z } from 'zod';
import { createPool } from '../system/postgres';
import { loadConfig } from '../runtime/config';
import { embeddedDatabaseUrl } from '../runtime/embedded-postgres';
import { replayHistories, type HistorySource, type Verdict } from '../runtime/replay';
import { archivedHistories, fixtureFiles, fixtureHistories, liveHistories } from '../runtime/replay-sources';
import { temporalConnectionOptions } from '../runtime/temporal-connection';

const FIXTURES = path.join(__dirname, '..', 'test', 'replay', 'histories');

const LIMIT = '--limit must be a positive whole number';
const Args = z
  .object({
    'from-archive': z.boolean().default(false),
    query: z.string().trim().min(1, '--query needs a visibility query').optional(),
    dir: z.string().optional(),
    type: z.string().min(1).optional(),
    since: z
      .string()
      .refine(
        (s) => /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)),
        '--since must be an ISO date or time, e.g. 2025-01-01 or 2025-01-01T09:00:00+09:00',
      )
      .optional(),
    limit: z.coerce.number({ invalid_type_error: LIMIT }).int(LIMIT).positive(LIMIT).optional(),
    files: z.array(z.string()),
  })
  .refine((a) => !(a['from-archive'] && a.query), '--from-archive and --query exclude each other')
  .refine((a) => a['from-archive'] || (a.type ?? a.since ?? a.limit) === undefined, '--type, --since and --limit go with --from-archive')
  .refine((a) => !(a['from-archive'] || a.query) || (!a.dir && a.files.length === 0), 'fixture files and --dir go without --from-archive/--query');
type Args = z.infer<typeof Args>;

class UsageError extends Error {}

function parse(argv: string[]): Args {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'from-archive': { type: 'boolean' },
        query: { type: 'string' },
        dir: { type: 'string' },
        type: { type: 'string' },
        since: { type: 'string' },
        limit: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const args = Args.safeParse({ ...parsed.values, files: parsed.positionals });
  if (!args.success) throw new UsageError(args.error.issues.map((i) => i.message).join('; '));
  return args.data;
}

/** The histories the arguments name, and what to close with when there are none. */
async function open(
  args: Args,
): Promise<{ sources: AsyncIterable<HistorySource> | Iterable<HistorySource>; none: { line: string; code: number }; close(): Promise<void> }> {
  if (args['from-archive']) {
    const config = loadConfig();
    const url = config.database.url ?? embeddedDatabaseUrl(config.database.embeddedPort);
    const pool = createPool(url);
    await pool.query('SELECT 1').catch(async (err: unknown) => {
      await pool.end();
      throw new Error(`PostgreSQL at ${new URL(url).host}${new URL(url).pathname}: ${(err as Error).message}`);
    });
    const filter = { type: args.type, since: args.since, limit: args.limit };
    return { sources: archivedHistories(pool, filter), none: { line: 'nothing to replay: no archived history matches', code: 0 }, close: () => pool.end() };
  }
  if (args.query) {
    const config = loadConfig();
    const address = config.temporal.address ?? `127.0.0.1:${config.temporal.embeddedPort}`;
    const connection = await Connection.connect(temporalConnectionOptions(config.temporal, address)).catch((err: unknown) => {
      throw new Error(`Temporal at ${address}: ${(err as Error).message}`);
    });
    const client = new Client({ connection, namespace: config.temporal.namespace });
    // The server judges the query; asked once here, a bad one is a bad argument rather than a failed replay.
    await client.workflow.count(args.query).catch(async (err: unknown) => {
      await connection.close();
      throw new UsageError(`--query rejected by Temporal: ${(err as Error).message}`);
    });
    return {
      sources: liveHistories(client, args.query),
      none: { line: 'nothing to replay: no workflow matches the query', code: 0 },
      close: () => connection.close(),
    };
  }
  const paths = args.dir || args.files.length ? [...(args.dir ? [args.dir] : []), ...args.files] : [FIXTURES];
  let files: string[];
  try {
    files = fixtureFiles(paths);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  // The fixtures are the gate itself: finding none means nothing was checked.
  return {
    sources: fixtureHistories(files),
    none: { line: `nothing to replay: no *.json history in ${paths.join(', ')}`, code: 1 },
    close: async () => undefined,
  };
}

const LABEL: Record<Verdict, string> = { ok: 'ok', 'non-deterministic': 'NON-DETERMINISTIC', failed: 'FAILED' };

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  // Ctrl-C simply ends the run. Core's warning for a non-deterministic task would repeat our own line.
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    shutdownSignals: [],
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
  });
  const { sources, none, close } = await open(args);
  const count: Record<Verdict, number> = { ok: 0, 'non-deterministic': 0, failed: 0 };
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    for await (const r of replayHistories(sources)) {
      count[r.verdict]++;
      out(`${LABEL[r.verdict]} ${r.workflowId}${r.runId ? ` run ${r.runId}` : ''} (${r.origin})${r.reason ? `: ${r.reason}` : ''}`);
    }
  } finally {
    await close();
  }
  const total = count.ok + count['non-deterministic'] + count.failed;
  if (total === 0) {
    out(none.line);
    return none.code;
  }
  out(`replayed ${total}: ${count.ok} ok, ${count['non-deterministic']} non-deterministic, ${count.failed} failed`);
  return total === count.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const usage = err instanceof UsageError || (err instanceof Error && err.name === 'ConfigError');
    process.stderr.write(`replay: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(usage ? 2 : 1);
  },
);
