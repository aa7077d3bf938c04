import { Link, Navigate, Route, Routes } from 'react-router';
import type { OperationId } from '../../api/types';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { useCan } from '../../me';
import { ContactsPage } from './contacts';
import { HolidaysPage } from './holidays';
import { PolicyEditPage, SlaPage } from './sla';
import { TokensPage } from './tokens';
import './admin.css';

/** The admin pages: /admin, /admin/sla (and /admin/sla/P1/complex), /admin/holidays?year=, /admin/contacts, /admin/tokens. */
export default function AdminArea() {
  return (
    <Routes>
      <Route index element={<AdminIndex />} />
      <Route path="sla" element={<SlaPage />} />
      <Route path="sla/:severity/:complexity" element={<PolicyEditPage />} />
      <Route path="holidays" element={<HolidaysPage />} />
      <Route path="contacts" element={<ContactsPage />} />
      <Route path="tokens" element={<TokensPage />} />
      <Route path="*" element={<Navigate to="/admin" replace />} />
    </Routes>
  );
}

/** The area's pages, each shown to the roles that may read it (the operation it first calls). */
const PAGES: ReadonlyArray<{ to: string; title: MessageKey; intro: MessageKey; reads: OperationId }> = [
  { to: '/admin/sla', title: 'adm_sla', intro: 'adm_slaIntro', reads: 'getSlaPolicies' },
  { to: '/admin/holidays', title: 'adm_holidays', intro: 'adm_holidaysIntro', reads: 'getCalendarHolidays' },
  { to: '/admin/contacts', title: 'adm_contacts', intro: 'adm_contactsIntro', reads: 'getContacts' },
  { to: '/admin/tokens', title: 'adm_tokens', intro: 'adm_tokensIntro', reads: 'getTokens' },
];

function AdminIndex() {
  const { t } = useI18n();
  const can = useCan();
  return (
    <main>
      <h1>{t('navTitle_admin')}</h1>
      <p>{t('adm_indexIntro')}</p>
      <ul className="admin-index">
        {PAGES.filter((p) => can(p.reads)).map((p) => (
          <li key={p.to}>
            <Link to={p.to}>{t(p.title)}</Link>
            <p className="meta">{t(p.intro)}</p>
          </li>
        ))}
      </ul>
    </main>
  );
}
