import { Route, Routes } from 'react-router';
import { BillPage } from './bill';
import { BillListPage } from './list';
import './bills.css';

/** The bill pages (통신 요금 청구서): the list and each bill with its findings, disputes and the SPM's actions. */
export default function BillsArea() {
  return (
    <Routes>
      <Route index element={<BillListPage />} />
      <Route path=":id" element={<BillPage />} />
    </Routes>
  );
}
