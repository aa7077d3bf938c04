import type { Request } from 'express';
import { z } from 'zod';
import { badRequest } from './genesys-errors';
import { parseInput } from './validate';

/**
 * The two ways Genesys pages a listing: by page number (`pageSize`,
 * `pageNumber` → `total`, `pageCount`, `nextUri`…) and by cursor (teams:
 * `after`/`before` → `nextUri`/`previousUri` only).
 */

const pageQuery = z.object({
  pageSize: z.coerce.number().int().min(1).max(500).default(25),
  pageNumber: z.coerce.number().int().min(1).default(1),
});

export interface NumberedPage<T> {
  entities: T[];
  pageSize: number;
  pageNumber: number;
  total?: number;
  pageCount?: number;
  firstUri: string;
  selfUri: string;
  nextUri?: string;
  previousUri?: string;
  lastUri?: string;
}

export function numberedPage<R, T>(
  req: Request,
  items: readonly R[],
  view: (item: R) => T,
  options: { maxPageSize?: number; withTotals?: boolean } = {},
): NumberedPage<T> {
  const { pageSize, pageNumber } = parseInput(pageQuery, req.query, 'query');
  if (options.maxPageSize && pageSize > options.maxPageSize) throw badRequest(`pageSize must be at most ${options.maxPageSize}`);
  const pageCount = Math.max(1, Math.ceil(items.length / pageSize));
  const entities = items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map(view);
  const uri = (n: number) => withQuery(req, { pageSize: String(pageSize), pageNumber: String(n) });
  const page: NumberedPage<T> = { entities, pageSize, pageNumber, firstUri: uri(1), selfUri: uri(pageNumber) };
  if (options.withTotals !== false) Object.assign(page, { total: items.length, pageCount, lastUri: uri(pageCount) });
  if (pageNumber < pageCount) page.nextUri = uri(pageNumber + 1);
  if (pageNumber > 1) page.previousUri = uri(Math.min(pageNumber - 1, pageCount));
  return page;
}

const cursorQuery = z.object({
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  after: z.string().optional(),
  before: z.string().optional(),
});

export interface CursorPage<T> {
  entities: T[];
  selfUri: string;
  nextUri?: string;
  previousUri?: string;
}

/** Cursors are opaque to clients; here they encode the offset of the next/previous item. */
export function cursorPage<R, T>(req: Request, items: readonly R[], view: (item: R) => T): CursorPage<T> {
  const { pageSize, after, before } = parseInput(cursorQuery, req.query, 'query');
  const end = before !== undefined ? decodeCursor(before) : undefined;
  const start = after !== undefined ? decodeCursor(after) : end !== undefined ? Math.max(0, end - pageSize) : 0;
  const stop = Math.min(items.length, end ?? start + pageSize);
  const page: CursorPage<T> = {
    entities: items.slice(start, stop).map(view),
    selfUri: withQuery(req, {}),
  };
  if (stop < items.length) page.nextUri = withQuery(req, { pageSize: String(pageSize), after: encodeCursor(stop) }, ['before']);
  if (start > 0) page.previousUri = withQuery(req, { pageSize: String(pageSize), before: encodeCursor(start) }, ['after']);
  return page;
}

function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw badRequest('The paging cursor is not valid');
  return Number(match[1]);
}

/** The request's own URI (path + query) with some parameters replaced or dropped: Genesys' relative *Uri fields. */
function withQuery(req: Request, set: Record<string, string>, drop: string[] = []): string {
  const url = new URL(req.originalUrl, 'http://emulator');
  for (const [k, v] of Object.entries(set)) url.searchParams.set(k, v);
  for (const k of drop) url.searchParams.delete(k);
  return `${url.pathname}${url.search}`;
}
