import { useQuery } from '@tanstack/react-query';
import { api, data } from './api/client';
import type { Me, OperationId } from './api/types';

/** Who is signed in (GET /api/v1/me), cached for the session. */
export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: (): Promise<Me> => data(api.GET('/api/v1/me')), staleTime: Infinity });
}

/**
 * Whether the signed-in role may call an operation of the API (by its operationId, as /api/v1/me
 * lists them): the console shows an action only then. The server's route table decides; the server
 * still refuses what the role may not do.
 */
export function useCan(): (operation: OperationId) => boolean {
  const me = useMe().data;
  return (operation) => me?.operations.includes(operation) ?? false;
}
