import { OpenAPIRegistry, OpenApiGeneratorV3, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
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
      },
      responses: {
        [r.success.status]: {
          description: r.success.description ?? 'success',
          ...(r.success.schema ? { content: { 'application/json': { schema: r.success.schema } } } : {}),
          ...(r.success.contentType ? { content: { [r.success.contentType]: { schema: z.string().openapi({ format: 'binary' }) } } } : {}),
        },
        ...errors,
      },
    });
  }
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: { title: 'Butler API', version: '1', description: 'Operations orchestrator for managed contact-center services' },
    servers: [{ url: '/' }],
  });
}
