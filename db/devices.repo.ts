import type { Pool } from 'pg';
import type { Device, InspectedSystem } from '../domain/inspection/contracts';

/**
 * The asset register (`devices`): what each center runs, with the ceilings of
 * its usage metrics and its vendor end dates. Lists are of active devices,
 * ordered by id (in the "C" collation, so the order is the same on every
 * server), because inspections fan out over them and reruns must agree.
 */

/** A device as registered, with its capacities (e.g. `{ lines: 800, trunks: 8 }`). */
export interface DeviceRow extends Device {
  capacity: Record<string, number>;
}

export interface DeviceFilter {
  center?: string;
  centers?: string[];
  /** BACKUP and ASSET concern every device of a center, so they filter nothing. */
  system?: InspectedSystem;
}

interface Row {
  id: string;
  center: string;
  system: Device['system'];
  name: string;
  model: string;
  capacity: Record<string, number>;
  eos_date: string | null;
  eol_date: string | null;
}

// Dates as text: node-postgres would turn a `date` into a Date at local midnight of the host.
const COLUMNS = `id, center, system, name, model, capacity,
  to_char(eos_date, 'YYYY-MM-DD') AS eos_date, to_char(eol_date, 'YYYY-MM-DD') AS eol_date`;

export async function listDevices(pool: Pool, filter: DeviceFilter = {}): Promise<Device[]> {
  return (await listDeviceRows(pool, filter)).map(({ capacity: _capacity, ...device }) => device);
}

/** As listDevices, with capacities. */
export async function listDeviceRows(pool: Pool, filter: DeviceFilter = {}): Promise<DeviceRow[]> {
  const where = ['active'];
  const args: unknown[] = [];
  if (filter.center !== undefined) where.push(`center = $${args.push(filter.center)}`);
  if (filter.centers !== undefined) where.push(`center = ANY($${args.push(filter.centers)}::text[])`);
  if (filter.system !== undefined && filter.system !== 'BACKUP' && filter.system !== 'ASSET') where.push(`system = $${args.push(filter.system)}`);
  const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM devices WHERE ${where.join(' AND ')} ORDER BY id COLLATE "C"`, args);
  return rows.map(toDeviceRow);
}

export async function findDevice(pool: Pool, id: string): Promise<Device | undefined> {
  const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM devices WHERE id = $1`, [id]);
  if (!rows[0]) return undefined;
  const { capacity: _capacity, ...device } = toDeviceRow(rows[0]);
  return device;
}

/** Centers with at least one active device. */
export async function listCenters(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ center: string }>(`SELECT center FROM devices WHERE active GROUP BY center ORDER BY center COLLATE "C"`);
  return rows.map((r) => r.center);
}

/** Capacities of these devices (active or not); a device not registered is absent from the map. */
export async function deviceCapacities(pool: Pool, ids: readonly string[]): Promise<Map<string, Record<string, number>>> {
  const { rows } = await pool.query<{ id: string; capacity: Record<string, number> }>(`SELECT id, capacity FROM devices WHERE id = ANY($1::text[])`, [ids]);
  return new Map(rows.map((r) => [r.id, r.capacity]));
}

/**
 * Registers devices or updates them (by id), active again if they were not.
 * A device given without `capacity` keeps the one it has ({} when new).
 */
export async function upsertDevices(pool: Pool, devices: ReadonlyArray<Device & { capacity?: Record<string, number> }>): Promise<void> {
  if (devices.length === 0) return;
  // One statement for the whole list: a benchmark registers hundreds of devices.
  // An absent `capacity` key reads as NULL in jsonb_to_recordset; $2 names the devices that did give one.
  await pool.query(
    `INSERT INTO devices (id, center, system, name, model, capacity, eos_date, eol_date, active)
     SELECT d.id, d.center, d.system, d.name, d.model, COALESCE(d.capacity, '{}'), d.eos_date, d.eol_date, true
       FROM jsonb_to_recordset($1::jsonb)
         AS d(id text, center text, system text, name text, model text, capacity jsonb, eos_date date, eol_date date)
     ON CONFLICT (id) DO UPDATE SET
       center = EXCLUDED.center, system = EXCLUDED.system, name = EXCLUDED.name, model = EXCLUDED.model,
       capacity = CASE WHEN EXCLUDED.id = ANY($2::text[]) THEN EXCLUDED.capacity ELSE devices.capacity END,
       eos_date = EXCLUDED.eos_date, eol_date = EXCLUDED.eol_date, active = true`,
    [
      JSON.stringify(
        devices.map((d) => ({
          id: d.id,
          center: d.center,
          system: d.system,
          name: d.name,
          model: d.model,
          capacity: d.capacity,
          eos_date: d.eosDate,
          eol_date: d.eolDate,
        })),
      ),
      devices.filter((d) => d.capacity !== undefined).map((d) => d.id),
    ],
  );
}

/** The center's live lines (neither failed nor terminated): what the PBX's line capacity is compared with. */
export async function liveLineCount(pool: Pool, center: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM lines WHERE center = $1 AND status NOT IN ('FAILED','TERMINATED','CANCELLED')`,
    [center],
  );
  return rows[0]!.n;
}

function toDeviceRow(r: Row): DeviceRow {
  return { id: r.id, center: r.center, system: r.system, name: r.name, model: r.model, eosDate: r.eos_date, eolDate: r.eol_date, capacity: r.capacity };
}
