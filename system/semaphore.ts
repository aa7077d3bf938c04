/** A tiny counting semaphore: at most `max` holders at once, the others wait in order. */
export function semaphore(max: number) {
  let free = max;
  const waiting: Array<() => void> = [];
  return {
    async acquire(): Promise<void> {
      if (free > 0) {
        free--;
        return;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    },
    release(): void {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
    /** Runs `work` holding one place. */
    async run<T>(work: () => Promise<T>): Promise<T> {
      await this.acquire();
      try {
        return await work();
      } finally {
        this.release();
      }
    },
  };
}
