import type { LineState } from '../../domain/line/contracts';
import { ApiError, apiRequest, type Api, type ApiAnswer, type ApiRequest } from './api-client';
import { isInterrupted } from './cleanup';
import { contract, lineRequest } from './requests';
import { sleep } from './wait';

export interface LineRun {
  i: number;
  agent: boolean;
  id?: string;
  /** Client wall clock (Date.now()) at each step: comparable with the Temporal event times, same machine. */
  postedAt: number;
  provisionedAt?: number;
  contractSentAt?: number;
  contractAnsweredAt?: number;
  doneAt?: number;
  final?: LineState;
  /** 503 answers to the provisioning POST, each retried with the same Idempotency-Key as the API asks. */
  retried503: number;
  /** The provisioning POST's answer: 201 (checked, its workflow ran) or 202 (held by Temporal, not run yet). */
  provisionStatus?: number;
  /** Any 503 to the contract POST or a GET (retried as the provisioning POST's are). */
  other503: number;
  /** Why the line did not reach ACTIVE. */
  failure?: string;
}

/** How often a client retries a 503 before it gives up. */
const MAX_503_RETRIES = 5;

export interface Load {
  n: number;
  concurrency: number;
  /** Line i gets DN dnBase + i. */
  dnBase: number;
  pollMs: number;
  /** How long a line may take from its contract to ACTIVE or FAILED. */
  lineTimeoutMs: number;
}

/** n lines, `concurrency` at a time, each taken through the API until ACTIVE or FAILED; sorted by i. */
export async function provisionLines(api: Api, load: Load): Promise<LineRun[]> {
  const call = apiRequest(api);
  const runs: LineRun[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(load.concurrency, load.n) }, async () => {
      while (next < load.n && !isInterrupted()) runs.push(await provisionLine(call, next++, load));
    }),
  );
  return runs.sort((a, b) => a.i - b.i);
}

/** POST /lines/provisioning, POST /lines/:id/contract, then GET /lines/:id until ACTIVE or FAILED. */
async function provisionLine(call: ApiRequest, i: number, load: Load): Promise<LineRun> {
  const request = lineRequest(i, load.dnBase);
  const run: LineRun = { i, agent: 'agent' in request, postedAt: Date.now(), retried503: 0, other503: 0 };
  try {
    const key = { 'idempotency-key': `bench-${load.dnBase}-${i}` };
    let answer: ApiAnswer<LineState> | undefined;
    while (!answer) {
      answer = await call<LineState>('POST', '/api/v1/lines/provisioning', request, key).catch((err: unknown) => {
        if (!(err instanceof ApiError) || err.status !== 503 || run.retried503 >= MAX_503_RETRIES) throw err;
        run.retried503++;
        return undefined;
      });
    }
    const line = answer.body;
    run.id = line.id;
    run.provisionStatus = answer.status;
    run.provisionedAt = Date.now();
    run.contractSentAt = Date.now();
    // With a key, a retry after a 503 joins the Update the first attempt left waiting (the API's advice).
    const contractKey = { 'idempotency-key': `bench-contract-${load.dnBase}-${i}` };
    await retrying503(run, () => call<LineState>('POST', `/api/v1/lines/${line.id}/contract`, contract(i), contractKey));
    run.contractAnsweredAt = Date.now();
    const deadline = Date.now() + load.lineTimeoutMs;
    for (;;) {
      const { body: seen } = await retrying503(run, () => call<LineState>('GET', `/api/v1/lines/${line.id}`));
      if (isInterrupted()) throw new Error('interrupted');
      if (seen.status === 'ACTIVE' || seen.status === 'FAILED') {
        run.doneAt = Date.now();
        run.final = seen;
        if (seen.status === 'FAILED') run.failure = `FAILED at ${seen.failure?.step}: ${seen.failure?.type}: ${seen.failure?.cause}`;
        return run;
      }
      if (Date.now() > deadline) {
        run.final = seen;
        const failed = [...seen.history].reverse().find((h) => h.type === 'step-failed')?.details;
        run.failure = `still ${seen.status} (${seen.step}) after ${load.lineTimeoutMs / 1000} s${failed ? `; ${failed.step} had failed: ${String(failed.type)}: ${String(failed.cause)}` : ''}`;
        return run;
      }
      await sleep(load.pollMs);
    }
  } catch (err) {
    run.failure = err instanceof Error ? err.message : String(err);
    return run;
  }
}

/** A call retried on 503 (counted in `other503`), as a client does; anything else throws. */
async function retrying503<T>(run: LineRun, call: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 503 || run.other503 >= MAX_503_RETRIES) throw err;
      run.other503++;
    }
  }
}
