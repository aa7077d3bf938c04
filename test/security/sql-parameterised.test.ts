import path from 'node:path';
import { incidentBody, useHarness } from '../api/harness';
import { format, scanProject, scanSource, type AllowEntry } from './sql-scan';
import type { Json } from '../support/json';

/**
 * Parameterised SQL only: every SQL text handed to node-postgres, and every Temporal visibility
 * query, is built from text the program wrote and bind-parameter numbers (rules in sql-scan.ts).
 * What cannot be proven so is listed here, each with the reason it is not user data; an entry
 * no longer needed fails the test, so the list stays small and true.
 */
const ALLOW: AllowEntry[] = [
  {
    file: 'db/reviewed-runs.repo.ts',
    expression: 'spec.sequence',
    reason: 'the sequence name is a constant of the two callers (inspections.repo.ts, qsrs.repo.ts); nextval takes it as text only',
  },
  {
    file: 'runtime/embedded-postgres.ts',
    expression: `database.replace(/"/g, '""')`,
    reason: 'CREATE DATABASE takes no bind parameter; the name is the configured database, quoted as an identifier (quotes doubled)',
  },
  {
    file: 'adapters/pbx/kamailio/database.ts',
    expression: 'sql',
    reason: "Kamailio's own schema scripts (<module>-create.sql of the installed kamailio package), read from disk and run whole at set-up",
  },
  {
    file: 'db/roles.ts',
    expression: 'appRole',
    reason: 'CREATE ROLE takes no bind parameter; the role name comes from configuration (DATABASE_URL), checked against ^[a-z_][a-z0-9_]{0,62}$ first',
  },
  {
    file: 'db/roles.ts',
    expression: 'literal(password)',
    reason: "CREATE ROLE … PASSWORD takes no bind parameter; the embedded default's fixed password, quoted as a literal (quotes doubled)",
  },
  {
    file: 'db/roles.ts',
    expression: 'statement',
    reason: 'GRANT and REVOKE take no bind parameter; each is built from the checked role name and the constant list of evidence tables',
  },
  {
    file: 'runtime/history-archiver.ts',
    expression: 'since',
    reason: 'an ISO-8601 instant the archiver computes itself (stored watermark − overlap, via Date.toISOString); visibility queries take no bind parameters',
  },
  {
    file: 'runtime/replay-sources.ts',
    expression: 'query',
    reason: "the operator's own visibility query (npm run replay -- --query …), run with the operator's Temporal credentials; no API request reaches it",
  },
  {
    file: 'scripts/replay.ts',
    expression: 'args.query',
    reason: "the operator's own visibility query on the replay command line (counted before it is run); no API request reaches it",
  },
];

const root = path.resolve(__dirname, '../..');

describe('static check: every .query( of the project is parameterised', () => {
  let result: ReturnType<typeof scanProject>;
  beforeAll(() => {
    result = scanProject(root, ALLOW);
  }, 120_000);

  it('finds no SQL or visibility query built from data (file:line: expression)', () => {
    expect(result.violations.map((v) => `${format(v)}  — ${v.why} (${v.kind})`)).toEqual([]);
    // The scan saw the repositories, not nothing.
    expect(result.checked).toBeGreaterThan(100);
  });

  it('every allowlist entry is still needed', () => {
    const used = new Set(result.allowed.map((a) => `${a.file} ${a.expression}`));
    expect(ALLOW.filter((a) => !used.has(`${a.file} ${a.expression}`)).map((a) => `${a.file}: ${a.expression}`)).toEqual([]);
  });

  it('what it skipped as "no SQL" are Temporal queries (handle.query(definition)), nothing else', () => {
    expect(result.skipped.filter((s) => !s.declaredIn.startsWith('@temporalio/')).map((s) => `${s.file}:${s.line}: ${s.call} (${s.declaredIn})`)).toEqual([]);
  });
});

