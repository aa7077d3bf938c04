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
  kind: z.enum(['incident', 'line', 'line-batch', 'change', 'inspection', 'qsr', 'bill']),
  id: z.string(),
  status: z.string(),
  version: z.number().int(),
});
export type ReadModelEvent = z.infer<typeof ReadModelEvent>;

export interface Subscriber {
  event(event: ReadModelEvent): void;
  /** The listening connection is gone (or the API is closing): events may have been missed, so the stream ends and the browser starts over. */
  lost(): void;
}

export interface ReadModelEvents {
  /** Passes every change from now on to `subscriber`; the returned function stops it. */
  subscribe(subscriber: Subscriber): Promise<() => void>;
  /** Ends every subscription and closes the listening connection (shutdown). */
  close(): Promise<void>;
}

export function readModelEvents(pool: Pool, log?: { error(obj: unknown, msg?: string): void }): ReadModelEvents {
  const subscribers = new Set<Subscriber>();
  let connection: Promise<Client> | undefined;

  const onNotification = (message: { channel: string; payload?: string }) => {
    if (message.channel !== READ_MODEL_CHANNEL || !message.payload) return;
    let parsed;
    try {
      parsed = ReadModelEvent.safeParse(JSON.parse(message.payload));
    } catch {
      return; // someone else's NOTIFY on our channel: not ours to pass on
    }
    if (!parsed.success) return;
    for (const subscriber of subscribers) subscriber.event(parsed.data);
  };

  /** Every subscriber is told the connection is gone; each ends its stream. */
  function loseAll(): void {
    const lost = [...subscribers];
    subscribers.clear();
    for (const subscriber of lost) subscriber.lost();
  }

  function listen(): Promise<Client> {
    // The pool's own settings (address, credentials, TLS), read when needed: the route table is also built without a pool (scripts/write-openapi.ts).
    const settings = (pool as unknown as { options: ClientConfig }).options;
    // Keep-alive probes find a connection a firewall dropped silently; a stalled connect gives up.
    const client = new Client({ ...settings, keepAlive: true, connectionTimeoutMillis: 10_000 });
    client.on('notification', onNotification);
    const taken = client.connect().then(async () => {
      await client.query(`LISTEN ${READ_MODEL_CHANNEL}`);
      return client;
    });
    const gone = (err?: Error) => {
      if (connection !== taken) return;
      if (err) log?.error({ err }, 'read-model event connection failed');
      connection = undefined;
      void client.end().catch(() => undefined);
      loseAll();
    };
    client.on('error', gone);
    client.on('end', () => gone());
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
    async subscribe(subscriber) {
      subscribers.add(subscriber);
      connection ??= listen();
      try {
        await connection;
      } catch (err) {
        subscribers.delete(subscriber);
        throw err;
      }
      return () => {
        subscribers.delete(subscriber);
        if (subscribers.size === 0) void release();
      };
    },
    async close() {
      loseAll();
      await release();
    },
  };
}
