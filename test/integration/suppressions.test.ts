// The suppression lists over HTTP (api/suppressions.ts): add, CSV import, list, remove; a
// STOP-sourced entry is never removed by the customer; a refused request writes nothing (no
// entry, no audit); another account's entries are a 404 and never listed. And the Annex's
// registers (api/data-protection.ts).
import { SUB_PROCESSORS } from '../../domain/data-protection';
import { http, onboard, startSystem, type System } from '../support/system';

let sys: System;
let a: Awaited<ReturnType<typeof onboard>>;
let b: Awaited<ReturnType<typeof onboard>>;

beforeAll(async () => {
  sys = await startSystem();
  [a, b] = await Promise.all([onboard(sys), onboard(sys)]);
});
afterAll(async () => {
  await sys?.stop();
});

type Who = { apiKey: string; accountId: string };
const call = (who: Who, method: string, path: string, body?: unknown) =>
  http(sys.baseUrl, method, path, { token: who.apiKey, body });
const csv = (who: Who, query: string, text: string) =>
  http(sys.baseUrl, 'POST', `/v1/suppressions/import${query}`, {
    token: who.apiKey,
    raw: text,
    headers: { 'content-type': 'text/csv' },
  });
/** What a refusal must leave as it was: the account's entries and its audit trail. */
const footprint = async (who: Who) => ({
  entries: (await sys.db('suppressions').where({ account_id: who.accountId }).orderBy('id')).map((s) => s.id),
  audit: Number((await sys.db('audit_log').where({ account_id: who.accountId }).count().first())!.count),
});