describe('the checker itself', () => {
  const PG = `declare const pool: { query(sql: string, values?: unknown[]): Promise<unknown> };\n`;

  it('reports a value interpolated into SQL text', () => {
    const r = scanSource(`${PG}export function find(id: string) { return pool.query(\`SELECT * FROM t WHERE id = '\${id}'\`); }`);
    expect(r.violations.map(format)).toEqual(['inline.ts:2: id']);
  });

  it('passes a parameterised query and placeholders numbered by push/length', () => {
    const r = scanSource(
      `${PG}export async function find(id: string, status?: string) {
         await pool.query('SELECT * FROM t WHERE id = $1', [id]);
         const where: string[] = [];
         const args: unknown[] = [];
         if (status) where.push(\`status = $\${args.push(status)}\`);
         const clause = where.length ? \`WHERE \${where.join(' AND ')}\` : '';
         await pool.query(\`SELECT * FROM t \${clause} LIMIT $\${args.length + 1}\`, [...args, 10]);
       }`,
    );
    expect(r.violations.map(format)).toEqual([]);
    expect(r.checked).toBe(2);
  });

  it('reports concatenation, a pushed value, a string from a caller, a number not in placeholder position', () => {
    const r = scanSource(
      `${PG}export async function bad(name: string, limit: number) {
         await pool.query('SELECT * FROM t WHERE name = ' + name);
         const where: string[] = [];
         where.push(\`name = '\${name}'\`);
         await pool.query(\`SELECT * FROM t WHERE \${where.join(' AND ')}\`);
         await pool.query(\`SELECT * FROM t LIMIT \${limit}\`);
       }`,
    );
    expect(r.violations.map(format)).toEqual(["inline.ts:3: 'SELECT * FROM t WHERE name = ' + name", "inline.ts:6: where.join(' AND ')", 'inline.ts:7: limit']);
  });

  it('passes literal unions and local helpers fed only literals; reports visibility queries with data', () => {
    const r = scanSource(
      `${PG}declare const client: { workflow: { list(o: { query?: string }): unknown } };
       export async function ok(table: 'a' | 'b', id: string) {
         const column = id ? 'x' : 'y';
         await pool.query(\`SELECT \${column} FROM \${table} WHERE id = $1\`, [id]);
         const by = (where: string) => pool.query(\`SELECT * FROM t WHERE \${where}\`, [id]);
         await by('id = $1');
         client.workflow.list({ query: \`WorkflowId = '\${id}'\` });
       }`,
    );
    expect(r.violations.map((v) => `${format(v)} ${v.kind}`)).toEqual(['inline.ts:8: id visibility']);
  });

  it('an allowlist entry turns a finding into an allowed one, with its reason', () => {
    const r = scanSource(`${PG}export function f(seq: string) { return pool.query(\`SELECT nextval('\${seq}')\`); }`, [
      { file: 'inline.ts', expression: 'seq', reason: 'test' },
    ]);
    expect(r.violations).toEqual([]);
    expect(r.allowed.map((a) => a.reason)).toEqual(['test']);
  });
});

describe('at run time: injection strings in query parameters', () => {
  const h = useHarness();

  beforeAll(async () => {
    for (const title of ['교환기 장애', 'CTI 장애']) {
      expect(
        (await h.call('post', '/api/v1/incidents', { token: h.tokens.engineer, body: incidentBody({ title, severity: 'P4', complexity: 'simple' }) })).status,
      ).toBe(201);
    }
    // One archived history, so that a predicate made always-true would show it.
    await h.pool.query(
      `INSERT INTO workflow_histories (run_id, workflow_id, workflow_type, business_key, status, started_at, closed_at, events, history, sha256)
       VALUES ('run-1', 'incident-INC-900001', 'incidentWorkflow', 'INC-900001', 'COMPLETED', now() - interval '1 hour', now(), 1, '{"events":[]}', repeat('0', 64))`,
    );
  });

  const INJECTIONS = ["' OR 1=1 --", "x' OR '1'='1", "'; DROP TABLE incidents; --", '1) OR (1=1', "\\' OR 1=1 #", '%', '_'];
  const PROBES: Array<{ path: (v: string) => string; token: 'admin' | 'auditor'; rows: (body: Json) => unknown[] }> = [
    { path: (v) => `/api/v1/incidents?q=${encodeURIComponent(v)}`, token: 'auditor', rows: (b) => b.items },
    { path: (v) => `/api/v1/incidents?center=${encodeURIComponent(v)}`, token: 'auditor', rows: (b) => b.items },
    { path: (v) => `/api/v1/lines?center=${encodeURIComponent(v)}`, token: 'auditor', rows: (b) => b.items },
    { path: (v) => `/api/v1/changes?target=${encodeURIComponent(v)}`, token: 'auditor', rows: (b) => b.items },
    { path: (v) => `/api/v1/audit/workflows?key=${encodeURIComponent(v)}`, token: 'auditor', rows: (b) => b.items },
    { path: (v) => `/api/v1/audit/workflows?type=${encodeURIComponent(v)}`, token: 'auditor', rows: (b) => b.items },
    { path: (v) => `/api/v1/audit/log?actor=${encodeURIComponent(v)}`, token: 'auditor', rows: (b) => b.items },
    { path: (v) => `/api/v1/incidents/${encodeURIComponent(`INC-000001${v}`)}`, token: 'auditor', rows: () => [] },
    { path: (v) => `/api/v1/incidents?status=${encodeURIComponent(`OPEN${v}`)}`, token: 'auditor', rows: (b) => b.items },
  ];

  it('answer 200 with no row, or 400 — never a 500, never every row', async () => {
    const results: string[] = [];
    for (const probe of PROBES) {
      for (const value of INJECTIONS) {
        const res = await h.call('get', probe.path(value), { token: h.tokens[probe.token] });
        const rows = res.status === 200 ? probe.rows(res.body) : [];
        if (!(res.status === 400 || (res.status === 200 && rows.length === 0))) results.push(`${probe.path(value)} → ${res.status}, ${rows.length} row(s)`);
        if (res.status === 400) expect(res.body.error.code).toBe('VALIDATION');
      }
    }
    expect(results).toEqual([]);
    // The tables are still there and still hold what they held.
    const { rows } = await h.pool.query('SELECT count(*)::int AS n FROM incidents');
    expect(rows[0].n).toBe(2);
  });

  it('the same filters still find what they should (the probes above are not vacuous)', async () => {
    const found = await h.call('get', `/api/v1/incidents?q=${encodeURIComponent('교환기')}`, { token: h.tokens.auditor });
    expect(found.body.total).toBe(1);
    const archived = await h.call('get', '/api/v1/audit/workflows?key=INC-900001', { token: h.tokens.auditor });
    expect(archived.body.items).toHaveLength(1);
  });
});
