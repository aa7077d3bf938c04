import { Route, Routes } from 'react-router';
import { useI18n } from '../../i18n';

/** The audit pages (placeholder until they are built). */
export default function AuditArea() {
  const { t } = useI18n();
  return (
    <Routes>
      <Route
        path="*"
        element={
          <main>
            <h1>{t('navTitle_audit')}</h1>
          </main>
        }
      />
    </Routes>
  );
}
