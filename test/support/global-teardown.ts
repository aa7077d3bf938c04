import { rmSync } from 'node:fs';
import type { EmbeddedDatabase } from '../../runtime/embedded-postgres';
import type { EmbeddedTemporal } from '../../runtime/embedded-temporal';

export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as Record<string, unknown>).__butlerServices as
    { db: EmbeddedDatabase; temporal: EmbeddedTemporal; dataDir: string } | undefined;
  if (!services) return;
  await Promise.allSettled([services.temporal.stop(), services.db.stop()]);
  rmSync(services.dataDir, { recursive: true, force: true });
}
