import type { ReactNode } from 'react';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from './i18n';
import type { MessageKey } from './i18n/ko';
import { useMe } from './me';
import { IncidentPage } from './pages/incident';
import { QueuePage } from './pages/queue';
import { SignInPage } from './pages/sign-in';
import { session } from './session';
import { useLiveEvents } from './live';

/** The console's pages, each at a stable URL; everything but sign-in needs a token. */
export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/signin" element={<SignInPage />} />
        <Route
          path="/"
          element={
            <SignedIn>
              <QueuePage />
            </SignedIn>
          }
        />
        <Route
          path="/incidents/:id"
          element={
            <SignedIn>
              <IncidentPage />
            </SignedIn>
          }
        />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </BrowserRouter>
  );
}

function SignedIn({ children }: { children: ReactNode }) {
  const location = useLocation();
  // A link opened without a session comes back to where it pointed once signed in.
  if (!session.token()) return <Navigate to={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return (
    <>
      <Live />
      <Header />
      {children}
    </>
  );
}

/** The event stream, while a signed-in page is shown. */
function Live() {
  useLiveEvents();
  return null;
}

function Header() {
  const { t, toggle } = useI18n();
  const me = useMe().data;
  const navigate = useNavigate();
  const queries = useQueryClient();
  return (
    <header className="top">
      <Link to="/" className="brand">
        {t('appName')}
      </Link>
      <nav aria-label="main">
        <Link to="/">{t('navQueue')}</Link>
      </nav>
      <span className="who">{me ? `${me.id} · ${t(`role_${me.role}` as MessageKey)}` : ''}</span>
      <button type="button" onClick={toggle}>
        {t('language')}
      </button>
      <button
        type="button"
        onClick={() => {
          session.signOut();
          queries.clear();
          void navigate('/signin');
        }}
      >
        {t('signOut')}
      </button>
    </header>
  );
}
