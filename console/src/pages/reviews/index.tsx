import { Route, Routes } from 'react-router';
import { useI18n } from '../../i18n';

/** The reviews pages (placeholder until they are built). */
export default function ReviewsArea() {
  const { t } = useI18n();
  return (
    <Routes>
      <Route
        path="*"
        element={
          <main>
            <h1>{t('navTitle_reviews')}</h1>
          </main>
        }
      />
    </Routes>
  );
}
