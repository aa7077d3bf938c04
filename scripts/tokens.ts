/**
 * Issues, lists and revokes the API tokens kept (hashed) in PostgreSQL. Uses
 * DATABASE_URL, or the embedded PostgreSQL of a Butler running from this folder:
 *   npm run tokens -- issue --name <holder> --role <role> --by <admin>
 *   npm run tokens -- list
 *   npm run tokens -- revoke <tok_id> --by <admin>
 * Exit codes: 0 done, 1 failed (unknown id, database), 2 bad input.
 */
import type { AuditSigner } from '../domain/audit/seal';
import { auditSignerFor } from '../runtime/audit-signer';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createPool } from '../system/postgres';
import type { Pool } from 'pg';
import { IssueTokenInput, issueToken, listTokens, revokeToken, RevokeTokenInput, type ApiToken } from '../db/tokens.repo';
import { ConfigError, loadConfig } from '../runtime/config';
import { embeddedDatabaseUrl } from '../runtime/embedded-postgres';

const USAGE = `usage:
  npm run tokens -- issue --name <holder> --role <admin|spm|engineer|auditor|automation> --by <admin>
  npm run tokens -- list
  npm run tokens -- revoke <tok_id> --by <admin>`;

class UsageError extends Error {}

type Command = { run: 'issue'; input: IssueTokenInput } | { run: 'list' } | { run: 'revoke'; input: RevokeTokenInput };

function parseCommand(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { name: { type: 'string' }, role: { type: 'string' }, by: { type: 'string' } },
    });
  } catch (err) {
    // Node's own message, without its advice on `--`, which does not apply here.
    throw new UsageError(`${(err instanceof Error ? err.message : String(err)).split('. ')[0]} (npm run tokens -- help)`);
  }
  const [command, ...rest] = parsed.positionals;
  const positionals = command === 'revoke' ? 1 : 0;
  if (rest.length > positionals) throw new UsageError(`unexpected argument "${rest[positionals]}" (npm run tokens -- help)`);
  switch (command) {
    case 'issue':
      return { run: 'issue', input: validate(IssueTokenInput, parsed.values) };
    case 'list':
      return { run: 'list', ...validate(z.object({}).strict(), parsed.values) };
    case 'revoke':
      return { run: 'revoke', input: validate(RevokeTokenInput, { ...parsed.values, id: rest[0] }) };
    default:
      throw new UsageError(`${command ? `unknown command "${command}"` : 'a command is required'}: issue, list or revoke (npm run tokens -- help)`);
  }
}

/** The value, or a UsageError naming each bad argument as it is typed (`--role`, `<tok_id>`). */
function validate<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const arg = (key: unknown) => (key === 'id' ? '<tok_id>' : `--${String(key)}`);
  const lines = result.error.issues.flatMap((i) =>
    i.code === z.ZodIssueCode.unrecognized_keys ? i.keys.map((k) => `${arg(k)}: not an option of this command`) : [`${arg(i.path[0])}: ${i.message}`],
  );
  throw new UsageError(lines.join('; '));
}

async function run(command: Command, pool: Pool, signer: () => AuditSigner): Promise<number> {
  switch (command.run) {
    case 'issue': {
      const { token, record } = await issueToken(pool, signer(), command.input);
      process.stdout.write(`${token}\n`);
      process.stderr.write(
        `issued ${record.id} (${record.role}) to "${record.name}": the token above is shown once and cannot be read back; keep it in a secret store\n`,
      );
      return 0;
    }
    case 'list':
      process.stdout.write(table(await listTokens(pool)));
      return 0;
    case 'revoke': {
      const { record, changed } = await revokeToken(pool, signer(), command.input);
      const what = changed ? 'revoked' : `already revoked at ${record.revokedAt} by ${record.revokedBy}; nothing changed for`;
      process.stderr.write(`${what} ${record.id} (${record.role}, "${record.name}")\n`);
      return 0;
    }
  }
}

function table(tokens: ApiToken[]): string {
  const rows = [
    ['ID', 'NAME', 'ROLE', 'CREATED', 'LAST USED', 'REVOKED'],
    ...tokens.map((t) => [
      t.id,
      t.name,
      t.role,
      `${t.createdAt} by ${t.createdBy}`,
      t.lastUsedAt ?? '-',
      t.revokedAt ? `${t.revokedAt} by ${t.revokedBy}` : '-',
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map(
      (r) =>
        r
          .map((cell, c) => cell.padEnd(widths[c]!))
          .join('  ')
          .trimEnd() + '\n',
    )
    .join('');
}

/** One line a person can act on: where the database is, not its password. */
function describe(err: unknown, url: string): string {
  const e = err as { code?: string; message?: string };
  const where = (() => {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  })();
  if (e?.code === 'ECONNREFUSED' || e?.code === 'ENOTFOUND')
    return `PostgreSQL at ${where} did not answer (set DATABASE_URL, or start Butler for its embedded database)`;
  if (e?.code === '42P01') return `no api_tokens table in ${where}: start Butler once so it applies its migrations`;
  return e?.message ?? String(err);
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'help' || argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const command = parseCommand(argv);
  const config = loadConfig();
  const url = config.database.url ?? embeddedDatabaseUrl(config.database.embeddedPort);
  const pool = createPool(url, 1);
  try {
    // Issuing and revoking are audited, sealed with the audit key; listing needs none.
    return await run(command, pool, () => auditSignerFor(config, { create: false }));
  } catch (err) {
    throw Object.assign(new Error(describe(err, url)), { cause: err });
  } finally {
    await pool.end();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`tokens: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof UsageError || err instanceof ConfigError ? 2 : 1);
  },
);