describe('suppression lists', () => {
  test('When an address is added, then it is stored normalised with source manual, listed, and blocks a send; adding it again changes nothing', async () => {
    const added = await call(a, 'POST', '/v1/suppressions', {
      channel: 'sms',
      address: '06 11 22 33 44',
      reason: 'asked by phone',
    });
    expect(added).toMatchObject({
      status: 201,
      body: { channel: 'sms', address: '+33611223344', source: 'manual', reason: 'asked by phone' },
    });
    expect(added.headers.get('location')).toBe(`/v1/suppressions/${added.body.id}`);
    const again = await call(a, 'POST', '/v1/suppressions', { channel: 'sms', address: '+33611223344' });
    expect(again).toMatchObject({ status: 200, body: { id: added.body.id, reason: 'asked by phone' } });
    const mail = await call(a, 'POST', '/v1/suppressions', { channel: 'email', address: 'Jane.Doe@Example.COM' });
    expect(mail.body).toMatchObject({ address: 'Jane.Doe@example.com', reason: 'manual' });
    const listed = await call(a, 'GET', '/v1/suppressions?channel=sms');
    expect(listed.body.items.map((s: { id: string }) => s.id)).toEqual([added.body.id]);
    expect((await call(a, 'GET', '/v1/suppressions?address=%2B33%206%2011%2022%2033%2044')).body.items).toHaveLength(1);
    const send = await call(a, 'POST', '/v1/messages', {
      channel: 'sms',
      purpose: 'transactional',
      to: '+33611223344',
      body: 'Bonjour',
    });
    expect(send.body.code).toBe('recipient_suppressed');
  });

  test('When a CSV is imported, then its valid rows are added with source import (duplicates and known ones unchanged); one invalid row and nothing is imported', async () => {
    const ok = await csv(a, '?channel=sms', 'address,reason\n+33622000001,fair\n0622000002,\n+33622000001,again\n');
    expect(ok).toMatchObject({ status: 200, body: { rows: 3, added: 2, unchanged: 1 } });
    const imported = await call(a, 'GET', '/v1/suppressions?source=import&limit=500');
    expect(imported.body.items.map((s: { address: string }) => s.address).sort()).toEqual([
      '+33622000001',
      '+33622000002',
    ]);
    expect(imported.body.items.find((s: { address: string }) => s.address === '+33622000001').reason).toBe('fair');

    const before = await footprint(a);
    const bad = await csv(a, '?channel=sms', 'address\n+33622000003\nnot-a-number\n+33622000004\n');
    expect(bad).toMatchObject({
      status: 422,
      body: { code: 'invalid_rows', rejected: 1, errors: [{ row: 3, value: 'not-a-number', reason: 'invalid_phone' }] },
    });
    expect((await csv(a, '?channel=sms', 'to\n+33622000005\n')).body.code).toBe('invalid_csv_header');
    expect((await csv(a, '?channel=fax', 'address\n+33622000005\n')).body.code).toBe('validation_failed');
    expect((await csv(a, '?channel=sms&extra=1', 'address\n+33622000005\n')).body.code).toBe('validation_failed');
    expect((await csv(a, '?channel=sms', 'address\n')).body.code).toBe('empty_import');
    expect((await csv(a, '?channel=sms', 'address\n"unclosed\n')).body.code).toBe('malformed_csv');
    expect((await csv(a, '?channel=sms', 'address\n+3362200\u00000006\n')).body.code).toBe('invalid_characters');
    const json = await call(a, 'POST', '/v1/suppressions/import?channel=sms', { address: '+33622000007' });
    expect(json).toMatchObject({ status: 415, body: { code: 'unsupported_media_type' } });
    expect(await footprint(a)).toEqual(before);
  });

  test('When the customer removes an entry, then a manual or imported one goes; a STOP-sourced one is refused 409 and stays, until the recipient sends START', async () => {
    const manual = await call(a, 'POST', '/v1/suppressions', { channel: 'sms', address: '+33633000001' });
    expect((await call(a, 'DELETE', `/v1/suppressions/${manual.body.id}`)).status).toBe(204);
    expect(await sys.db('suppressions').where({ id: manual.body.id }).first()).toBeUndefined();
    expect((await call(a, 'DELETE', `/v1/suppressions/${manual.body.id}`)).status).toBe(404);

    // As the Twilio inbound webhook writes a STOP.
    const [stop] = await sys
      .db('suppressions')
      .insert({ account_id: a.accountId, channel: 'sms', address: '+33633000002', reason: 'stop', source: 'stop' })
      .returning('id');
    const before = await footprint(a);
    const refused = await call(a, 'DELETE', `/v1/suppressions/${stop.id}`);
    expect(refused).toMatchObject({ status: 409, body: { code: 'suppression_from_stop', source: 'stop' } });
    expect(await footprint(a)).toEqual(before);
    // Adding the same address manually does not turn the STOP into a removable entry.
    const same = await call(a, 'POST', '/v1/suppressions', { channel: 'sms', address: '+33633000002' });
    expect(same).toMatchObject({ status: 200, body: { id: String(stop.id), source: 'stop' } });
    expect((await call(a, 'DELETE', `/v1/suppressions/${stop.id}`)).status).toBe(409);
    expect((await call(a, 'GET', '/v1/suppressions?source=stop')).body.items).toHaveLength(1);
  });

  test('When another account names an entry, then 404 and nothing removed; the lists never show the other account entries', async () => {
    const theirs = await call(b, 'POST', '/v1/suppressions', { channel: 'email', address: 'only-b@example.com' });
    expect(theirs.status).toBe(201);
    expect((await call(a, 'DELETE', `/v1/suppressions/${theirs.body.id}`)).status).toBe(404);
    expect((await call(a, 'DELETE', '/v1/suppressions/abc')).status).toBe(404);
    expect(await sys.db('suppressions').where({ id: theirs.body.id }).first()).toBeDefined();
    const mine = await call(a, 'GET', '/v1/suppressions?limit=500');
    expect(mine.body.items.map((s: { id: string }) => s.id)).not.toContain(theirs.body.id);
    expect((await call(a, 'GET', '/v1/suppressions?address=only-b%40example.com')).body.items).toEqual([]);
  });

  test('When an add is not valid, then 4xx with a stable code and nothing written', async () => {
    const before = await footprint(a);
    const bad = async (body: unknown, status: number, code: string) =>
      expect(await call(a, 'POST', '/v1/suppressions', body)).toMatchObject({ status, body: { code } });
    await bad({ channel: 'sms', address: '12' }, 422, 'invalid_phone');
    await bad({ channel: 'email', address: 'nobody' }, 422, 'invalid_email');
    await bad({ channel: 'sms', address: '+33644000001', source: 'stop' }, 400, 'validation_failed');
    await bad({ channel: 'pigeon', address: '+33644000001' }, 400, 'validation_failed');
    await bad({ channel: 'sms', address: '+33644000001', reason: '' }, 400, 'validation_failed');
    expect((await call(a, 'GET', '/v1/suppressions?source=pigeon')).body.code).toBe('validation_failed');
    expect(await footprint(a)).toEqual(before);
  });

  test('When entries are added while a client pages the list, then every entry present at the start is listed once', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `+3365500${String(i).padStart(4, '0')}`);
    expect((await csv(b, '?channel=sms', `address\n${rows.join('\n')}\n`)).status).toBe(200);
    const before = (await sys.db('suppressions').where({ account_id: b.accountId })).map((s) => String(s.id));
    const seen: string[] = [];
    let cursor: string | null = null;
    let n = 0;
    do {
      const page = await call(b, 'GET', `/v1/suppressions?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((s: { id: string }) => s.id));
      cursor = page.body.nextCursor;
      await call(b, 'POST', '/v1/suppressions', { channel: 'sms', address: `+3365600000${n++}` });
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(before.every((id) => seen.includes(id))).toBe(true);
  });
});

describe('data-protection registers (Annex)', () => {
  test('When the customer reads the sub-processors and its processing record, then both come from the one register, with its own account as controller', async () => {
    const subs = await call(a, 'GET', '/v1/sub-processors');
    expect(subs).toMatchObject({ status: 200, body: { items: SUB_PROCESSORS } });
    expect(subs.body.items.map((s: { name: string }) => s.name)).toEqual(
      expect.arrayContaining(['Twilio Inc.', 'Twilio SendGrid (Twilio Inc.)']),
    );
    const rec = await call(a, 'GET', '/v1/account/processing-record');
    expect(rec).toMatchObject({
      status: 200,
      body: {
        controller: { accountId: a.accountId, legalName: 'Acme SAS' },
        termsVersion: '2026-01',
        dataReturnRequestWithin: expect.stringContaining('7'),
        subProcessors: SUB_PROCESSORS,
      },
    });
    expect(rec.body.dataCategories.length).toBeGreaterThan(0);
    expect((await call(a, 'GET', '/v1/sub-processors?country=US')).body.code).toBe('validation_failed');
    expect((await http(sys.baseUrl, 'GET', '/v1/account/processing-record')).status).toBe(401);
  });
});
