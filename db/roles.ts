import { Client } from 'pg';

/**
 * Least privilege in Butler's database: two roles. The owner runs the migrations and owns every
 * table; the application role, which the API and the worker use, has only what they need. On the
 * evidence (the audit chain, the archived and exported workflow histories) that is INSERT and
 * SELECT: no UPDATE, DELETE, TRUNCATE, no trigger of its own, no ALTER or DROP (an owner's), no
 * table of its own to swap in (no CREATE). So an insider with the application's credentials cannot
 * rewrite the evidence; one with the owner's can, and the anchored chain (issue 17) finds it.
 */

/** The append-only tables: evidence an auditor relies on. */
export const EVIDENCE_TABLES = ['audit_log', 'audit_anchors', 'config_history', 'workflow_histories', 'workflow_history_exports'] as const;

/** The embedded default's application role; an external database names its own in DATABASE_URL. */
export const EMBEDDED_APP_ROLE = 'butler_app';

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const GRANT_LOCK = 0x67726e74; // "grnt"

/** The database's roles are not as Butler needs them: what is wrong, and what to do. */
export class DatabaseRoleError extends Error {
  override name = 'DatabaseRole';
}

export function roleOf(url: string): string {
  const role = decodeURIComponent(new URL(url).username);
  if (!ROLE_NAME.test(role)) throw new DatabaseRoleError(`database role "${role}" is not a plain lower-case PostgreSQL name`);
  return role;
}

/**
 * Run as the owner after the migrations: the application role may read and write the working
 * tables and sequences, only add to and read the evidence, only read the migrations' ledger, and
 * create nothing. Idempotent; tables a later migration adds are covered the next time it runs.
 * `password` creates the role when it is missing (the embedded default); otherwise it must exist.
 */
