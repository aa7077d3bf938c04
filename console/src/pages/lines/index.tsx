import { Route, Routes } from 'react-router';
import { BatchPage } from './batch';
import { InventoryPage } from './inventory';
import { LinePage } from './line';
import { NewLinePage } from './new-line';
import './lines.css';

/** The lines area (회선): the inventory, a line, the provisioning form (single and batch), a batch. */
export default function LinesArea() {
  return (
    <Routes>
      <Route index element={<InventoryPage />} />
      <Route path="new" element={<NewLinePage />} />
      <Route path="batches/:id" element={<BatchPage />} />
      <Route path=":id" element={<LinePage />} />
    </Routes>
  );
}
