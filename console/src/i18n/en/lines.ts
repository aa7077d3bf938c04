import type { lines as ko } from '../ko/lines';

/** English: the lines pages. */
export const lines: Record<keyof typeof ko, string> = {
  navTitle_lines: 'Lines',
};
