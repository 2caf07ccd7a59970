// Outbound webhooks end to end (docs/webhooks.md): the real API, lifecycle worker (dispatcher
// workflows), send worker, carrier simulator and Postgres, and a fault-injecting receiver on
// loopback (500s, timeouts, a receiver down for a while, 410). Every event is delivered, none is
// lost, a duplicate only ever repeats a webhook-id, signatures verify with the reference library
// (both secrets during a rotation), bad input writes nothing, and accounts never see each other's
// events. The whole three-day schedule runs with time skipping in test/workflows/webhook-dispatch.test.ts.
import { Webhook } from 'standardwebhooks';
import { createApp } from '../../api/app';
import { loadConfig } from '../../lib/config';
import { issueInvoice } from '../../lib/invoices';
import { recordPayment } from '../../lib/payments';
import { createLogger } from '../../lib/logger';
import { sendApiSuite, type Account } from '../support/send-api';
import { eventually, http, onboard, type System } from '../support/system';
import { startWebhookReceiver, type Received, type WebhookReceiver } from '../support/webhook-receiver';

process.env.WEBHOOK_ALLOW_LOOPBACK = 'true';
process.env.WEBHOOK_TIMEOUT_MS = '500';

const verify = (secret: string, r: Received) =>
  new Webhook(secret).verify(r.body, {
    'webhook-id': r.id,
    'webhook-timestamp': r.timestamp,
    'webhook-signature': r.signature,
  });

