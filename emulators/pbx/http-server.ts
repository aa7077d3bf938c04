import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ZodError } from 'zod';
import { pbxFaultsSchema, type PbxFaultInjector } from './faults';
import { KAMAILIO_FAULTS, RpcFault } from './rpc-fault';
import type { RpcHandler } from './rpc-methods';

/**
 * The PBX SIMULATOR's HTTP side: JSON-RPC 2.0 at POST /RPC (the path
 * Kamailio's xhttp route answers), and its own control surface at
 * /__simulator/faults (GET, POST to replace, DELETE to clear; never part of
 * Kamailio, no authentication, so bind to loopback). Every response carries
 * `X-Butler-Simulator: pbx`.
 */

export interface SimulatorHttpDeps {
  methods: ReadonlyMap<string, RpcHandler>;
  faults: PbxFaultInjector;
  warn(line: string): void;
}

export interface SimulatorHttp {
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;

interface RpcRequest {
  method: string;
  params: unknown[];
  /** Absent in the request: absent in the answer, as Kamailio does. */
  id?: unknown;
}

export async function startSimulatorHttp(host: string, port: number, deps: SimulatorHttpDeps): Promise<SimulatorHttp> {
  const server = http.createServer((req, res) => {
    res.setHeader('X-Butler-Simulator', 'pbx');
    handle(req, res, deps).catch((err: unknown) => {
      deps.warn(`PBX SIMULATOR: ${req.method} ${req.url} failed: ${(err as Error).message}`);
      if (!res.headersSent) send(res, 500, { error: 'internal error of the PBX SIMULATOR' });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, deps: SimulatorHttpDeps): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!;
  if (path === '/__simulator/faults') return controlFaults(req, res, deps.faults);
  if (req.method !== 'POST' || !path.startsWith('/RPC')) return send(res, 404);

  const request = parseRequest(await readBody(req));
  if ('invalid' in request) return send(res, 400, { jsonrpc: '2.0', error: request.invalid, id: null });
  const answer = (status: number, body: { result: unknown } | { error: { code: number; message: string } }) =>
    send(res, status, { jsonrpc: '2.0', ...body, ...('id' in request ? { id: request.id } : {}) });

  const injected = deps.faults.takeRpcFailure(request.method);
  if (injected) return answer(500, { error: injected });
  const handler = deps.methods.get(request.method);
  if (!handler) return answer(500, { error: { code: 500, message: KAMAILIO_FAULTS.methodNotFound } });
  try {
    return answer(200, { result: await handler(request.params) });
  } catch (err) {
    if (!(err instanceof RpcFault)) throw err;
    return answer(500, { error: { code: err.code, message: err.message } });
  }
}

function parseRequest(body: string): RpcRequest | { invalid: { code: number; message: string } } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { invalid: { code: -32700, message: 'Parse error' } };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { invalid: { code: -32600, message: 'Invalid Request' } };
  const { method, params, id } = parsed as Record<string, unknown>;
  if (typeof method !== 'string') return { invalid: { code: -32600, message: 'Invalid Request' } };
  const positional = Array.isArray(params) ? params : [];
  return 'id' in parsed ? { method, params: positional, id } : { method, params: positional };
}

async function controlFaults(req: http.IncomingMessage, res: http.ServerResponse, faults: PbxFaultInjector): Promise<void> {
  if (req.method === 'GET') return send(res, 200, faults.current());
  if (req.method === 'DELETE') {
    faults.reset();
    return send(res, 204);
  }
  if (req.method !== 'POST') return send(res, 405);
  try {
    return send(res, 200, faults.set(pbxFaultsSchema.parse(JSON.parse(await readBody(req)))));
  } catch (err) {
    if (err instanceof SyntaxError) return send(res, 400, { error: 'the body is not JSON' });
    if (err instanceof ZodError) return send(res, 400, { error: 'not a fault description', issues: err.issues });
    throw err;
  }
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: http.ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
