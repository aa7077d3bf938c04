import { z } from 'zod';

/**
 * A string check's pattern as zod uses it (`lastIndex = 0`, then `test`), whose `lastIndex` is an
 * accessor: frozen, it still takes zod's reset (a frozen RegExp refuses it). The RegExp itself stays
 * out of reach of the freeze.
 */
function resettable(pattern: RegExp): Pick<RegExp, 'test' | 'source' | 'flags' | 'lastIndex'> {
  return {
    test: (text: string) => {
      pattern.lastIndex = 0;
      return pattern.test(text);
    },
    source: pattern.source,
    flags: pattern.flags,
    get lastIndex() {
      return pattern.lastIndex;
    },
    set lastIndex(index: number) {
      pattern.lastIndex = index;
    },
  };
}

/**
 * Makes every schema reachable from `roots` safe to deep-freeze: the workflow sandbox freezes the
 * modules all workflows share (runtime/workflow-bundle.ts), and zod writes to a schema as it parses:
 * the caches it fills on first use (an object's shape keys, an enum's value set), filled here
 * instead, and a regex check's `lastIndex`, made an accessor (`resettable`). Returns how many
 * schemas it changed.
 */
export function fillZodCaches(roots: readonly unknown[]): number {
  const seen = new WeakSet<object>();
  let filled = 0;
  const visit = (value: unknown): void => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
    seen.add(value);
    if (value instanceof z.ZodObject) {
      value._getCached();
      filled++;
    } else if (value instanceof z.ZodEnum && !value._cache) {
      value._cache = new Set(value._def.values as string[]);
      filled++;
    } else if (value instanceof z.ZodNativeEnum && !value._cache) {
      value._cache = new Set(z.util.getValidEnumValues(value._def.values));
      filled++;
    } else if (value instanceof z.ZodLazy) {
      visit(value.schema);
    } else if (value instanceof z.ZodString) {
      for (const check of value._def.checks) {
        if (check.kind === 'regex' && check.regex instanceof RegExp) {
          check.regex = resettable(check.regex) as RegExp;
          filled++;
        }
      }
    }
    // Every own property as the freeze will reach it: by reading it (a bundled module's exports are getters).
    for (const key of Object.getOwnPropertyNames(value)) {
      let property: unknown;
      try {
        property = (value as Record<string, unknown>)[key];
      } catch {
        continue;
      }
      visit(property);
    }
  };
  roots.forEach(visit);
  return filled;
}
