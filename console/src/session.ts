/**
 * The signed-in token, for this browser tab's session only (sessionStorage): closing the tab signs
 * out. The role shown and the actions offered come from GET /api/v1/me; the server still refuses
 * whatever the role may not do.
 */
const KEY = 'butler.token';

export const session = {
  token(): string | null {
    return sessionStorage.getItem(KEY);
  },
  signIn(token: string): void {
    sessionStorage.setItem(KEY, token);
  },
  signOut(): void {
    sessionStorage.removeItem(KEY);
  },
  /** The server no longer takes the token (revoked, expired): sign out and come back here after signing in again. */
  expired(): void {
    sessionStorage.removeItem(KEY);
    window.location.assign(`/signin?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  },
};
