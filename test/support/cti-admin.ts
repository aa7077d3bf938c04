import type { CtiEmulator } from '../../emulators/cti/emulator';

/** Deletes a team on the CTI as an administrator would, outside Butler (the adapter has no such call). */
export async function deleteTeam(emulator: CtiEmulator, teamId: string): Promise<void> {
  const { clientId, clientSecret } = emulator.credentials;
  const token = await fetch(`${emulator.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  const { access_token } = (await token.json()) as { access_token: string };
  const res = await fetch(`${emulator.url}/api/v2/teams/${teamId}`, { method: 'DELETE', headers: { authorization: `Bearer ${access_token}` } });
  if (res.status >= 300) throw new Error(`deleting team ${teamId} on the CTI emulator answered ${res.status}`);
}
