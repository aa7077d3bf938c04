import { Route, Routes } from 'react-router';
import { useI18n } from '../../i18n';

/** The admin pages (placeholder until they are built). */
export default function AdminArea() {
  const { t } = useI18n();
  return (
    <Routes>
      <Route
        path="*"
        element={
          <main>
            <h1>{t('navTitle_admin')}</h1>
          </main>
        }
      />
    </Routes>
  );
}
