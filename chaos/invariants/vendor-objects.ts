import { Client as PgClient } from 'pg';
import type { InstalledItem, LineState } from '../../domain/line/contracts';
import { count, emptyResult, type CheckResult } from './violation';

/**
 * No orphans: what Kamailio (subscribers, dial-plan rules, dispatcher trunks) and
 * the CTI (active users, team and queue members) hold is exactly what the line inventory
 * says is installed on its lines that hold vendor objects (HOLDING_STATUSES), apart
 * from the embedded test line's own rows.
 */

export interface VendorView {
  subscribers: string[];
  dialplanRules: string[];
  trunks: string[];
  ctiUsers: Array<{ id: string; email: string }>;
  teamMembers: Array<{ teamId: string; team: string; userId: string }>;
  queueMembers: Array<{ queueId: string; queue: string; userId: string }>;
}

/**
 * The lines that hold vendor objects, and which: an ACTIVE line and a TERMINATION_SCHEDULED one
 * (still in service until its effective date) what they installed; a TERMINATION_FAILED one its
 * leftovers, which is what its `installed` lists once removal gave up. A settled inventory has
 * nothing INSTALLING or TERMINATING.
 */
export const HOLDING_STATUSES: readonly LineState['status'][] = ['ACTIVE', 'TERMINATION_SCHEDULED', 'TERMINATION_FAILED'];

export function expectedVendorObjects(lines: readonly LineState[]) {
  const live = lines.filter((l) => HOLDING_STATUSES.includes(l.status));
  const items = (kind: InstalledItem['kind']) => live.flatMap((l) => l.installed.filter((i) => i.kind === kind).map((i) => ({ line: l.id, item: i })));
  return {
    subscribers: items('pbx-extension').map(({ line, item }) => ({ line, key: (item as { dn: string }).dn })),
    dialplanRules: items('pbx-dialplan').map(({ line, item }) => ({ line, key: (item as { ruleId: string }).ruleId })),
    trunks: items('pbx-trunk').map(({ line, item }) => ({ line, key: (item as { trunkId: string }).trunkId })),
    ctiUsers: items('cti-agent').map(({ line, item }) => ({ line, key: (item as { agentId: string }).agentId })),
    teamMembers: items('cti-team-member').map(({ line, item }) => {
      const m = item as { teamId: string; agentId: string };
      return { line, key: `${m.teamId}/${m.agentId}` };
    }),
    queueMembers: items('cti-queue-member').map(({ line, item }) => {
      const m = item as { queueId: string; agentId: string };
      return { line, key: `${m.queueId}/${m.agentId}` };
    }),
  };
}

export function compareVendorObjects(
  lines: readonly LineState[],
  vendor: VendorView,
  exclude: { subscribers: string[]; dialplanRules: string[]; trunks: string[] },
): CheckResult {
  const result = emptyResult();
  const expected = expectedVendorObjects(lines);
  const actual = {
    subscribers: vendor.subscribers.filter((s) => !exclude.subscribers.includes(s)),
    dialplanRules: vendor.dialplanRules.filter((r) => !exclude.dialplanRules.includes(r)),
    trunks: vendor.trunks.filter((t) => !exclude.trunks.includes(t)),
    ctiUsers: vendor.ctiUsers.map((u) => u.id),
    teamMembers: vendor.teamMembers.map((m) => `${m.teamId}/${m.userId}`),
    queueMembers: vendor.queueMembers.map((m) => `${m.queueId}/${m.userId}`),
  };
  const describe: Record<keyof typeof actual, (key: string) => string> = {
    subscribers: (k) => `Kamailio subscriber ${k}`,
    dialplanRules: (k) => `Kamailio dial-plan rule ${k}`,
    trunks: (k) => `Kamailio dispatcher trunk ${k}`,
    ctiUsers: (k) => `CTI user ${k} (${vendor.ctiUsers.find((u) => u.id === k)?.email ?? '?'})`,
    teamMembers: (k) => `CTI team membership ${k} (${vendor.teamMembers.find((m) => `${m.teamId}/${m.userId}` === k)?.team ?? '?'})`,
    queueMembers: (k) => `CTI queue membership ${k} (${vendor.queueMembers.find((m) => `${m.queueId}/${m.userId}` === k)?.queue ?? '?'})`,
  };
  for (const kind of Object.keys(actual) as Array<keyof typeof actual>) {
    const want = new Map(expected[kind].map((e) => [e.key, e.line]));
    const have = new Set(actual[kind]);
    count(result, 'no-orphaned-vendor-objects', want.size + have.size);
    for (const key of have) {
      if (!want.has(key))
        result.violations.push({
          invariant: 'no-orphaned-vendor-objects',
          subject: key,
          detail: `${describe[kind](key)} exists but no ACTIVE, TERMINATION_SCHEDULED or TERMINATION_FAILED line has it installed`,
        });
    }
    for (const [key, line] of want) {
      if (!have.has(key))
        result.violations.push({
          invariant: 'no-orphaned-vendor-objects',
          subject: line,
          detail: `line ${line} is ${lines.find((l) => l.id === line)?.status ?? 'ACTIVE'} with ${describe[kind](key)} installed, but the vendor has no such object`,
        });
    }
  }
  return result;
}

