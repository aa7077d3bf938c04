/**
 * Reads `read` until `done` holds of it (or the time is up, then answers the last reading for the
 * test's own expectation to report). For what a workflow does after the state a test waited for:
 * a notice is sent by its own activity after the status is projected.
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}
