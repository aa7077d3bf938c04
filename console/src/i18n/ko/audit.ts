/** Korean: the audit pages. */
export const audit = {
  navTitle_audit: '감사',
} as const;
