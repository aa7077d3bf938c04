import type { admin as ko } from '../ko/admin';

/** English: the admin pages. */
export const admin: Record<keyof typeof ko, string> = {
  navTitle_admin: 'Admin',
};