describe('outbound webhooks', () => {
  const suite = sendApiSuite('webhooks', 7);
  const { api, phone } = suite;
  let sys: System;
  let acme: Account;
  let rx: WebhookReceiver;
  beforeAll(async () => {
    ({ sys, acme } = suite);
    rx = await startWebhookReceiver();
  });
  afterAll(async () => {
    await rx?.stop();
    delete process.env.WEBHOOK_ALLOW_LOOPBACK;
    delete process.env.WEBHOOK_TIMEOUT_MS;
  });

  const create = (a: Account, path: string, eventTypes: string[]) =>
    api(a, 'POST', '/v1/webhook-endpoints', { url: rx.url(path), eventTypes, description: 'test endpoint' });
  const eventsOf = (endpointId: string) => sys.db('webhook_events').where({ endpoint_id: endpointId }).orderBy('id');
  const at = (path: string) => rx.received.filter((r) => r.path === path);

  test(
    'When an endpoint is registered with bad input — an invalid URL, an unknown event type, http to a public host, ' +
      'a private, link-local or metadata address — then it is refused with a typed 4xx and nothing is written',
    async () => {
      const before = await sys.db('webhook_endpoints').where({ account_id: acme.accountId }).count({ n: '*' });
      const cases: [unknown, number, string][] = [
        [{ url: 'not a url', eventTypes: ['message.delivered'] }, 422, 'webhook_url_invalid'],
        [{ url: 'ftp://127.0.0.1/x', eventTypes: ['message.delivered'] }, 422, 'webhook_url_invalid'],
        [{ url: rx.url('/x'), eventTypes: ['message.teleported'] }, 400, 'validation_failed'],
        [{ url: rx.url('/x'), eventTypes: [] }, 400, 'validation_failed'],
        [{ url: 'http://93.184.216.34/hook', eventTypes: ['message.delivered'] }, 422, 'webhook_url_insecure'],
        [{ url: 'https://10.1.2.3/hook', eventTypes: ['message.delivered'] }, 422, 'webhook_url_forbidden'],
        [{ url: 'https://192.168.1.1/hook', eventTypes: ['message.delivered'] }, 422, 'webhook_url_forbidden'],
        [
          { url: 'https://169.254.169.254/latest/meta-data', eventTypes: ['message.delivered'] },
          422,
          'webhook_url_forbidden',
        ],
        [{ url: 'https://[fe80::1]/hook', eventTypes: ['message.delivered'] }, 422, 'webhook_url_forbidden'],
        [{ url: 'https://[::ffff:10.0.0.1]/hook', eventTypes: ['message.delivered'] }, 422, 'webhook_url_forbidden'],
      ];
      for (const [body, status, code] of cases) {
        const res = await api(acme, 'POST', '/v1/webhook-endpoints', body);
        expect({ body, status: res.status, code: res.body?.code }).toEqual({ body, status, code });
      }
      // Without the development flag, loopback is refused too (an API of its own on the same database).
      const config = loadConfig({ ...process.env, WEBHOOK_ALLOW_LOOPBACK: 'false', LOG_LEVEL: 'silent' });
      const strict = createApp({ db: sys.db, temporal: sys.client, config, logger: createLogger('t', 'silent') });
      const server = await new Promise<import('node:http').Server>((r) => {
        const s = strict.listen(0, '127.0.0.1', () => r(s));
      });
      const base = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
      for (const url of [rx.url('/x'), 'https://127.0.0.1/x', 'https://[::1]/x', 'https://localhost/x']) {
        const res = await http(base, 'POST', '/v1/webhook-endpoints', {
          token: acme.apiKey,
          body: { url, eventTypes: ['message.delivered'] },
        });
        expect({ url, code: res.body?.code }).toEqual({ url, code: 'webhook_url_forbidden' });
      }
      await new Promise((r) => server.close(r));
      expect(await sys.db('webhook_endpoints').where({ account_id: acme.accountId }).count({ n: '*' })).toEqual(before);
    },
  );

  test(
    'When the receiver answers 500 or times out on the first attempt of each event and is down for a while, ' +
      'then every message event is delivered, none lost, repeats carry the same webhook-id and body, every ' +
      'signature verifies, and the log shows each failed attempt',
    async () => {
      const created = await create(acme, '/faults', ['message.submitted', 'message.delivered', 'message.failed']);
      expect(created.status).toBe(201);
      expect(created.body.secret).toMatch(/^whsec_/);
      const { id, secret } = created.body as { id: string; secret: string };
      expect((await api(acme, 'GET', `/v1/webhook-endpoints/${id}`)).body.secret).toBeUndefined();
      // Until the receiver goes down, first attempts alternate: 500, no answer (timeout), 500, …
      let firsts = 0;
      let faulting = true;
      rx.respond = (r, nth) => (r.path !== '/faults' || nth > 1 || !faulting ? 200 : ++firsts % 2 ? 500 : 'hang');
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await api(acme, 'POST', '/v1/messages', {
          channel: 'sms',
          purpose: 'transactional',
          to: phone(),
          body: `code ${i}`,
        });
        expect(res.status).toBe(202);
        ids.push(res.body.id);
      }
      // Down for a while: attempts meanwhile fail to connect, and are retried once it is back.
      await eventually(
        () =>
          sys
            .db('webhook_attempts')
            .where({ endpoint_id: id })
            .pluck('status_code')
            .then((l) => l.length),
        (n) => n >= 2,
      );
      await eventually(
        () => sys.db('webhook_attempts').where({ endpoint_id: id }).select('status_code', 'error'),
        (l) => l.some((a) => a.status_code === 500) && l.some((a) => a.error === 'timeout'),
      );
      faulting = false;
      await rx.down();
      const more = await api(acme, 'POST', '/v1/messages', {
        channel: 'sms',
        purpose: 'transactional',
        to: phone(),
        body: 'x',
      });
      ids.push(more.body.id);
      await eventually(
        () =>
          sys.db('webhook_attempts').where({ endpoint_id: id }).whereNull('status_code').whereNot({ error: 'timeout' }),
        (rows) => rows.length > 0,
        20_000,
      );
      await rx.up();
      const delivered = await eventually(
        () => eventsOf(id),
        (rows) =>
          rows.filter((e) => e.type === 'message.delivered').length === ids.length &&
          rows.every((e) => e.status === 'delivered'),
        40_000,
      );
      expect(delivered.map((e) => e.status)).toEqual(delivered.map(() => 'delivered'));
      const received = at('/faults');
      // None lost: every event recorded reached the receiver; duplicates only repeat an id, same body.
      expect(new Set(received.map((r) => r.id))).toEqual(new Set(delivered.map((e) => e.event_id)));
      const bodyOf = new Map<string, string>();
      for (const r of received) {
        expect(bodyOf.get(r.id) ?? r.body).toBe(r.body);
        bodyOf.set(r.id, r.body);
        expect(() => verify(secret, r)).not.toThrow();
      }
      // Each message's events in order by their sequence; each one's own data.
      for (const mid of ids) {
        const mine = [...bodyOf.values()].map((b) => JSON.parse(b)).filter((b) => b.data.message_id === mid);
        expect(mine.map((b) => b.type)).toContain('message.delivered');
        const seq = (t: string) => mine.find((b) => b.type === t)?.data.sequence;
        if (seq('message.submitted')) expect(seq('message.submitted')).toBeLessThan(seq('message.delivered'));
        expect(mine[0]).toMatchObject({
          account_id: acme.accountId,
          data: { channel: 'sms', status: expect.any(String) },
        });
      }
      const log = await api(acme, 'GET', `/v1/webhook-endpoints/${id}/attempts?limit=500`);
      const codes = log.body.items.map(
        (a: { statusCode: number | null; error: string | null }) => a.statusCode ?? a.error,
      );
      expect(codes).toEqual(expect.arrayContaining([200, 500, 'timeout']));
      expect(log.body.items[0]).toMatchObject({
        latencyMs: expect.any(Number),
        eventId: expect.stringMatching(/^evt_/),
      });
      const health = await api(acme, 'GET', `/v1/webhook-endpoints/${id}/health`);
      expect(health.body).toMatchObject({ enabled: true, backlog: 0, failed: 0 });
      expect(health.body.successRate24h).toBeLessThan(1);
      await api(acme, 'DELETE', `/v1/webhook-endpoints/${id}`);
    },
  );

  test(
    'When the secret is rotated with an overlap, then a delivery verifies with the new and with the old secret; ' +
      'rotated without one, only the new secret verifies',
    async () => {
      rx.respond = () => 200;
      const created = await create(acme, '/rotation', ['invoice.paid']);
      const { id, secret: old } = created.body as { id: string; secret: string };
      const rotated = await api(acme, 'POST', `/v1/webhook-endpoints/${id}/rotate-secret`, { overlapHours: 24 });
      expect(rotated.body).toMatchObject({
        secret: expect.stringMatching(/^whsec_/),
        previousSecretExpiresAt: expect.any(String),
      });
      const ping = await api(acme, 'POST', `/v1/webhook-endpoints/${id}/ping`);
      expect(ping.status).toBe(202);
      const [r] = await eventually(
        async () => at('/rotation').filter((x) => x.id === ping.body.eventId),
        (l) => l.length > 0,
      );
      expect(r.signature.split(' ')).toHaveLength(2);
      expect(() => verify(rotated.body.secret, r)).not.toThrow();
      expect(() => verify(old, r)).not.toThrow();
      const again = await api(acme, 'POST', `/v1/webhook-endpoints/${id}/rotate-secret`, { overlapHours: 0 });
      const ping2 = await api(acme, 'POST', `/v1/webhook-endpoints/${id}/ping`);
      const [r2] = await eventually(
        async () => at('/rotation').filter((x) => x.id === ping2.body.eventId),
        (l) => l.length > 0,
      );
      expect(() => verify(again.body.secret, r2)).not.toThrow();
      expect(() => verify(rotated.body.secret, r2)).toThrow();
      await api(acme, 'DELETE', `/v1/webhook-endpoints/${id}`);
    },
  );

  test(
    'When the receiver answers 410, then the endpoint is disabled and its owners e-mailed; enabled again, a ' +
      'redelivery of that event and of the failed ones since an instant reach it with their webhook-ids',
    async () => {
      rx.respond = (r) => (r.path === '/gone' ? 410 : 200);
      const created = await create(acme, '/gone', ['message.inbound']);
      const { id } = created.body as { id: string };
      const ping = await api(acme, 'POST', `/v1/webhook-endpoints/${id}/ping`);
      await eventually(
        () => api(acme, 'GET', `/v1/webhook-endpoints/${id}`),
        (res) => res.body.enabled === false,
      );
      const ep = (await api(acme, 'GET', `/v1/webhook-endpoints/${id}`)).body;
      expect(ep.disabledReason).toMatch(/410/);
      const mail = await sys
        .db('platform_emails')
        .where({ account_id: acme.accountId })
        .where('subject', 'like', '%webhook%');
      expect(mail).toHaveLength(1);
      expect(mail[0].to_addresses).toEqual([acme.reg.member.email]);
      expect(mail[0].body).not.toContain('/gone'); // the URL's path may hold the customer's token
      const refused = await api(acme, 'POST', `/v1/webhook-endpoints/${id}/redeliver`, { eventId: ping.body.eventId });
      expect(refused).toMatchObject({ status: 409, body: { code: 'webhook_endpoint_disabled' } });
      rx.respond = () => 200;
      expect((await api(acme, 'PATCH', `/v1/webhook-endpoints/${id}`, { enabled: true })).body.enabled).toBe(true);
      // The 410'd ping stayed pending: the new dispatcher delivers it.
      await eventually(
        async () => at('/gone').filter((r) => r.id === ping.body.eventId).length,
        (n) => n === 2,
      );
      await eventually(
        () => eventsOf(id),
        (rows) => rows.every((e) => e.status === 'delivered'),
      );
      const one = await api(acme, 'POST', `/v1/webhook-endpoints/${id}/redeliver`, { eventId: ping.body.eventId });
      expect(one).toMatchObject({ status: 202, body: { requeued: 1 } });
      await eventually(
        async () => at('/gone').filter((r) => r.id === ping.body.eventId).length,
        (n) => n === 3,
      );
      const since = new Date(Date.now() - 60_000).toISOString();
      await sys.db('webhook_events').where({ endpoint_id: id }).update({ status: 'failed' }); // a spent schedule
      const all = await api(acme, 'POST', `/v1/webhook-endpoints/${id}/redeliver`, { failedSince: since });
      expect(all).toMatchObject({ status: 202, body: { requeued: 1 } });
      await eventually(
        async () => at('/gone').filter((r) => r.id === ping.body.eventId).length,
        (n) => n === 4,
      );
      const unknown = await api(acme, 'POST', `/v1/webhook-endpoints/${id}/redeliver`, { eventId: 'evt_nope' });
      expect(unknown.status).toBe(404);
      await api(acme, 'DELETE', `/v1/webhook-endpoints/${id}`);
    },
  );

  test(
    'When a campaign runs, a recipient replies STOP then START and an invoice is issued and paid, then the ' +
      'endpoint receives campaign.started and campaign.completed (with its summary), each reply as message.inbound ' +
      'with its keyword, suppression.added and suppression.removed, invoice.issued and invoice.paid, each once',
    async () => {
      rx.respond = () => 200;
      const a = await onboard(sys);
      const types = ['campaign.started', 'campaign.completed', 'message.inbound', 'suppression.added'] as const;
      const ep = await create(a, '/journey', [...types, 'suppression.removed', 'invoice.issued', 'invoice.paid']);
      expect(ep.status).toBe(201);
      const to = phone();
      const created = await api(a, 'POST', '/v1/campaigns', {
        channel: 'sms',
        purpose: 'transactional',
        template: 'Hi {{name}}',
        sender: '+33757000077',
        recipients: [
          { to, vars: { name: 'Zoé' } },
          { to: phone(), vars: { name: 'Yann' } },
        ],
      });
      const campaignId = created.body.id as string;
      expect((await api(a, 'POST', `/v1/campaigns/${campaignId}/start`)).status).toBe(202);
      await eventually(
        () => api(a, 'GET', `/v1/campaigns/${campaignId}`),
        (r) => r.body.status === 'completed',
        30_000,
      );
      await suite.sim.sendInbound({ from: to, to: '+33757000077', body: 'Stop' });
      await suite.sim.sendInbound({ from: to, to: '+33757000077', body: 'START' });
      await suite.sim.sendInbound({ from: to, to: '+33757000077', body: 'Merci !' });
      const { invoice } = await issueInvoice(sys.db, {
        accountId: a.accountId,
        purpose: 'manual',
        lines: [{ description: 'Setup', quantity: 1, unitPriceCents: 1000 }],
        idemKey: `wh-${a.accountId}`,
      });
      await recordPayment(sys.db, {
        accountId: a.accountId,
        invoiceId: invoice.id,
        amountCents: invoice.totalCents,
        method: 'transfer',
        reference: 'wh',
        receivedAt: new Date(),
        recordedBy: { type: 'system' },
      });
      const all = await eventually(
        async () => at('/journey').map((r) => JSON.parse(r.body)),
        (l) => l.length >= 9,
        30_000,
      );
      const byType = (t: string) => all.filter((b) => b.type === t);
      expect(byType('campaign.started').map((b) => b.data.campaign_id)).toEqual([campaignId]);
      expect(byType('campaign.completed')).toHaveLength(1);
      expect(byType('campaign.completed')[0].data.summary).toMatchObject({ total: 2, outcome: 'completed' });
      // Delivered 16 at a time, so in no set order: the replies are compared in the order they were received.
      const inbound = byType('message.inbound').sort((x, y) => x.created_at.localeCompare(y.created_at));
      expect(inbound.map((b) => [b.data.from, b.data.keyword, b.data.body])).toEqual([
        [to, 'stop', 'Stop'],
        [to, 'start', 'START'],
        [to, 'other', 'Merci !'],
      ]);
      expect(byType('suppression.added').map((b) => b.data)).toEqual([{ channel: 'sms', address: to, reason: 'stop' }]);
      expect(byType('suppression.removed').map((b) => b.data.address)).toEqual([to]);
      expect(byType('invoice.issued').map((b) => b.data.invoice_id)).toEqual([invoice.id]);
      expect(byType('invoice.paid').map((b) => b.data.invoice_id)).toEqual([invoice.id]);
      expect(all).toHaveLength(9);
      expect(all.every((b) => b.account_id === a.accountId)).toBe(true);
    },
  );

  test(
    "When two accounts each have an endpoint, then one never receives the other's events, and another " +
      "account's endpoint id is not found for any route and left unchanged",
    async () => {
      rx.respond = () => 200;
      const other = await onboard(sys);
      const mine = await create(acme, '/acme', ['message.delivered', 'message.submitted']);
      const theirs = await create(other, '/other', ['message.delivered', 'message.submitted']);
      const res = await api(acme, 'POST', '/v1/messages', {
        channel: 'sms',
        purpose: 'transactional',
        to: phone(),
        body: 'a',
      });
      await eventually(
        async () =>
          at('/acme').filter(
            (r) =>
              JSON.parse(r.body).data.message_id === res.body.id && JSON.parse(r.body).type === 'message.delivered',
          ),
        (l) => l.length > 0,
      );
      const ping = await api(other, 'POST', `/v1/webhook-endpoints/${theirs.body.id}/ping`);
      await eventually(
        async () => at('/other').length,
        (n) => n > 0,
      );
      expect(at('/other').map((r) => r.id)).toEqual([ping.body.eventId]);
      expect(at('/acme').every((r) => JSON.parse(r.body).account_id === acme.accountId)).toBe(true);
      const tid = theirs.body.id as string;
      for (const [method, path, body] of [
        ['GET', `/v1/webhook-endpoints/${tid}`, undefined],
        ['PATCH', `/v1/webhook-endpoints/${tid}`, { enabled: false }],
        ['DELETE', `/v1/webhook-endpoints/${tid}`, undefined],
        ['POST', `/v1/webhook-endpoints/${tid}/rotate-secret`, {}],
        ['POST', `/v1/webhook-endpoints/${tid}/ping`, undefined],
        ['POST', `/v1/webhook-endpoints/${tid}/redeliver`, { eventId: ping.body.eventId }],
        ['GET', `/v1/webhook-endpoints/${tid}/attempts`, undefined],
        ['GET', `/v1/webhook-endpoints/${tid}/health`, undefined],
      ] as const) {
        const r = await api(acme, method, path, body);
        expect({ path, method, status: r.status, code: r.body?.code }).toEqual({
          path,
          method,
          status: 404,
          code: 'not_found',
        });
      }
      const row = await sys.db('webhook_endpoints').where({ id: tid }).first();
      expect(row).toMatchObject({ enabled: true, deleted_at: null, secret: theirs.body.secret });
      expect(await eventsOf(tid)).toHaveLength(1);
      await api(acme, 'DELETE', `/v1/webhook-endpoints/${mine.body.id}`);
      await api(other, 'DELETE', `/v1/webhook-endpoints/${tid}`);
    },
  );
});