export async function grantApplicationRole(ownerUrl: string, appRole: string, password?: string): Promise<void> {
  if (!ROLE_NAME.test(appRole)) throw new DatabaseRoleError(`database role "${appRole}" is not a plain lower-case PostgreSQL name`);
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    const exists = (await owner.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [appRole])).rowCount === 1;
    if (!exists) {
      if (password === undefined) {
        throw new DatabaseRoleError(
          `the application role ${appRole} does not exist: create it (LOGIN, nothing else) and grant nothing; Butler grants what it needs`,
        );
      }
      // Roles belong to the cluster: a process starting beside this one may have created it a moment ago.
      await owner
        .query(`CREATE ROLE ${appRole} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${literal(password)}`)
        .catch((err: { code?: string }) => {
          // 42710 duplicate_object; 23505 when two CREATE ROLEs race on the catalog's unique index.
          if (err.code !== '42710' && err.code !== '23505') throw err;
        });
    }
    const evidence = EVIDENCE_TABLES.join(', ');
    // One grant run at a time: the API and the workers start together, and concurrent GRANTs on the
    // same objects fail ("tuple concurrently updated").
    await owner.query('BEGIN');
    try {
      await owner.query('SELECT pg_advisory_xact_lock($1)', [GRANT_LOCK]);
      // CONNECT and TEMPORARY come to every role through PUBLIC; CREATE on the database or a schema,
      // should anyone have granted it, excessPrivileges reports (only their owners may take it back).
      // Sequences: USAGE and SELECT (nextval, currval), not UPDATE, which would allow setval: a
      // sequence of the audit chain set to its end would stop every audited action.
      for (const statement of [
        `GRANT USAGE ON SCHEMA public TO ${appRole}`,
        `REVOKE CREATE ON SCHEMA public FROM ${appRole}`,
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${appRole}`,
        `REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM ${appRole}`,
        `REVOKE UPDATE, DELETE ON ${evidence} FROM ${appRole}`,
        `REVOKE INSERT, UPDATE, DELETE ON pgmigrations FROM ${appRole}`,
        `REVOKE UPDATE ON ALL SEQUENCES IN SCHEMA public FROM ${appRole}`,
        `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${appRole}`,
      ]) {
        await owner.query(statement);
      }
      await owner.query('COMMIT');
    } catch (err) {
      await owner.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    await owner.end();
  }
}

/**
 * What the role behind `appUrl` could do to the evidence that the application never needs; empty
 * when it has least privilege. Butler refuses to start when this is not empty.
 */
export async function excessPrivileges(appUrl: string): Promise<string[]> {
  const app = new Client({ connectionString: appUrl });
  await app.connect();
  try {
    const { rows } = await app.query<{ role: string; superuser: boolean; create_db: boolean; schemas: string[]; server_roles: string[] }>(
      `SELECT current_user AS role,
              -- A superuser it is, or can become with SET ROLE through a membership.
              EXISTS (SELECT 1 FROM pg_roles s WHERE s.rolsuper AND pg_has_role(current_user, s.oid, 'MEMBER')) AS superuser,
              has_database_privilege(current_database(), 'CREATE') AS create_db,
              -- Any schema it may create in (or owns): a table of its own there, ahead of public in the search path, would stand in for the evidence.
              coalesce(array_agg(n.nspname::text ORDER BY n.nspname) FILTER (WHERE has_schema_privilege(n.oid, 'CREATE') OR pg_has_role(current_user, n.nspowner, 'MEMBER')), '{}') AS schemas,
              ARRAY(SELECT b.rolname::text FROM pg_roles b WHERE b.rolname IN ('pg_write_server_files', 'pg_execute_server_program') AND pg_has_role(current_user, b.oid, 'MEMBER') ORDER BY 1) AS server_roles
         FROM pg_namespace n
        WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'`,
    );
    const me = rows[0]!;
    const problems: string[] = [];
    if (me.superuser) problems.push(`${me.role} is a superuser (or may become one)`);
    if (me.create_db) problems.push(`${me.role} may create schemas in the database`);
    for (const schema of me.schemas) problems.push(`${me.role} may create tables in schema ${schema}`);
    if (me.server_roles.length) problems.push(`${me.role} is a member of ${me.server_roles.join(' and ')}: it could write files or run programs on the server`);
    for (const table of EVIDENCE_TABLES) {
      const { rows: t } = await app.query<{ owner: boolean; privileges: string[] }>(
        `SELECT pg_has_role(current_user, c.relowner, 'MEMBER') AS owner,
                array_remove(ARRAY[
                  CASE WHEN has_table_privilege(c.oid, 'UPDATE') THEN 'UPDATE' END,
                  CASE WHEN has_table_privilege(c.oid, 'DELETE') THEN 'DELETE' END,
                  CASE WHEN has_table_privilege(c.oid, 'TRUNCATE') THEN 'TRUNCATE' END,
                  CASE WHEN has_table_privilege(c.oid, 'TRIGGER') THEN 'TRIGGER' END,
                  CASE WHEN has_table_privilege(c.oid, 'REFERENCES') THEN 'REFERENCES' END
                ], NULL) AS privileges
           FROM pg_class c WHERE c.oid = to_regclass($1)`,
        [`public.${table}`],
      );
      if (!t[0]) continue;
      if (t[0].owner) problems.push(`${me.role} owns ${table} (or may become its owner): it could alter or drop it and switch its triggers off`);
      else if (t[0].privileges.length) problems.push(`${me.role} may ${t[0].privileges.join(', ')} ${table}`);
    }
    const { rows: sequences } = await app.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND CASE WHEN c.relkind = 'S' THEN has_sequence_privilege(c.oid, 'UPDATE') ELSE false END ORDER BY 1`,
    );
    if (sequences.length) problems.push(`${me.role} may setval ${sequences.map((q) => q.name).join(', ')}`);
    return problems;
  } finally {
    await app.end();
  }
}

/** Refuses to go on with an application role that could change the evidence. */
export async function assertLeastPrivilege(appUrl: string): Promise<void> {
  const problems = await excessPrivileges(appUrl);
  if (problems.length) {
    throw new DatabaseRoleError(
      `refusing to run with more database privilege than Butler needs: ${problems.join('; ')}. ` +
        'Set DATABASE_OWNER_URL to the owner (it runs the migrations) and DATABASE_URL to an application role; see the README (Least privilege in the database)',
    );
  }
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
