import { ZodError } from 'zod';
import { createContact, deleteContact, listContacts, recipientsFor } from '../../db/contacts.repo';
import { freshDatabase } from '../support/db';

let db: Awaited<ReturnType<typeof freshDatabase>>;

beforeAll(async () => {
  db = await freshDatabase();
  // Resident staff by day, the emergency chain (비상연락체계) by night.
  await createContact(db.pool, { name: '김 SPM', email: 'spm.kim@example.com', audience: 'spm', hours: 'always' });
  await createContact(db.pool, { name: '이 상주 엔지니어', email: 'lee@example.com', audience: 'engineer', hours: 'business' });
  await createContact(db.pool, { name: '박 당직자', email: 'park@example.com', audience: 'oncall', hours: 'after-hours' });
  await createContact(db.pool, { name: '최 야간 엔지니어', email: 'choi@example.com', audience: 'engineer', hours: 'after-hours' });
  await createContact(db.pool, { name: '1센터 고객 담당', email: 'c1@customer.example', audience: 'customer', hours: 'business', center: '상담 1센터' });
  await createContact(db.pool, { name: '2센터 고객 담당', email: 'c2@customer.example', audience: 'customer', hours: 'business', center: '상담 2센터' });
  await createContact(db.pool, { name: '고객 본사', email: 'hq@customer.example', audience: 'customer', hours: 'business' });
  await createContact(db.pool, { name: '퇴사자', email: 'gone@example.com', audience: 'engineer', hours: 'always', active: false });
});
afterAll(async () => {
  await db.drop();
});

const names = (cs: { name: string }[]) => cs.map((c) => c.name);

test('in business hours the resident engineer is told, after hours the on-duty chain instead', async () => {
  const audience = ['spm', 'engineer', 'oncall'] as const;
  const day = await recipientsFor(db.pool, { audience: [...audience], duringBusinessHours: true });
  const night = await recipientsFor(db.pool, { audience: [...audience], duringBusinessHours: false });
  expect(names(day)).toEqual(['김 SPM', '이 상주 엔지니어']);
  expect(names(night)).toEqual(['김 SPM', '박 당직자', '최 야간 엔지니어']);
});

test('a center-specific contact hears only about its own center; a null center hears about all', async () => {
  const center1 = await recipientsFor(db.pool, { audience: ['customer'], duringBusinessHours: true, center: '상담 1센터' });
  const center3 = await recipientsFor(db.pool, { audience: ['customer'], duringBusinessHours: true, center: '상담 3센터' });
  const noCenter = await recipientsFor(db.pool, { audience: ['customer'], duringBusinessHours: true });
  expect(names(center1)).toEqual(['1센터 고객 담당', '고객 본사']);
  expect(names(center3)).toEqual(['고객 본사']);
  expect(names(noCenter)).toEqual(['고객 본사']);
});

test('inactive contacts and other audiences are left out', async () => {
  const engineers = await recipientsFor(db.pool, { audience: ['engineer'], duringBusinessHours: true });
  expect(names(engineers)).toEqual(['이 상주 엔지니어']);
});

test('contacts are created, listed and deleted; deleting twice reports that nothing was removed', async () => {
  const created = await createContact(db.pool, {
    name: '임시 연동',
    webhookUrl: 'https://hooks.example.com/butler',
    audience: 'oncall',
    hours: 'always',
  });
  expect(created).toMatchObject({ email: null, webhookUrl: 'https://hooks.example.com/butler', center: null, active: true });
  expect((await listContacts(db.pool)).map((c) => c.id)).toContain(created.id);
  expect(await deleteContact(db.pool, created.id)).toBe(true);
  expect(await deleteContact(db.pool, created.id)).toBe(false);
  expect((await listContacts(db.pool)).map((c) => c.id)).not.toContain(created.id);
});

test('a contact that cannot be reached (no email, no webhook) is rejected before it is written', async () => {
  const before = (await listContacts(db.pool)).length;
  const attempt = createContact(db.pool, { name: '연락처 없음', audience: 'spm', hours: 'always' });
  await expect(attempt).rejects.toBeInstanceOf(ZodError);
  await expect(attempt).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ['email'] })] });
  expect((await listContacts(db.pool)).length).toBe(before);
});
