import { Route, Routes } from 'react-router';
import { InspectionPage } from './inspection';
import { KpisPage } from './kpis';
import { ReviewsHome } from './list';
import { QsrPage } from './qsr';
import { WhatIfPage } from './what-if';
import './reviews.css';

/** The reviews area: /reviews (inspections and QSRs), /reviews/inspections/:id, /reviews/qsr/:id, /reviews/kpis, /reviews/what-if. */
export default function ReviewsArea() {
  return (
    <Routes>
      <Route index element={<ReviewsHome />} />
      <Route path="inspections/:id" element={<InspectionPage />} />
      <Route path="qsr/:id" element={<QsrPage />} />
      <Route path="kpis" element={<KpisPage />} />
      <Route path="what-if" element={<WhatIfPage />} />
      <Route path="*" element={<ReviewsHome />} />
    </Routes>
  );
}
