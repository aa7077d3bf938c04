import { BrowserMissingError } from '../reports/browser-pool';
import { ConfigError, loadConfig } from './config';
import { createLogger } from '../system/logger';
import { startStack, type StackOptions } from './stack';
import { MissingToolError } from '../system/temporal-tools';
import { KamailioUnavailableError } from './pbx-mode';
import { TemporalServerBuildError } from '../system/temporal-server-tools';
import { TemporalClusterError } from './temporal-cluster';
import { ExtraWorkerError } from './extra-workers';

/**
 * `npm start`: the whole stack in one process tree. `npm run api` and
 * `npm run worker` run one part each (the docker-compose topology).
 */
export async function run(opts: StackOptions): Promise<void> {
  let config;
  try {
    // The worker drives the vendors: outside the embedded default each needs its setting or an explicit simulator.
    config = loadConfig(process.env, process.cwd(), { vendors: opts.worker });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`butler: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  let stack: Awaited<ReturnType<typeof startStack>>;
  try {
    stack = await startStack(config, log, opts);
  } catch (err) {
    if (
      err instanceof MissingToolError ||
      err instanceof BrowserMissingError ||
      err instanceof KamailioUnavailableError ||
      err instanceof TemporalServerBuildError ||
      err instanceof TemporalClusterError ||
      err instanceof ExtraWorkerError
    )
      process.stderr.write(`butler: ${err.message}\n`);
    else log.fatal({ err }, `start-up failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  log.info('butler is up; Ctrl-C stops it');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    stack.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) void run({ api: true, worker: true });
