import { Connection, type Client } from '@temporalio/client';
import type { Express } from 'express';
import type { Pool } from 'pg';
import { countDeadLetters } from '../db/notification-list.repo';

/**
 * Liveness needs nothing; readiness needs both Temporal and PostgreSQL to answer.
 * Dead letters are counted in `details` for operators: information, never a reason to
 * take the API out of service (null when PostgreSQL did not answer).
 */
export function healthRoutes(app: Express, { pool, client }: { pool: Pool; client: Client }): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const [postgres, temporal] = await Promise.all([
      check(() => pool.query('SELECT 1')),
      check(() => (client.connection instanceof Connection ? client.connection.healthService.check({}) : client.workflowService.getSystemInfo({}))),
    ]);
    const ready = postgres === 'ok' && temporal === 'ok';
    const deadLetters = postgres === 'ok' ? await countDeadLetters(pool).catch(() => null) : null;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready', checks: { postgres, temporal }, details: { deadLetters } });
  });
}

async function check(probe: () => Promise<unknown>, timeoutMs = 2000): Promise<'ok' | 'unreachable'> {
  try {
    await Promise.race([probe(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref())]);
    return 'ok';
  } catch {
    return 'unreachable';
  }
}
