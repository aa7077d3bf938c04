import { z } from 'zod';
import { fillZodCaches } from '../../domain/zod-caches';
import { sharedWorkflowModules } from '../../runtime/workflow-bundle';

/**
 * The workflow sandbox deep-freezes the modules all workflows share. A schema frozen as it is
 * throws at its first parse (zod writes its caches and a regex's lastIndex); one made ready by
 * fillZodCaches parses, and judges, exactly as before.
 */

function deepFreeze<T>(value: T, seen = new WeakSet<object>()): T {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value as object)) return value;
  seen.add(value as object);
  for (const key of Object.getOwnPropertyNames(value)) {
    try {
      deepFreeze((value as Record<string, unknown>)[key], seen);
    } catch {
      // as the sandbox: what cannot be frozen is left
    }
  }
  return Object.freeze(value);
}

const schema = () => {
  const Kind = z.enum(['P1', 'P2']);
  return {
    Request: z.object({
      kind: Kind,
      window: z.object({ from: z.string().regex(/^\d{2}:\d{2}$/), to: z.string().regex(/^\d{2}:\d{2}$/g) }),
      later: z.lazy(() => z.object({ note: z.string() })).optional(),
    }),
  };
};
const good = { kind: 'P1', window: { from: '09:00', to: '18:00' }, later: { note: '메모' } };

test('frozen as it is, a schema throws at its first parse', () => {
  const { Request } = deepFreeze(schema());
  expect(() => Request.parse(good)).toThrow(TypeError);
});

test('made ready, then frozen, it parses and refuses as before, time and again (a global regex included)', () => {
  const module = schema();
  expect(fillZodCaches([module])).toBeGreaterThanOrEqual(5);
  const { Request } = deepFreeze(module);
  for (let i = 0; i < 3; i++) expect(Request.parse(good)).toEqual(good);
  const bad = Request.safeParse({ kind: 'P9', window: { from: '9시', to: '18:00' }, later: { note: 1 } });
  expect(bad.success).toBe(false);
  expect(bad.error!.issues.map((issue) => issue.path.join('.'))).toEqual(['kind', 'window.from', 'later.note']);
});

test('the shared modules are zod, the domain modules the workflows import, and the workflows themselves (their entry, last)', () => {
  const shared = sharedWorkflowModules();
  expect(shared[0]).toBe('zod');
  expect(shared.at(-1)).toMatch(/\/workflows\/index\.ts$/);
  expect(shared.slice(1, -1).every((m) => /\/domain\/.+\.ts$/.test(m))).toBe(true);
  expect(shared).toEqual(
    expect.arrayContaining([expect.stringMatching(/\/domain\/incident\/contracts\.ts$/), expect.stringMatching(/\/domain\/sla\/clock\.ts$/)]),
  );
});
