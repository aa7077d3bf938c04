import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROLES, type TokenGrant } from '../domain/actor';
import type { Logger } from '../system/logger';

/**
 * The embedded default without BUTLER_TOKENS: one random token per role, kept
 * in the data folder (mode 600) so they stay the same across restarts.
 */
export function ensureDevTokens(dataDir: string, log: Logger): TokenGrant[] {
  const file = path.join(dataDir, 'dev-tokens.json');
  let grants: TokenGrant[];
  if (existsSync(file)) {
    grants = JSON.parse(readFileSync(file, 'utf8')) as TokenGrant[];
  } else {
    grants = ROLES.map((role) => ({ role, token: randomBytes(18).toString('base64url'), subject: `dev-${role}` }));
    writeFileSync(file, JSON.stringify(grants, null, 2), { mode: 0o600 });
  }
  log.warn(`BUTLER_TOKENS is not set: development tokens are in ${file} (e.g. Authorization: Bearer <the spm token>)`);
  return grants;
}
