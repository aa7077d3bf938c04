import { useSearchParams } from 'react-router';

/** The offset of a list page from its URL; what the API would refuse (a negative or broken number) is dropped. */
export function offsetOf(params: URLSearchParams): number {
  return Math.max(0, Math.floor(Number(params.get('offset') ?? 0))) || 0;
}

/**
 * A page's state kept in its URL (filters, the page of a list, a tab), so a link or Back shows the
 * same thing: read a parameter, set or clear one, move to another page of the list.
 */
export function useUrlState() {
  const [params, setParams] = useSearchParams();
  // From the URL as it is now (not as last rendered), so two changes in a row both land; typing replaces
  // the entry, choosing adds one (Back undoes it). Any change but the page's goes back to the first page.
  const set = (key: string, value: string, { replace = false } = {}) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        if (key !== 'offset') next.delete('offset');
        return next;
      },
      { replace },
    );
  return {
    params,
    /** A parameter's value, '' (or the fallback) when absent. */
    get: (key: string, fallback = '') => params.get(key) ?? fallback,
    set,
    offset: offsetOf(params),
    /** Shows the page of the list starting at `offset` (the first page has none in the URL). */
    setOffset: (offset: number) => set('offset', offset ? String(offset) : ''),
  };
}
