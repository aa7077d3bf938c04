import type { CtiEmulator } from '../../emulators/cti/emulator';

/** An administrator's access token on the CTI emulator (client credentials), for calls the adapter does not make. */
export async function ctiAdminToken(emulator: CtiEmulator): Promise<string> {
  const { clientId, clientSecret } = emulator.credentials;
  const token = await fetch(`${emulator.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  return ((await token.json()) as { access_token: string }).access_token;
}

/** Deletes a team on the CTI as an administrator would, outside Butler (the adapter has no such call). */
export async function deleteTeam(emulator: CtiEmulator, teamId: string): Promise<void> {
  const res = await fetch(`${emulator.url}/api/v2/teams/${teamId}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${await ctiAdminToken(emulator)}` },
  });
  if (res.status >= 300) throw new Error(`deleting team ${teamId} on the CTI emulator answered ${res.status}`);
}
