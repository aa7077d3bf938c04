import type { Rng } from './rng';
import { sleep, type ChaosStack, type ChaosTopology } from './stack';

/** What can go wrong, one kind at a time, at seeded moments. */
export const FAULT_KINDS = [
  'worker-sigkill',
  'api-sigkill',
  'temporal-restart',
  'postgres-restart',
  'cti-5xx',
  'cti-429',
  'cti-latency',
  'pbx-restart',
  'history-sigkill',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * What each topology is broken with. The dev server is one process (restarted whole); the cluster
 * loses its history service (the shards' owner) to SIGKILL, one of its two workers, and PostgreSQL,
 * which is its persistence as well as Butler's.
 */
export const FAULTS_OF: Record<ChaosTopology, readonly FaultKind[]> = {
  'dev-server': FAULT_KINDS.filter((k) => k !== 'history-sigkill'),
  cluster: ['history-sigkill', 'worker-sigkill', 'postgres-restart'],
};

export interface InjectedFault {
  kind: FaultKind;
  round: number;
  /** Milliseconds into the round. */
  atMs: number;
  /** When it began (epoch ms). */
  startedAt: number;
  detail: string;
  /** How long until everything was back. */
  tookMs: number;
  /** The fault could not be injected or recovered from (the stack is not what the run claims it is). */
  error?: string;
}

/**
 * Injects one fault and takes it back: a killed process is started again, a
 * stopped server comes back on the same store, a CTI fault rule is lifted.
 */
export async function injectFault(stack: ChaosStack, kind: FaultKind, rng: Rng): Promise<string> {
  switch (kind) {
    case 'worker-sigkill': {
      const down = rng.int(500, 4_000);
      const index = stack.workers > 1 ? rng.int(0, stack.workers - 1) : 0;
      await stack.killWorker(index);
      await sleep(down);
      await stack.startWorker(index);
      return `${stack.workers > 1 ? `worker ${index + 1} of ${stack.workers}` : 'worker'} SIGKILLed, restarted after ${down} ms`;
    }
    case 'history-sigkill': {
      const down = rng.int(500, 4_000);
      await stack.killTemporalService('history', down);
      return `Temporal's history service SIGKILLed, started again after ${down} ms`;
    }
    case 'api-sigkill': {
      const down = rng.int(200, 3_000);
      await stack.killApi();
      await sleep(down);
      await stack.startApi();
      return `API SIGKILLed, restarted after ${down} ms`;
    }
    case 'temporal-restart': {
      const down = rng.int(500, 3_000);
      await stack.restartTemporal(down);
      return `Temporal dev server stopped, started again on the same store after ${down} ms`;
    }
    case 'postgres-restart': {
      const down = rng.int(500, 3_000);
      await stack.restartPostgres(down);
      return `PostgreSQL stopped, started again after ${down} ms`;
    }
    case 'cti-5xx': {
      const rule = { failNext: { count: rng.int(3, 12), status: rng.pick([500, 502, 503]) } };
      return holdCtiRule(stack, rule, rng.int(5_000, 12_000), `CTI answers ${rule.failNext.status} to the next ${rule.failNext.count} requests`);
    }
    case 'cti-429': {
      const rule = { rateLimitNext: { count: rng.int(2, 8), retryAfterSeconds: rng.int(1, 3) } };
      return holdCtiRule(
        stack,
        rule,
        rng.int(5_000, 12_000),
        `CTI answers 429 (Retry-After ${rule.rateLimitNext.retryAfterSeconds} s) to the next ${rule.rateLimitNext.count} requests`,
      );
    }
    case 'cti-latency': {
      const rule = { latencyMs: rng.int(2_000, 12_000) };
      return holdCtiRule(stack, rule, rng.int(8_000, 20_000), `CTI answers every request ${rule.latencyMs} ms late`);
    }
    case 'pbx-restart': {
      const down = rng.int(500, 4_000);
      await stack.restartKamailio(down);
      return `Kamailio stopped (RPC and SIP unreachable) for ${down} ms, started again`;
    }
  }
}

async function holdCtiRule(stack: ChaosStack, rule: Parameters<ChaosStack['cti']['faults']['set']>[0], holdMs: number, what: string): Promise<string> {
  stack.cti.faults.set(rule);
  await sleep(holdMs);
  stack.cti.faults.reset();
  return `${what}, for ${holdMs} ms`;
}

/**
 * The faults of a whole run: kinds taken from seeded shuffles of every kind in
 * turn, so a short run still sees many different kinds.
 */
export function planFaults(rng: Rng, rounds: number, perRound: number, from: readonly FaultKind[] = FAULTS_OF['dev-server']): FaultKind[][] {
  const queue: FaultKind[] = [];
  const plan: FaultKind[][] = [];
  for (let r = 0; r < rounds; r++) {
    const kinds: FaultKind[] = [];
    while (kinds.length < perRound) {
      if (queue.length === 0) queue.push(...rng.shuffle(from));
      kinds.push(queue.shift()!);
    }
    plan.push(kinds);
  }
  return plan;
}
