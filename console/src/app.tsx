import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, NavLink, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import type { OperationId } from './api/types';
import { useI18n } from './i18n';
import type { MessageKey } from './i18n/ko';
import { useCan, useMe } from './me';
import { IncidentPage } from './pages/incidents/incident';
import { NewIncidentPage } from './pages/incidents/new-incident';
import { QueuePage } from './pages/incidents/queue';
import { SignInPage } from './pages/sign-in';
import { session } from './session';
import { useLiveEvents } from './live';

// The queue is the home page and loads with the app; every other area is its own chunk, fetched when first opened.
const LinesArea = lazy(() => import('./pages/lines'));
const ChangesArea = lazy(() => import('./pages/changes'));
const ReviewsArea = lazy(() => import('./pages/reviews'));
const BillsArea = lazy(() => import('./pages/bills'));
const AuditArea = lazy(() => import('./pages/audit'));
const AdminArea = lazy(() => import('./pages/admin'));

/** The console's pages, each at a stable URL; everything but sign-in needs a token. */
export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/signin" element={<SignInPage />} />
        <Route path="/" element={<SignedIn page={<QueuePage />} />} />
        <Route path="/incidents/new" element={<SignedIn page={<NewIncidentPage />} />} />
        <Route path="/incidents/:id" element={<SignedIn page={<IncidentPage />} />} />
        <Route path="/lines/*" element={<SignedIn page={<LinesArea />} />} />
        <Route path="/changes/*" element={<SignedIn page={<ChangesArea />} />} />
        <Route path="/reviews/*" element={<SignedIn page={<ReviewsArea />} />} />
        <Route path="/bills/*" element={<SignedIn page={<BillsArea />} />} />
        <Route path="/audit/*" element={<SignedIn page={<AuditArea />} />} />
        <Route path="/admin/*" element={<SignedIn page={<AdminArea />} />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </BrowserRouter>
  );
}

function SignedIn({ page }: { page: ReactNode }) {
  const location = useLocation();
  const { t } = useI18n();
  // A link opened without a session comes back to where it pointed once signed in.
  if (!session.token()) return <Navigate to={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return (
    <>
      <Live />
      <Header />
      <Suspense fallback={<main>{t('loading')}</main>}>
        <KnowingWho>{page}</KnowingWho>
      </Suspense>
    </>
  );
}

/** The page once the role is known: until then every action would look refused (useCan is false while /me loads). */
function KnowingWho({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const me = useMe();
  if (me.isPending) return <main>{t('loading')}</main>;
  if (me.isError) return <main role="alert">{`${t('loadFailed')}: ${me.error.message}`}</main>;
  return children;
}

/** The event stream, while a signed-in page is shown. */
function Live() {
  useLiveEvents();
  return null;
}

/** The header's areas, each shown to the roles that may read it (the operation its first page calls). */
const AREAS: ReadonlyArray<{ to: string; label: MessageKey; reads: OperationId; end?: boolean }> = [
  { to: '/', label: 'navQueue', reads: 'getIncidents', end: true },
  { to: '/lines', label: 'navTitle_lines', reads: 'getLines' },
  { to: '/changes', label: 'navTitle_changes', reads: 'getChanges' },
  { to: '/reviews', label: 'navTitle_reviews', reads: 'getInspections' },
  { to: '/bills', label: 'navTitle_bills', reads: 'getBills' },
  { to: '/audit', label: 'navTitle_audit', reads: 'getAuditWorkflows' },
  // Settings: shown to those who keep any of them (an SPM keeps the contact roster), not to every reader.
  { to: '/admin', label: 'navTitle_admin', reads: 'postContacts' },
];

function Header() {
  const { t, toggle } = useI18n();
  const me = useMe().data;
  const can = useCan();
  const navigate = useNavigate();
  const queries = useQueryClient();
  return (
    <header className="top">
      <NavLink to="/" className="brand">
        {t('appName')}
      </NavLink>
      <nav aria-label={t('navMain')}>
        {AREAS.filter((a) => can(a.reads)).map((a) => (
          <NavLink key={a.to} to={a.to} end={a.end}>
            {t(a.label)}
          </NavLink>
        ))}
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
