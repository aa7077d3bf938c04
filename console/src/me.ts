import { useQuery } from '@tanstack/react-query';
import { api, data } from './api/client';
import type { Me } from './api/types';

/** Who is signed in (GET /api/v1/me), cached for the session. */
export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: (): Promise<Me> => data(api.GET('/api/v1/me')), staleTime: Infinity });
}

/** The roles that may move incidents (the server's own list decides; this only hides buttons that would be refused). */
export const INCIDENT_OPERATORS: ReadonlyArray<Me['role']> = ['admin', 'spm', 'engineer', 'automation'];
