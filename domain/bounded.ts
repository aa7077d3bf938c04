/**
 * Runs `fn` over `items` with at most `limit` in flight, in order of start.
 * Deterministic: which item a lane takes next depends only on completion
 * order, which the workflow's history fixes.
 */
export async function forEachBounded<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}
