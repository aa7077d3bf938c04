import { VendorTransientError } from '../vendor-errors';

/**
 * Kamailio's JSON-RPC (jsonrpcs over HTTP). Params are positional. Kamailio
 * answers a failed command with HTTP 500 and a JSON-RPC error; that arrives
 * here as a KamailioRpcFault so the caller can tell "no translation" from
 * "reload refused". An unreachable or non-answering Kamailio is transient.
 */

export type RpcParam = string | number;

export interface KamailioRpc {
  call(method: string, ...params: RpcParam[]): Promise<unknown>;
}

/** Kamailio ran the command and said no. */
export class KamailioRpcFault extends Error {
  override name = 'KamailioRpcFault';
  constructor(
    readonly method: string,
    readonly code: number,
    readonly reason: string,
  ) {
    super(`${method}: ${code} ${reason}`);
  }
}

interface RpcReply {
  result?: unknown;
  error?: { code?: number; message?: string };
}

export function createKamailioRpc(url: string, options: { timeoutMs?: number } = {}): KamailioRpc {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let nextId = 1;
  return {
    async call(method, ...params) {
      const id = nextId++;
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', method, params, id }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (cause) {
        throw new VendorTransientError('pbx', `Kamailio JSON-RPC unreachable at ${url} (${method})`, { cause });
      }
      const text = await res.text();
      const reply = parseReply(text);
      if (reply?.error) throw new KamailioRpcFault(method, reply.error.code ?? res.status, reply.error.message ?? 'error');
      if (!res.ok || !reply || !('result' in reply)) {
        throw new VendorTransientError('pbx', `Kamailio JSON-RPC ${method}: HTTP ${res.status}`, {
          status: res.status,
          cause: new Error(text.slice(0, 500)),
        });
      }
      return reply.result;
    },
  };
}

function parseReply(text: string): RpcReply | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as RpcReply) : undefined;
  } catch {
    return undefined;
  }
}
