import type { Harness } from './harness';
import type { Json } from '../support/json';

/** Polls GET `path` (a line, a change, a batch) until `done` holds: the workflows run in real time on the dev server. */
export async function untilGet(harness: Harness, path: string, done: (resource: Json) => boolean, timeoutMs = 60_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await harness.call('get', path, { token: harness.tokens.auditor });
    expect(res.status).toBe(200);
    if (done(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`${path} stayed ${res.body.status} (${res.body.step ?? JSON.stringify(res.body.counts)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A line's GET until `done` holds. */
export function untilLine(harness: Harness, id: string, done: (line: Json) => boolean, timeoutMs?: number): Promise<Json> {
  return untilGet(harness, `/api/v1/lines/${id}`, done, timeoutMs);
}
