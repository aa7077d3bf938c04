import { Route, Routes } from 'react-router';
import { useI18n } from '../../i18n';

/** The changes pages (placeholder until they are built). */
export default function ChangesArea() {
  const { t } = useI18n();
  return (
    <Routes>
      <Route
        path="*"
        element={
          <main>
            <h1>{t('navTitle_changes')}</h1>
          </main>
        }
      />
    </Routes>
  );
}
