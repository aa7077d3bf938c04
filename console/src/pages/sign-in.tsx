import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { session } from '../session';

/** Sign-in: an API token, checked against GET /api/v1/me before it is kept for the session. */
export function SignInPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { response } = await api.GET('/api/v1/me', { headers: { Authorization: `Bearer ${token.trim()}` } });
    if (!response.ok) {
      setError(t('badToken'));
      return;
    }
    session.signIn(token.trim());
    queries.clear();
    void navigate(nextPage(new URLSearchParams(window.location.search).get('next')), { replace: true });
  }

  return (
    <main className="sign-in">
      <h1>{t('appName')}</h1>
      <form onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">{t('signInTitle')}</h2>
        <label htmlFor="token">{t('tokenLabel')}</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          required
          aria-describedby="token-hint"
        />
        <p id="token-hint" className="hint">
          {t('tokenHint')}
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit">{t('signIn')}</button>
      </form>
    </main>
  );
}

/** Where to go after signing in: a page of this console only (a path, never another site). */
function nextPage(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}
