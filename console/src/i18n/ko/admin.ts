/** Korean: the admin pages. */
export const admin = {
  navTitle_admin: '관리',
} as const;
