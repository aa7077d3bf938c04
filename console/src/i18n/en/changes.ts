import type { changes as ko } from '../ko/changes';

/** English: the changes pages. */
export const changes: Record<keyof typeof ko, string> = {
  navTitle_changes: 'Changes',
};
