/** Moved to system/temporal-tools.ts; this re-export stays only until scripts/test.ts imports from there. */
export * from '../system/temporal-tools';
