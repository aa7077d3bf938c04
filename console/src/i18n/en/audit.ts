import type { audit as ko } from '../ko/audit';

/** English: the audit pages. */
export const audit: Record<keyof typeof ko, string> = {
  navTitle_audit: 'Audit',
};
