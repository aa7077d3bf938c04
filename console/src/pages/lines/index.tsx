import { Route, Routes } from 'react-router';
import { useI18n } from '../../i18n';

/** The lines pages (placeholder until they are built). */
export default function LinesArea() {
  const { t } = useI18n();
  return (
    <Routes>
      <Route
        path="*"
        element={
          <main>
            <h1>{t('navTitle_lines')}</h1>
          </main>
        }
      />
    </Routes>
  );
}
