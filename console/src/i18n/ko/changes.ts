/** Korean: the changes pages. */
export const changes = {
  navTitle_changes: '변경',
} as const;
