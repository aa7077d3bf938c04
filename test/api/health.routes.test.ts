import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useHarness } from './harness';
import type { Json } from '../support/json';

const h = useHarness({ failOnLoggedErrors: false });

describe('health', () => {
  it('GET /healthz answers 200 without a token', async () => {
    const res = await h.call('get', '/healthz');
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('GET /readyz answers 200 when PostgreSQL and Temporal both answer', async () => {
    const res = await h.call('get', '/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: { postgres: 'ok', temporal: 'ok' }, details: { deadLetters: 0 } });
  });
});

describe('GET /openapi.json', () => {
  let doc: Json;
  beforeAll(async () => {
    const res = await h.call('get', '/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body;
  });

  it('documents every route of apiRoutes, :param written {param}, with the bearer scheme', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    expect(h.routes.length).toBeGreaterThan(15);
    for (const r of h.routes) {
      const path = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
      const op = doc.paths[path]?.[r.method];
      expect({ route: `${r.method} ${path}`, documented: Boolean(op) }).toEqual({ route: `${r.method} ${path}`, documented: true });
      expect(op.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining([String(r.success.status), '400', '401', '403']));
    }
  });

  it('passes the Redocly linter on its recommended rules: no error, no warning; every operation has its own operationId', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'butler-openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      const run = spawnSync(path.resolve('node_modules/.bin/redocly'), ['lint', file, '--config', path.resolve('redocly.yaml'), '--format=json'], {
        encoding: 'utf8',
        timeout: 60_000,
        // No telemetry or update check: this machine has no network beyond the registries.
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      });
      const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as {
        totals: { errors: number; warnings: number };
        problems: Array<{ ruleId: string; message: string }>;
      };
      expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const ids = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap((ops) =>
      Object.values(ops).map((op) => op.operationId),
    );
    expect(ids).toHaveLength(h.routes.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/api/v1/incidents/{id}/assign'].post.operationId).toBe('postIncidentsByIdAssign');
  });

  it('documents nothing that is not a route', () => {
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    const routes = h.routes.map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`);
    expect(documented.sort()).toEqual(routes.sort());
  });

  it('describes request bodies from the same zod schemas the API validates with', () => {
    const open = doc.paths['/api/v1/incidents'].post.requestBody.content['application/json'].schema;
    expect(open.required.sort()).toEqual(['complexity', 'description', 'severity', 'source', 'system', 'title']);
    expect(open.properties.severity.enum).toEqual(['P1', 'P2', 'P3', 'P4']);
    expect(open.additionalProperties).toBe(false);
    const byId = doc.paths['/api/v1/incidents/{id}'].get.parameters.find((p: { name: string }) => p.name === 'id');
    expect(byId).toMatchObject({ in: 'path', required: true, schema: { pattern: '^INC-\\d{6,}$' } });
  });
});
