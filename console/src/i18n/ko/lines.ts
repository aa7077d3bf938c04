/** Korean: the lines pages. */
export const lines = {
  navTitle_lines: '회선',
} as const;