/** What Kamailio's tables and the CTI hold now. */
export async function readVendorView(kamailioDatabaseUrl: string, cti: { url: string; clientId: string; clientSecret: string }): Promise<VendorView> {
  const db = new PgClient({ connectionString: kamailioDatabaseUrl });
  await db.connect();
  let pbx: Pick<VendorView, 'subscribers' | 'dialplanRules' | 'trunks'>;
  try {
    const col = async (sql: string) => (await db.query<{ v: string }>(sql)).rows.map((r) => r.v);
    pbx = {
      subscribers: await col('SELECT username AS v FROM subscriber ORDER BY 1'),
      // Rows without Butler's rule id are orphans too: they show under their dialplan id.
      dialplanRules: await col(
        `SELECT COALESCE(b.rule_id, 'dialplan#' || d.id) AS v FROM dialplan d LEFT JOIN butler_dialplan_rule b ON b.dialplan_id = d.id ORDER BY 1`,
      ),
      trunks: await col(
        `SELECT COALESCE(b.trunk_id, 'dispatcher#' || d.id) AS v FROM dispatcher d LEFT JOIN butler_trunk b ON b.dispatcher_id = d.id ORDER BY 1`,
      ),
    };
  } finally {
    await db.end();
  }
  const token = await ctiToken(cti);
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${cti.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`CTI GET ${path} → ${res.status}`);
    return (await res.json()) as T;
  };
  const ctiUsers: VendorView['ctiUsers'] = [];
  for (let page = 1; ; page++) {
    const p = await get<{ entities: Array<{ id: string; email: string }>; pageCount: number }>(`/api/v2/users?pageSize=100&pageNumber=${page}&state=active`);
    ctiUsers.push(...p.entities.map((u) => ({ id: u.id, email: u.email })));
    if (page >= p.pageCount) break;
  }
  const teams = (await get<{ entities: Array<{ id: string; name: string }> }>('/api/v2/teams?pageSize=100')).entities;
  const teamMembers: VendorView['teamMembers'] = [];
  for (const t of teams) {
    const members = (await get<{ entities: Array<{ id: string }> }>(`/api/v2/teams/${t.id}/members?pageSize=100`)).entities;
    teamMembers.push(...members.map((m) => ({ teamId: t.id, team: t.name, userId: m.id })));
  }
  const queues = (await get<{ entities: Array<{ id: string; name: string }> }>('/api/v2/routing/queues?pageSize=100')).entities;
  const queueMembers: VendorView['queueMembers'] = [];
  for (const q of queues) {
    const members = (await get<{ entities: Array<{ id: string }> }>(`/api/v2/routing/queues/${q.id}/members?pageSize=100`)).entities;
    queueMembers.push(...members.map((m) => ({ queueId: q.id, queue: q.name, userId: m.id })));
  }
  return { ...pbx, ctiUsers, teamMembers, queueMembers };
}

async function ctiToken(cti: { url: string; clientId: string; clientSecret: string }): Promise<string> {
  const res = await fetch(`${cti.url}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${cti.clientId}:${cti.clientSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  if (!res.ok) throw new Error(`CTI token → ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
