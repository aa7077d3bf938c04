import { asActor } from './config-history.repo';
import type { Pool } from 'pg';
import { type Audience, type Contact, ContactInput } from '../domain/notification/contracts';

const COLUMNS = `id, name, email, webhook_url, audience, hours, center, active, created_at`;

interface ContactRow {
  id: number;
  name: string;
  email: string | null;
  webhook_url: string | null;
  audience: Contact['audience'];
  hours: Contact['hours'];
  center: string | null;
  active: boolean;
  created_at: Date;
}

function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    webhookUrl: row.webhook_url,
    audience: row.audience,
    hours: row.hours,
    center: row.center,
    active: row.active,
    createdAt: row.created_at.toISOString(),
  };
}

export async function listContacts(pool: Pool): Promise<Contact[]> {
  const { rows } = await pool.query<ContactRow>(`SELECT ${COLUMNS} FROM contacts ORDER BY id`);
  return rows.map(toContact);
}

/** Validates with `ContactInput` (throws its ZodError) before writing; the configuration history names `actor`. */
export async function createContact(pool: Pool, input: ContactInput, actor = '(unknown)'): Promise<Contact> {
  const c = ContactInput.parse(input);
  const { rows } = await asActor(pool, actor, (db) =>
    db.query<ContactRow>(
      `INSERT INTO contacts (name, email, webhook_url, audience, hours, center, active)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [c.name, c.email ?? null, c.webhookUrl ?? null, c.audience, c.hours, c.center ?? null, c.active],
    ),
  );
  return toContact(rows[0]);
}

/** Whether a row was removed. */
export async function deleteContact(pool: Pool, id: number, actor = '(unknown)'): Promise<boolean> {
  const { rowCount } = await asActor(pool, actor, (db) => db.query(`DELETE FROM contacts WHERE id = $1`, [id]));
  return (rowCount ?? 0) > 0;
}

export interface RecipientQuery {
  audience: Audience[];
  duringBusinessHours: boolean;
  /** Omitted: only contacts that cover every center (center is null). */
  center?: string;
}

/** Active contacts of the audiences who are on duty now, for that center or for all. */
export async function recipientsFor(pool: Pool, q: RecipientQuery): Promise<Contact[]> {
  const { rows } = await pool.query<ContactRow>(
    `SELECT ${COLUMNS} FROM contacts
      WHERE active
        AND audience = ANY($1::text[])
        AND hours IN ('always', $2)
        AND (center IS NULL OR center = $3)
      ORDER BY id`,
    [q.audience, q.duringBusinessHours ? 'business' : 'after-hours', q.center ?? null],
  );
  return rows.map(toContact);
}

/** Every active admin, whatever their hours or center: the last resort before a notification is lost. */
export async function activeAdmins(pool: Pool): Promise<Contact[]> {
  const { rows } = await pool.query<ContactRow>(`SELECT ${COLUMNS} FROM contacts WHERE active AND audience = 'admin' ORDER BY id`);
  return rows.map(toContact);
}
