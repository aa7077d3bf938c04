import { Route, Routes } from 'react-router';
import { ChangeCalendarPage } from './calendar';
import { ChangePage } from './change';
import { ChangeListPage } from './list';
import { NewChangePage } from './new';
import './changes.css';

/** The changes pages (변경 관리): the list, the calendar of windows, the request form and each change. */
export default function ChangesArea() {
  return (
    <Routes>
      <Route index element={<ChangeListPage />} />
      <Route path="calendar" element={<ChangeCalendarPage />} />
      <Route path="new" element={<NewChangePage />} />
      <Route path=":id" element={<ChangePage />} />
    </Routes>
  );
}
