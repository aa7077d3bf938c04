import { answered } from './audit-trail';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { ValidationError } from '../domain/errors';
import { type Actor, type Role, ROLES } from '../domain/actor';
import { requireRole } from './auth';

/**
 * A route is data: its method, path, who may call it, the schemas of what it
 * takes and a handler. Express routes, the OpenAPI document and the
 * authorization matrix test are all generated from the same list.
 */
export interface RouteSpec<B = unknown, Q = unknown, P = unknown> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express-style path, e.g. /api/v1/incidents/:id */
  path: string;
  summary: string;
  tag: string;
  roles: readonly Role[];
  body?: z.ZodType<B, z.ZodTypeDef, unknown>;
  /** The body's media type when it is not JSON (e.g. text/csv). */
  bodyContentType?: string;
  /**
   * The body is a file taken as bytes (app.ts gives the path a raw parser for these media types):
   * the handler gets a non-empty Buffer, and the document shows a binary body of each type.
   */
  fileBody?: { contentTypes: readonly string[] };
  query?: z.ZodType<Q, z.ZodTypeDef, unknown>;
  params?: z.ZodType<P, z.ZodTypeDef, unknown>;
  /** The success status and, for the document, the response schema. */
  success: { status: number; schema?: z.ZodTypeAny; description?: string; contentType?: string };
  /**
   * The route may answer 202 instead: Temporal holds the work durably but the worker has not
   * confirmed it within the request's budget. The handler returns an `Accepted` (success's schema,
   * a Location to follow); the document shows the 202 with this description.
   */
  accepted?: string;
  /**
   * The route honours `Idempotency-Key`: a retry with the same key and request gets the first
   * answer. The handler receives the key; the OpenAPI document shows the header.
   */
  idempotent?: true;
  /** The route answers 410 GONE in this case (e.g. a secret already handed out); shown in the OpenAPI document. */
  gone?: string;
  handle(input: { body: B; query: Q; params: P; actor: Actor; req: Request; res: Response; idempotencyKey: string | undefined }): Promise<unknown>;
}

// Handlers of all shapes live in one list; each is type-checked where it is defined.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any>;

/** A handler's answer when the work is durably accepted but not confirmed yet (see RouteSpec.accepted): 202, Location. */
export class Accepted<T> {
  constructor(
    readonly body: T,
    /** Where the caller follows the work. */
    readonly location: string,
  ) {}
}

export function route<B = undefined, Q = undefined, P = undefined>(spec: RouteSpec<B, Q, P>): RouteSpec<B, Q, P> {
  return spec;
}

/** The most characters of an `Idempotency-Key` honoured; a longer one is ignored. */
export const IDEMPOTENCY_KEY_MAX = 200;

/** The request's `Idempotency-Key` header, when it has a usable one. */
function idempotencyKey(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  return key && key.length <= IDEMPOTENCY_KEY_MAX ? key : undefined;
}

export const ALL_ROLES: readonly Role[] = ROLES;

export function mount(router: Router, routes: readonly AnyRoute[]): void {
  for (const spec of routes) {
    router[spec.method](spec.path, requireRole(spec.roles), async (req, res) => {
      const body = spec.fileBody ? fileBody(spec.fileBody.contentTypes, req.body) : parse(spec.body, req.body ?? {}, '');
      const query = parse(spec.query, req.query, 'query');
      const params = parse(spec.params, req.params, 'params');
      const key = spec.idempotent ? idempotencyKey(req) : undefined;
      const result = await spec.handle({ body, query, params, actor: req.actor!, req, res, idempotencyKey: key });
      if (answered(res)) return;
      if (result instanceof Accepted) res.status(202).location(result.location).json(result.body);
      else if (spec.success.status === 204) res.status(204).end();
      else res.status(spec.success.status).json(result);
    });
  }
}

function fileBody(contentTypes: readonly string[], body: unknown): Buffer {
  if (Buffer.isBuffer(body) && body.length > 0) return body;
  throw new ValidationError([{ path: '(body)', message: `send the file as the request body with Content-Type ${contentTypes.join(' or ')}` }]);
}

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const at = (path: ReadonlyArray<string | number>) => [where, ...path].filter((p) => p !== '').join('.') || '(body)';
  const nul = pathsWithNul(value, []);
  if (nul.length) throw new ValidationError(nul.map((p) => ({ path: at(p), message: 'must not contain the NUL character (U+0000)' })));
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.flatMap((i) =>
      // zod reports unknown keys as one issue on the enclosing object; name each key as the bad field.
      i.code === z.ZodIssueCode.unrecognized_keys
        ? i.keys.map((key) => ({ path: at([...i.path, key]), message: 'unknown field' }))
        : [{ path: at(i.path), message: i.message }],
    ),
  );
}

/**
 * PostgreSQL text cannot hold U+0000: such a value would fail in the database (a 500) or, for an
 * incident, in its projection activity, retried forever. Refused here, where the field can be named.
 */
function pathsWithNul(value: unknown, path: Array<string | number>): Array<Array<string | number>> {
  // Walked with a stack of its own, not recursion: a body of a few KB can nest thousands deep
  // (100 KB of `[`), which would overflow the call stack (a 500). Paths are kept as parent links
  // and spelled out only for a hit, so a deep body costs linear time.
  type Node = { value: unknown; key?: string | number; parent?: Node };
  const found: Array<Array<string | number>> = [];
  const stack: Node[] = [{ value }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const v = node.value;
    if (typeof v === 'string') {
      if (!v.includes('\u0000')) continue;
      const at: Array<string | number> = [];
      for (let n: Node | undefined = node; n?.parent; n = n.parent) at.unshift(n.key!);
      found.push([...path, ...at]);
    } else if (v && typeof v === 'object') {
      const children: Array<[string | number, unknown]> = Array.isArray(v) ? v.map((c, i) => [i, c]) : Object.entries(v);
      for (let i = children.length - 1; i >= 0; i--) stack.push({ value: children[i]![1], key: children[i]![0], parent: node });
    }
  }
  return found;
}
