import type { Harness } from './harness';
import type { Json } from '../support/json';

/** Polls GET /lines/:id until `done` holds (the workflow runs in real time on the dev server). */
export async function untilLine(harness: Harness, id: string, done: (line: Json) => boolean, timeoutMs = 60_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await harness.call('get', `/api/v1/lines/${id}`, { token: harness.tokens.auditor });
    expect(res.status).toBe(200);
    if (done(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`line ${id} stayed ${res.body.status} (${res.body.step})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
