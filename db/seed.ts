import { BillProfileInput } from '../domain/billing/contracts';
import { DEFAULT_BILL_PROFILES } from '../domain/billing/default-profiles';
import { demoDevices } from './device-seed';
import { upsertDevices } from './devices.repo';
import type { Pool, PoolClient } from 'pg';
import { KOREAN_PUBLIC_HOLIDAYS } from '../domain/calendar/holidays-kr';
import type { Complexity, Severity, SlaPolicy } from '../domain/sla/model';
import { AUTO_CLOSE_KEY, DEFAULT_AUTO_CLOSE_SECONDS } from './sla.repo';
import { inTransaction } from '../system/postgres';

const HOUR = 3600;

/**
 * The default SLA contract: complex incidents are restored within 4 h at every
 * severity; P1/P2 run on the 24×7 clock, P3/P4 on business hours. Simple
 * incidents are recovered remotely, so their restore targets are shorter.
 */
export const DEFAULT_POLICIES: Array<{ severity: Severity; complexity: Complexity } & SlaPolicy> = [
  {
    severity: 'P1',
    complexity: 'complex',
    clock: '24x7',
    responseTargetSeconds: 15 * 60,
    restoreTargetSeconds: 4 * HOUR,
    statusReportIntervalSeconds: 30 * 60,
  },
  { severity: 'P1', complexity: 'simple', clock: '24x7', responseTargetSeconds: 15 * 60, restoreTargetSeconds: 1 * HOUR, statusReportIntervalSeconds: 30 * 60 },
  {
    severity: 'P2',
    complexity: 'complex',
    clock: '24x7',
    responseTargetSeconds: 30 * 60,
    restoreTargetSeconds: 4 * HOUR,
    statusReportIntervalSeconds: 60 * 60,
  },
  { severity: 'P2', complexity: 'simple', clock: '24x7', responseTargetSeconds: 30 * 60, restoreTargetSeconds: 2 * HOUR, statusReportIntervalSeconds: 60 * 60 },
  {
    severity: 'P3',
    complexity: 'complex',
    clock: 'business',
    responseTargetSeconds: 2 * HOUR,
    restoreTargetSeconds: 4 * HOUR,
    statusReportIntervalSeconds: null,
  },
  {
    severity: 'P3',
    complexity: 'simple',
    clock: 'business',
    responseTargetSeconds: 2 * HOUR,
    restoreTargetSeconds: 4 * HOUR,
    statusReportIntervalSeconds: null,
  },
  {
    severity: 'P4',
    complexity: 'complex',
    clock: 'business',
    responseTargetSeconds: 4 * HOUR,
    restoreTargetSeconds: 4 * HOUR,
    statusReportIntervalSeconds: null,
  },
  {
    severity: 'P4',
    complexity: 'simple',
    clock: 'business',
    responseTargetSeconds: 4 * HOUR,
    restoreTargetSeconds: 8 * HOUR,
    statusReportIntervalSeconds: null,
  },
];

/**
 * Seeds what an empty database needs, once: a marker row per seed means an
 * admin's later edits and deletions are never undone by a restart.
 */
export async function seedDefaults(pool: Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    if (await claim(client, 'seed:sla-policies:v1')) {
      for (const p of DEFAULT_POLICIES) {
        await client.query(
          `INSERT INTO sla_policies (severity, complexity, clock, response_target_seconds, restore_target_seconds, status_report_interval_seconds, updated_by)
           VALUES ($1,$2,$3,$4,$5,$6,'seed') ON CONFLICT DO NOTHING`,
          [p.severity, p.complexity, p.clock, p.responseTargetSeconds, p.restoreTargetSeconds, p.statusReportIntervalSeconds],
        );
      }
      await client.query(`INSERT INTO settings (key, value, updated_by) VALUES ($1, $2::jsonb, 'seed') ON CONFLICT DO NOTHING`, [
        AUTO_CLOSE_KEY,
        JSON.stringify(DEFAULT_AUTO_CLOSE_SECONDS),
      ]);
    }
    if (await claim(client, 'seed:bill-profiles:v1')) {
      // KT, SK Broadband and LG U+ as version 1: every bill then names a stored version of its profile.
      for (const [carrier, profile] of Object.entries(DEFAULT_BILL_PROFILES)) {
        await client.query(`INSERT INTO bill_profiles (carrier, version, profile, saved_by) VALUES ($1, 1, $2, 'seed') ON CONFLICT DO NOTHING`, [
          carrier,
          JSON.stringify(BillProfileInput.parse(profile)),
        ]);
      }
    }
    if (await claim(client, 'seed:holidays-kr-2025-2027:v1')) {
      for (const h of KOREAN_PUBLIC_HOLIDAYS) {
        await client.query(`INSERT INTO holidays (date, name, kind, source, updated_by) VALUES ($1, $2, $3, 'seed', 'seed') ON CONFLICT DO NOTHING`, [
          h.date,
          h.name,
          h.kind,
        ]);
      }
    }
  });
}

/** The demo asset register of the embedded stack, written once (an operator's later edits stay). */
export async function seedDemoDevices(pool: Pool): Promise<boolean> {
  const claimed = await inTransaction(pool, (client) => claim(client, 'seed:demo-devices:v1'));
  if (claimed) await upsertDevices(pool, demoDevices());
  return claimed;
}

async function claim(client: PoolClient, key: string): Promise<boolean> {
  const { rowCount } = await client.query(`INSERT INTO settings (key, value, updated_by) VALUES ($1, to_jsonb(now()), 'seed') ON CONFLICT DO NOTHING`, [key]);
  return rowCount === 1;
}
