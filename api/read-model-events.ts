import { Client, type ClientConfig, type Pool } from 'pg';
import { z } from 'zod';

/**
 * Read-model changes as PostgreSQL announces them (migration 017: a trigger on each read-model
 * table notifies `butler_read_model`). One listening connection for the whole API, opened when the
 * first browser subscribes and closed when the last one leaves, so an idle API holds none. It is a
 * connection of its own, not one of the pool's: a stream left open never holds up the pool's end.
 */

export const READ_MODEL_CHANNEL = 'butler_read_model';

export const ReadModelEvent = z.object({
  kind: z.enum(['incident', 'line', 'line-batch', 'change', 'inspection', 'qsr']),
  id: z.string(),
  status: z.string(),
  version: z.number().int(),
});
export type ReadModelEvent = z.infer<typeof ReadModelEvent>;

type Listener = (event: ReadModelEvent) => void;

export interface ReadModelEvents {
  /** Calls `listener` for every change from now on; the returned function stops it. */
  subscribe(listener: Listener): Promise<() => void>;
}

export function readModelEvents(pool: Pool, log?: { error(obj: unknown, msg?: string): void }): ReadModelEvents {
  const listeners = new Set<Listener>();
  let connection: Promise<Client> | undefined;
  // The pool's own settings (address, credentials, TLS) for the listening connection.
  const settings = (pool as unknown as { options: ClientConfig }).options;

  const onNotification = (message: { channel: string; payload?: string }) => {
    if (message.channel !== READ_MODEL_CHANNEL || !message.payload) return;
    const parsed = ReadModelEvent.safeParse(JSON.parse(message.payload));
    if (!parsed.success) return;
    for (const listener of listeners) listener(parsed.data);
  };

  function listen(): Promise<Client> {
    const client = new Client(settings);
    client.on('notification', onNotification);
    const taken = client.connect().then(async () => {
      await client.query(`LISTEN ${READ_MODEL_CHANNEL}`);
      return client;
    });
    // A dropped connection is replaced on the next subscription; the browsers reconnect on their own.
    client.on('error', (err) => {
      log?.error({ err }, 'read-model event connection failed');
      if (connection === taken) connection = undefined;
      void client.end().catch(() => undefined);
    });
    taken.catch(() => {
      if (connection === taken) connection = undefined;
    });
    return taken;
  }

  async function release(): Promise<void> {
    const held = connection;
    connection = undefined;
    if (!held) return;
    const client = await held.catch(() => undefined);
    if (!client) return;
    client.off('notification', onNotification);
    await client.end().catch(() => undefined);
  }

  return {
    async subscribe(listener) {
      listeners.add(listener);
      connection ??= listen();
      try {
        await connection;
      } catch (err) {
        listeners.delete(listener);
        throw err;
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) void release();
      };
    },
  };
}
