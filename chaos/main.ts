import { parseArgs } from 'node:util';
import { DEFAULTS, runChaos } from './run';
import { formatReport } from './report';

/**
 * `npm run chaos -- [--cluster] [--rounds N] [--seed S] [--minutes M] [--faults-per-round F] [--json]`:
 * the fault-injection suite, on the dev server or (`--cluster`) the production topology: the real
 * Temporal cluster on PostgreSQL with two workers. Exit 0 only with no violation; 1 with any; 2 for bad arguments.
 */
async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        rounds: { type: 'string' },
        seed: { type: 'string' },
        minutes: { type: 'string' },
        'faults-per-round': { type: 'string' },
        incidents: { type: 'string' },
        json: { type: 'boolean', default: false },
        cluster: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    process.stderr.write(`chaos: ${(err as Error).message}\n`);
    return 2;
  }
  const num = (v: string | undefined, fallback: number, name: string) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, not "${v}"`);
    return n;
  };
  let options;
  try {
    options = {
      ...DEFAULTS,
      rounds: num(values.rounds, DEFAULTS.rounds, 'rounds'),
      seed: num(values.seed, Math.floor(Math.random() * 1_000_000), 'seed'),
      minutes: num(values.minutes, DEFAULTS.minutes, 'minutes'),
      faultsPerRound: num(values['faults-per-round'], DEFAULTS.faultsPerRound, 'faults-per-round'),
      incidentsPerRound: num(values.incidents, DEFAULTS.incidentsPerRound, 'incidents'),
      topology: values.cluster ? ('cluster' as const) : ('dev-server' as const),
    };
  } catch (err) {
    process.stderr.write(`chaos: ${(err as Error).message}\n`);
    return 2;
  }
  const log = (line: string) => process.stderr.write(`[chaos] ${line}\n`);
  log(`seed ${options.seed} (repeat with --seed ${options.seed})`);
  const report = await runChaos({ ...options, log });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.violations.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`chaos: the run itself failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
