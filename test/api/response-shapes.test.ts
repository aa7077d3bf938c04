import { IncidentListItem, IncidentView } from '../../domain/incident/view';
import { incidentBody, useHarness } from './harness';

/** What the API answers is what its OpenAPI document promises: both come from the same zod schemas. */
const h = useHarness();

test('incident answers match IncidentView and list rows match IncidentListItem, field for field', async () => {
  const opened = await h.call('post', '/api/v1/incidents', { token: h.tokens.spm, body: incidentBody({ severity: 'P3' }) });
  expect(opened.status).toBe(201);
  expect(IncidentView.strict().parse(opened.body)).toEqual(opened.body);

  const assigned = await h.call('post', `/api/v1/incidents/${opened.body.id}/assign`, { token: h.tokens.spm, body: { assignee: 'lee' } });
  expect(IncidentView.strict().parse(assigned.body)).toEqual(assigned.body);

  const explained = await h.call('get', `/api/v1/incidents/${opened.body.id}?explain=true`, { token: h.tokens.auditor });
  expect(IncidentView.strict().parse(explained.body)).toEqual(explained.body);
  expect(explained.body.sla.explanation.length).toBeGreaterThan(0);

  const list = await h.call('get', '/api/v1/incidents', { token: h.tokens.auditor });
  expect(list.body.items).toHaveLength(1);
  expect(IncidentListItem.strict().parse(list.body.items[0])).toEqual(list.body.items[0]);
  expect(list.body.items[0].sla).toEqual({
    clock: 'business',
    breached: false,
    warnings: [],
    responseDueAt: null,
    restoreDueAt: expect.any(String),
    paused: false,
  });
});

test('the OpenAPI document carries the response schemas', async () => {
  const doc = (await h.call('get', '/openapi.json')).body;
  const get = doc.paths['/api/v1/incidents/{id}'].get.responses['200'].content['application/json'].schema;
  expect(Object.keys(get.properties)).toEqual(expect.arrayContaining(['id', 'status', 'level', 'assignee', 'sla', 'timeline']));
  expect(Object.keys(get.properties.sla.properties)).toEqual(
    expect.arrayContaining(['clock', 'responseDueAt', 'restoreDueAt', 'paused', 'breached', 'warnings']),
  );
  const post = doc.paths['/api/v1/incidents'].post.responses['201'].content['application/json'].schema;
  expect(post.required).toEqual(expect.arrayContaining(['id', 'status', 'level', 'sla']));
});

test('the OpenAPI document says where readings and acceptance records came from: source "vendor" or "simulated"', async () => {
  const doc = (await h.call('get', '/openapi.json')).body;
  const line = doc.paths['/api/v1/lines/{id}'].get.responses['200'].content['application/json'].schema;
  expect(line.properties.acceptance.properties.source.enum).toEqual(['vendor', 'simulated']);
  const readings = doc.paths['/api/v1/inspections/{id}/readings'].get.responses['200'].content['application/json'].schema;
  expect(readings.properties.items.items.properties.source).toMatchObject({ enum: ['vendor', 'simulated'], description: expect.stringContaining('simulated') });
  expect(readings.properties.items.items.required).toEqual(expect.arrayContaining(['source', 'measuredBy']));
  expect(readings.properties.simulated.type).toBe('boolean');
});
