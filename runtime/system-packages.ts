/** Moved to system/system-packages.ts; this re-export stays only until scripts/test.ts imports from there. */
export * from '../system/system-packages';
