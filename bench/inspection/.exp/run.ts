/**
 * TEMPORARY A/B experiment (deleted after use): the inspection workflow as it is (a) and with
 * incidents opened 16 at a time (b), both hosted by workers in this process on queues `<real>#a` /
 * `<real>#b`; activities and the child incident workflows run on the real worker process.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createInspectionActivities } from '../../../activities/inspection/inspection-activities';
import { createPool } from '../../../db/pool';
import { installCleanup, onStop, stopAll } from '../../line-provisioning/cleanup';
import { sleep } from '../../line-provisioning/wait';
import { registerDevices } from '../devices';
import { analysePhases } from '../phases';
import { endInspection, runInspection } from '../run';
import { startStack } from '../stack';

const SIZES = (process.argv[2] ?? '100,300,500').split(',').map(Number);
const REPEAT = Number(process.argv[3] ?? 2);

async function main() {
  const stack = await startStack({ workerLogLevel: 'info' });
  const pool = createPool(stack.databaseUrl, 4);
  onStop('pool', () => pool.end());
  const connection = await Connection.connect({ address: stack.temporalAddress });
  onStop('client', () => connection.close());
  const client = new Client({ connection });
  const native = await NativeConnection.connect({ address: stack.temporalAddress });
  const { projectInspection } = createInspectionActivities({ pool, collectors: undefined as never });
  for (const v of ['a', 'b']) {
    const worker = await Worker.create({
      connection: native,
      taskQueue: `${stack.taskQueue}#${v}`,
      workflowsPath: require.resolve(`./${v}/workflows`),
      activities: { projectInspection },
    });
    const running = worker.run();
    onStop(`worker ${v}`, async () => {
      worker.shutdown();
      await running;
    });
  }
  let k = 0;
  const once = async (n: number, v: string) => {
    k++;
    const centers = await registerDevices(pool, n, 3);
    const run = await runInspection(client, pool, n, `EXP-${v}-${n}-${k}`, `${2000 + k}-01`, {
      taskQueue: `${stack.taskQueue}#${v}`,
      centers,
      pollMs: 25,
      timeoutMs: 300_000,
    });
    await endInspection(client, run);
    return { run, p: analysePhases(run.history) };
  };
  await once(30, 'a');
  await once(30, 'b');
  console.log('variant devices incidents  wall s  collectors s  incidents s  report s');
  for (const n of SIZES) {
    for (let r = 0; r < REPEAT; r++) {
      for (const v of ['a', 'b']) {
        await sleep(1000);
        const { run, p } = await once(n, v);
        const f = (ms: number) => (ms / 1000).toFixed(2).padStart(8);
        console.log(
          `${v.padEnd(7)} ${String(n).padStart(7)} ${String(run.state.incidents.length).padStart(9)} ${f(run.awaitingReviewAt - run.requestedAt)} ${f(p.collectorsMs)}     ${f(p.incidentsMs)} ${f(p.reportMs)}`,
        );
      }
    }
  }
}

installCleanup();
main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    await stopAll();
    process.exit();
  });
