/**
 * Genesys `name` filters on queues and Architect objects: the whole name,
 * ignoring case, with `*` as a wildcard (`센터1*`, `*상담*`).
 */
export function nameFilter(value: unknown): (name: string) => boolean {
  if (typeof value !== 'string' || value === '') return () => true;
  const pattern = value
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${pattern}$`, 'su');
  return (name) => regex.test(name.toLowerCase());
}
