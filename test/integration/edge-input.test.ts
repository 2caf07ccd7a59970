// Issue 9, items 8–11: hostile input is refused at the edge with a typed 400 and writes nothing —
// NUL characters and lone surrogates (JSON bodies, query strings, path segments, CSV cells,
// webhooks), unbounded numbers, absurd instants. Each case is one the issue found answering 500
// (or, for instants, accepted).
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { loadConfig } from '../../lib/config';
import { signWebhook } from '../../lib/payments';
import { http, onboard, startSystem, type System } from '../support/system';
import { staffLogin } from '../support/staff';
import { seedCampaign } from '../support/send';

const sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const TWILIO_TOKEN = `tok-${randomUUID()}`;
const saved = { ...process.env };
let sys: System;
let acme: Awaited<ReturnType<typeof onboard>>;
let staff: string;

beforeAll(async () => {
  Object.assign(process.env, {
    TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
    SENDGRID_WEBHOOK_PUBLIC_KEY: sendgridKeys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  });
  sys = await startSystem();
  acme = await onboard(sys);
  staff = (await staffLogin(sys, ['admin'])).token;
});
afterAll(async () => {
  await sys?.stop();
  for (const k of ['TWILIO_AUTH_TOKEN', 'SENDGRID_WEBHOOK_PUBLIC_KEY']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

const count = async (table: string, where: Record<string, unknown> = {}) =>
  Number((await sys.db(table).where(where).count({ n: '*' }))[0].n);
/** A JSON body sent as written: "\u0000" and "\ud800" escapes reach express.json as such. */
const raw = (method: string, path: string, json: string, token?: string) =>
  http(sys.baseUrl, method, path, { raw: json, token });
const api = (method: string, path: string, body?: unknown) =>
  http(sys.baseUrl, method, path, { token: acme.apiKey, body });
const csv = (campaignId: string, text: string) =>
  http(sys.baseUrl, 'PUT', `/v1/campaigns/${campaignId}/recipients`, {
    token: acme.apiKey,
    raw: text,
    headers: { 'content-type': 'text/csv' },
  });
const paymentHook = (json: string) => {
  const signature = signWebhook(loadConfig(process.env).PAYMENT_WEBHOOK_SECRET, json, Math.floor(Date.now() / 1000));
  const headers = { 'tentacle-signature': signature };
  return http(sys.baseUrl, 'POST', '/v1/webhooks/payments', { raw: json, headers });
};
const draft = { channel: 'sms', purpose: 'transactional', template: 'Hi' };
const problem = (code: string, path?: string) => ({
  status: 400,
  body: { code, ...(path ? { errors: [expect.objectContaining({ path })] } : {}) },
});

describe('8. NUL characters', () => {
  test('When a login (member or staff) carries a NUL, then 400 invalid_characters, no attempt recorded', async () => {
    const attempts = await count('login_attempts');
    expect(await raw('POST', '/v1/sessions', '{"username":"a\\u0000b","password":"x"}')).toMatchObject(
      problem('invalid_characters', 'body.username'),
    );
    expect(
      await raw('POST', '/v1/staff/sessions', '{"username":"a\\u0000","password":"x","totp":"123456"}'),
    ).toMatchObject(problem('invalid_characters', 'body.username'));
    expect(await count('login_attempts')).toBe(attempts);
  });

  test('When a query string carries %00, then 400 invalid_characters naming the parameter', async () => {
    const c = await api('POST', '/v1/campaigns', draft);
    expect(c.status).toBe(201);
    expect(await api('GET', `/v1/campaigns/${c.body.id}/rejections?reason=%00`)).toMatchObject(
      problem('invalid_characters', 'query.reason'),
    );
  });

  test('When a path segment carries %00 or a malformed escape, then 400 invalid_characters, nothing audited', async () => {
    const victim = await onboard(sys);
    const audits = await count('audit_log', { account_id: victim.accountId });
    const path = `/v1/staff/accounts/${victim.accountId}/suspensions/staff/x%00y`;
    expect(await http(sys.baseUrl, 'DELETE', path, { token: staff })).toMatchObject(
      problem('invalid_characters', 'path'),
    );
    expect(await count('audit_log', { account_id: victim.accountId })).toBe(audits);
    expect(await api('GET', '/v1/billing/invoices/%FF')).toMatchObject(problem('invalid_characters', 'path'));
    expect(await api('GET', '/v1/billing/invoices/%ED%A0%80')).toMatchObject(problem('invalid_characters', 'path'));
  });

  test('When a CSV cell holds a NUL, then its row is rejected as invalid_characters (kept with U+FFFD), the others accepted', async () => {
    const c = await api('POST', '/v1/campaigns', { ...draft, template: 'Hi {{name}}' });
    const rows = ['+33612000001,Ann', '+33612000002,B\u0000b', '+3361200\u00000003,Cy', '+33612000004,Dan'];
    const up = await csv(c.body.id, `to,name\n${rows.join('\n')}\n`);
    expect(up).toMatchObject({ status: 200, body: { rows: 4, accepted: 2, rejected: { invalid_characters: 2 } } });
    const rejections = await sys
      .db('recipient_rejections')
      .where({ order_id: c.body.id })
      .orderBy('row_no')
      .select('value');
    expect(rejections.map((r) => r.value)).toEqual(['+33612000002', '+3361200\ufffd0003']);
    expect(await csv(c.body.id, 'to,na\u0000me\n+33612000001,x\n')).toMatchObject(
      problem('invalid_characters', 'header.1'),
    );
    expect(await count('messages', { order_id: c.body.id })).toBe(2); // the refused upload replaced nothing
  });

  test('When a signed payment webhook carries a NUL, then 400 invalid_characters and no payment', async () => {
    const payments = await count('payments', { account_id: acme.accountId });
    const data = `{"accountId":"${acme.accountId}","amountCents":100,"reference":"p\\u0000i"}`;
    const res = await paymentHook(`{"id":"evt_${randomUUID()}","type":"payment.succeeded","data":${data}}`);
    expect(res).toMatchObject(problem('invalid_characters', 'body.data.reference'));
    expect(await count('payments', { account_id: acme.accountId })).toBe(payments);
  });

  test('When a signed Twilio callback (status or inbound) carries a NUL, then 400 invalid_characters, nothing recorded', async () => {
    const twilio = (path: string, params: Record<string, string>) =>
      http(sys.baseUrl, 'POST', path, {
        raw: new URLSearchParams(params).toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': getExpectedTwilioSignature(TWILIO_TOKEN, `${sys.baseUrl}${path}`, params),
        },
      });
    const receipts = await count('webhook_receipts', { provider: 'twilio-inbound' });
    expect(
      await twilio('/webhooks/twilio/status?mid=1', { MessageSid: 'SM\u0000x', MessageStatus: 'delivered' }),
    ).toMatchObject(problem('invalid_characters', 'body.MessageSid'));
    const inbound = { MessageSid: 'SM\u0000y', From: '+33612000009', To: '+33700000000', Body: 'STOP' };
    expect(await twilio('/webhooks/twilio/inbound', inbound)).toMatchObject(
      problem('invalid_characters', 'body.MessageSid'),
    );
    expect(await count('webhook_receipts', { provider: 'twilio-inbound' })).toBe(receipts);
  });

  test('When a signed SendGrid batch holds an event with a NUL, then that event is dropped, the rest applies (204)', async () => {
    const seeded = await seedCampaign(sys.db, { total: 2, channel: 'email' });
    const ids = await sys.db('messages').where({ order_id: seeded.orderId }).orderBy('seq').select('id');
    const [m1, m2] = ids.map((m) => String(m.id));
    const body = JSON.stringify([
      { event: 'delivered', mid: m1, sg_event_id: `e\u0000${randomUUID()}`, sg_message_id: 'sg1.x' },
      { event: 'delivered', mid: m2, sg_event_id: `e-${randomUUID()}`, sg_message_id: 'sg2.x' },
    ]);
    const t = String(Math.floor(Date.now() / 1000));
    const signature = sign('sha256', Buffer.from(t + body), sendgridKeys.privateKey).toString('base64');
    const res = await http(sys.baseUrl, 'POST', '/webhooks/sendgrid/events', {
      raw: body,
      headers: { 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': t },
    });
    expect(res.status).toBe(204);
    const status = async (id: string) => (await sys.db('messages').where({ id }).first('status')).status;
    expect([await status(m1), await status(m2)]).toEqual(['queued', 'delivered']);
  });
});

describe('9. lone UTF-16 surrogates', () => {
  test('When a field bound for jsonb holds "\\ud800x", then 400 invalid_characters, nothing written; a paired emoji passes', async () => {
    const changes = await count('account_changes', { account_id: acme.accountId });
    const address = (line1: string) =>
      `{"billingAddress":{"line1":"${line1}","postalCode":"75002","city":"Paris","country":"FR"}}`;
    const line1 = problem('invalid_characters', 'body.billingAddress.line1');
    expect(await raw('PATCH', '/v1/account', address('\\ud800x'), acme.apiKey)).toMatchObject(line1);
    expect(await raw('PATCH', '/v1/account', address('x\\udc00'), acme.apiKey)).toMatchObject(line1);
    const campaigns = await count('campaigns', { account_id: acme.accountId });
    const recipients = '[{"to":"+33612000001","vars":{"name":"\\ud800x"}}]';
    const inline = `{"channel":"sms","purpose":"transactional","template":"Hi {{name}}","recipients":${recipients}}`;
    expect(await raw('POST', '/v1/campaigns', inline, acme.apiKey)).toMatchObject(
      problem('invalid_characters', 'body.recipients.0.vars.name'),
    );
    expect(await count('campaigns', { account_id: acme.accountId })).toBe(campaigns);
    expect(await count('account_changes', { account_id: acme.accountId })).toBe(changes);
    expect((await raw('PATCH', '/v1/account', address('1 rue \\ud83d\\ude00'), acme.apiKey)).status).toBe(200);
  });
});

describe('10. unbounded numbers', () => {
  test('When a forged ledger cursor carries an id beyond bigint, then 400 invalid_cursor at cursor; 18 digits is an empty page', async () => {
    const forged = (id: string) => Buffer.from(JSON.stringify(['ledger', id, id])).toString('base64url');
    expect(await api('GET', `/v1/billing/ledger?cursor=${forged('99999999999999999999999')}`)).toMatchObject(
      problem('invalid_cursor', 'cursor'),
    );
    expect(await api('GET', `/v1/billing/ledger?cursor=${forged('999999999999999999')}`)).toMatchObject({
      status: 200,
      body: { entries: [], nextCursor: null },
    });
    const c = await api('POST', '/v1/campaigns', draft);
    const cursor = await api('GET', `/v1/campaigns/${c.body.id}/rejections?after=99999999999999999999999`);
    expect(cursor).toMatchObject(problem('validation_failed', 'after'));
  });
});

describe('11. absurd instants', () => {
  test('When a campaign is scheduled in year 9999 or 2001, then 400 validation_failed at scheduledAt, no campaign created', async () => {
    const campaigns = await count('campaigns', { account_id: acme.accountId });
    const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
    for (const scheduledAt of ['9999-01-01T00:00:00Z', '2001-01-01T00:00:00Z', inDays(367), inDays(-1)]) {
      expect(await api('POST', '/v1/campaigns', { ...draft, scheduledAt })).toMatchObject(
        problem('validation_failed', 'scheduledAt'),
      );
    }
    expect(await count('campaigns', { account_id: acme.accountId })).toBe(campaigns);
    expect((await api('POST', '/v1/campaigns', { ...draft, scheduledAt: inDays(365) })).status).toBe(201);
  });

  test('When a payment is dated 0001-01-01 or before its account, then 400 validation_failed at receivedAt, no payment', async () => {
    const payments = await count('payments', { account_id: acme.accountId });
    const url = `/v1/staff/billing/accounts/${acme.accountId}/payments`;
    const pay = (receivedAt: string) =>
      http(sys.baseUrl, 'POST', url, {
        token: staff,
        headers: { 'x-access-reason': 'recording a transfer for the test' },
        body: { method: 'transfer', reference: `VIR-${randomUUID()}`, amountCents: 100, receivedAt },
      });
    expect(await pay('0001-01-01T00:00:00Z')).toMatchObject(problem('validation_failed', 'receivedAt'));
    // After the epoch, before the account's creation:
    expect(await pay('2026-01-02T00:00:00Z')).toMatchObject(problem('validation_failed', 'receivedAt'));
    const data = { accountId: acme.accountId, amountCents: 100, reference: 'pi', receivedAt: '0001-01-01T00:00:00Z' };
    const hook = await paymentHook(JSON.stringify({ id: `evt_${randomUUID()}`, type: 'payment.succeeded', data }));
    expect(hook).toMatchObject(problem('validation_failed', 'data.receivedAt'));
    expect(await count('payments', { account_id: acme.accountId })).toBe(payments);
    expect((await pay(new Date().toISOString())).status).toBe(201);
  });

  test('When a liability claim names an event on 0001-01-01, then 400 validation_failed at eventAt and no claim', async () => {
    const claims = await count('liability_claims', { account_id: acme.accountId });
    const res = await api('POST', '/v1/claims', { eventAt: '0001-01-01T00:00:00Z', description: 'lost' });
    expect(res).toMatchObject(problem('validation_failed', 'eventAt'));
    expect(await count('liability_claims', { account_id: acme.accountId })).toBe(claims);
  });
});
