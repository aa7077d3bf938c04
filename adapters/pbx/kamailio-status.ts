import { z } from 'zod';
import type { PbxClient, Registration } from './pbx-client';
import type { KamailioContext } from './kamailio-context';
import { dispatcherList } from './kamailio-trunks';

/** What the running Kamailio reports about itself: registrations (usrloc), memory and sockets. */
type StatusApi = Pick<PbxClient, 'registrations' | 'statistics'>;

/** ul.dump: per usrloc domain (table), the AoRs and their contacts; Expires is seconds left. */
const UlDump = z.object({
  Domains: z.array(
    z.object({
      Domain: z.object({
        AoRs: z.array(
          z.object({
            Info: z.object({
              AoR: z.string(),
              Contacts: z.array(
                z.object({ Contact: z.object({ Address: z.string(), Expires: z.union([z.number(), z.string()]), 'User-Agent': z.string().optional() }) }),
              ),
            }),
          }),
        ),
      }),
    }),
  ),
});

const ShmMem = z.object({ total: z.number(), free: z.number(), real_used: z.number() });
const Sockets = z.array(z.object({ PROTO: z.string(), NAME: z.string(), PORT: z.union([z.string(), z.number()]) }));

export function kamailioStatus(ctx: KamailioContext): StatusApi {
  const registrations = async (): Promise<Registration[]> => {
    const dump = UlDump.parse(await ctx.rpc.call('ul.dump'));
    const now = Date.now();
    return dump.Domains.flatMap(({ Domain }) =>
      Domain.AoRs.flatMap(({ Info }) =>
        Info.Contacts.map(({ Contact }) => ({
          // With use_domain off the AoR is the bare user; tolerate user@domain all the same.
          dn: Info.AoR.split('@')[0]!,
          contact: Contact.Address,
          // A number of seconds left, or a word ("permanent") for a contact that never expires.
          expiresAt: typeof Contact.Expires === 'number' ? new Date(now + Contact.Expires * 1000).toISOString() : 'never',
          ...(Contact['User-Agent'] ? { userAgent: Contact['User-Agent'] } : {}),
        })),
      ),
    );
  };

  return {
    registrations: () => ctx.live(registrations),

    statistics: () =>
      ctx.run(async (pool) => {
        const [shm, sockets, trunks, registered, extensions] = await Promise.all([
          ctx.rpc.call('core.shmmem').then((r) => ShmMem.parse(r)),
          ctx.rpc.call('corex.list_sockets').then((r) => Sockets.parse(r)),
          dispatcherList(ctx),
          registrations(),
          pool.query<{ n: number }>('SELECT count(*)::int AS n FROM subscriber WHERE domain = $1', [ctx.domain]),
        ]);
        return {
          memory: { totalBytes: shm.total, usedBytes: shm.real_used, freeBytes: shm.free },
          ports: {
            listening: sockets.map((s) => ({ proto: s.PROTO, address: s.NAME, port: Number(s.PORT) })),
            extensions: extensions.rows[0]!.n,
            trunks: trunks.length,
            registered: new Set(registered.map((r) => r.dn)).size,
          },
        };
      }),
  };
}
