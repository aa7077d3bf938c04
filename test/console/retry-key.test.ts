import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import createClient from 'openapi-fetch';
import { retryKeys } from '../../console/src/api/retry-key';

/**
 * The console's POSTs carry an Idempotency-Key that a retry after an unsettled answer reuses
 * (console/src/api/retry-key.ts), over real HTTP: a local server answers each request with the
 * next status in its script and records the key it was sent.
 */

interface Paths {
  '/notes': {
    post: {
      requestBody: { content: { 'application/json': { text: string } } };
      responses: { 200: { content: { 'application/json': { ok: boolean } } } };
    };
  };
}

let server: Server;
let baseUrl = '';
const script: number[] = [];
const keys: Array<string | undefined> = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    keys.push(req.headers['idempotency-key'] as string | undefined);
    req.resume();
    const status = script.shift() ?? 200;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(status < 400 ? { ok: true } : { error: { code: 'X' } }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((done) => server.close(done)));
beforeEach(() => {
  script.length = 0;
  keys.length = 0;
});

const client = () => {
  let n = 0;
  const c = createClient<Paths>({ baseUrl });
  c.use(retryKeys(() => `key-${++n}`));
  return c;
};

test('a retry after a 503 carries the first attempt’s key; after the answer the same request is a new one', async () => {
  const api = client();
  script.push(503, 200, 200);
  expect((await api.POST('/notes', { body: { text: '재부팅 후 정상' } })).response.status).toBe(503);
  expect((await api.POST('/notes', { body: { text: '재부팅 후 정상' } })).response.status).toBe(200);
  expect((await api.POST('/notes', { body: { text: '재부팅 후 정상' } })).response.status).toBe(200);
  expect(keys).toEqual(['key-1', 'key-1', 'key-2']);
});

test('another body is another request; a refusal (4xx) settles it; a key the caller brings is kept', async () => {
  const api = client();
  script.push(503, 200, 400, 200);
  await api.POST('/notes', { body: { text: 'a' } });
  await api.POST('/notes', { body: { text: 'b' } });
  await api.POST('/notes', { body: { text: 'a' } });
  await api.POST('/notes', { body: { text: 'a' } });
  await api.POST('/notes', { body: { text: 'a' }, headers: { 'Idempotency-Key': 'form-7' } });
  expect(keys).toEqual(['key-1', 'key-2', 'key-1', 'key-3', 'form-7']);
});
