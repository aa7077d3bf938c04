import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// The generator reads metadata through ZodType.prototype.openapi; schemas need no changes.
extendZodWithOpenApi(z);
import { IDEMPOTENCY_KEY_MAX, type AnyRoute } from './route';

const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown(),
  }),
});

const IdempotencyHeaders = z.object({
  'Idempotency-Key': z
    .string()
    .max(IDEMPOTENCY_KEY_MAX)
    .optional()
    .openapi({
      description:
        'A key of the client’s choosing, one per request: a retry with the same key and body gets the first answer and changes nothing again; ' +
        `the same key with another body (or, on an existing resource, another action) is 409 CONFLICT. Longer than ${IDEMPOTENCY_KEY_MAX} characters: ignored.`,
    }),
});

/** The OpenAPI 3 document, generated from the same route table and zod schemas the API validates with. */
export function openApiDocument(routes: readonly AnyRoute[]) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const r of routes) {
    const errors = {
      400: { description: 'VALIDATION: each bad field is named in details', content: { 'application/json': { schema: ErrorBody } } },
      401: { description: 'no or unknown bearer token', content: { 'application/json': { schema: ErrorBody } } },
      403: { description: `role not allowed (allowed: ${r.roles.join(', ')})`, content: { 'application/json': { schema: ErrorBody } } },
      404: { description: 'NOT_FOUND', content: { 'application/json': { schema: ErrorBody } } },
      409: { description: 'INVALID_TRANSITION or CONFLICT', content: { 'application/json': { schema: ErrorBody } } },
      ...(r.gone ? { 410: { description: `GONE: ${r.gone}`, content: { 'application/json': { schema: ErrorBody } } } } : {}),
    };
    registry.registerPath({
      operationId: operationIdOf(r.method, r.path),
      method: r.method,
      path: r.path.replace(/:([A-Za-z]+)/g, '{$1}'),
      summary: r.summary,
      tags: [r.tag],
      security: [{ [bearer.name]: [] }],
      request: {
        ...(r.params ? { params: r.params as z.AnyZodObject } : {}),
        ...(r.query ? { query: r.query as z.AnyZodObject } : {}),
        ...(r.idempotent ? { headers: IdempotencyHeaders } : {}),
        ...(r.body ? { body: { content: { [r.bodyContentType ?? 'application/json']: { schema: r.body } } } } : {}),
        ...(r.fileBody
          ? {
              body: {
                required: true,
                content: Object.fromEntries(r.fileBody.contentTypes.map((t) => [t, { schema: z.string().openapi({ format: 'binary' }) }])),
              },
            }
          : {}),
      },
      responses: {
        [r.success.status]: {
          description: r.success.description ?? 'success',
          ...(r.success.schema ? { content: { 'application/json': { schema: r.success.schema } } } : {}),
          ...(r.success.contentType ? { content: { [r.success.contentType]: { schema: z.string().openapi({ format: 'binary' }) } } } : {}),
        },
        ...(r.accepted
          ? {
              202: {
                description: r.accepted,
                headers: { Location: { description: 'where to follow it', schema: { type: 'string' } } },
                ...(r.success.schema ? { content: { 'application/json': { schema: r.success.schema } } } : {}),
              },
            }
          : {}),
        ...errors,
      },
    });
  }
  // OpenAPI 3.1: a nullable field is a JSON Schema type union, which linters and client generators read as meant.
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Butler API',
      version: '1',
      description: 'Operations orchestrator for managed contact-center services',
      license: { name: 'Proprietary (UNLICENSED)', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/' }],
  });
}

/**
 * The operation's stable name, from its method and path: `post /api/v1/incidents/:id/assign` is
 * `postIncidentsByIdAssign`. What the console's generated client calls it; a path change renames it.
 */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v\d+\//, '')
    .split('/')
    .flatMap((segment) => (segment.startsWith(':') ? ['by', segment.slice(1)] : segment.split(/[^A-Za-z0-9]+/)))
    .filter((w) => w !== '');
  return method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}
