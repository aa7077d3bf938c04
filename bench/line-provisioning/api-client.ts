/** Where the API listens, and the bearer token it accepts. */
export interface Api {
  baseUrl: string;
  token: string;
}

export type ApiCall = <T>(method: 'GET' | 'POST', p: string, body?: unknown, headers?: Record<string, string>) => Promise<T>;

/** An answer other than 2xx, with its status and the start of its body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A 2xx answer: its status (201, or 202 for work accepted before the worker confirmed it) and body. */
export interface ApiAnswer<T> {
  status: number;
  body: T;
}

export type ApiRequest = <T>(method: 'GET' | 'POST', p: string, body?: unknown, headers?: Record<string, string>) => Promise<ApiAnswer<T>>;

/** A JSON request to the API; a status other than 2xx throws an ApiError. */
export function apiRequest(api: Api): ApiRequest {
  return async <T>(method: 'GET' | 'POST', p: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer<T>> => {
    const res = await fetch(`${api.baseUrl}${p}`, {
      method,
      headers: { authorization: `Bearer ${api.token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new ApiError(res.status, `${method} ${p} → ${res.status} ${(await res.text()).slice(0, 300)}`);
    return { status: res.status, body: (await res.json()) as T };
  };
}

/** A JSON call to the API, its body only; a status other than 2xx throws an ApiError. */
export function apiCall(api: Api): ApiCall {
  const request = apiRequest(api);
  return async <T>(method: 'GET' | 'POST', p: string, body?: unknown, headers?: Record<string, string>): Promise<T> =>
    (await request<T>(method, p, body, headers)).body;
}

/** Lines per status in the inventory, as GET /lines counts them. */
export async function inventory(api: Api): Promise<string> {
  const counts: string[] = [];
  for (const status of ['PENDING_CONTRACT', 'INSTALLING', 'ACCEPTANCE', 'ACTIVE', 'FAILED']) {
    const res = await fetch(`${api.baseUrl}/api/v1/lines?status=${status}&limit=1`, { headers: { authorization: `Bearer ${api.token}` } });
    const { total } = (await res.json()) as { total: number };
    if (total > 0) counts.push(`${status} ${total}`);
  }
  return counts.join(', ') || 'empty';
}
