// Contract clauses over the API, on the real dev server and Postgres: a User's termination notice
// (3.2 i) answered with the expiry it applies to and acknowledged as evidence, claim intake
// (9 / 1.4: the one-month window and the 12-month cap), and a maintenance window (6.4.3: 503 with
// Retry-After on customer routes while /health and staff routes pass).
import { randomUUID } from 'node:crypto';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { maintenanceGate } from '../../api/maintenance';
import { errorHandler } from '../../api/errors';
import { eventually, http, onboard, startSystem, System } from '../support/system';
import { evidenceKinds } from '../support/contract';
import type { DbRow } from '../../lib/db';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const kinds = (accountId: string) => evidenceKinds(sys, accountId);

describe('contract clauses over the API', () => {
  test(
    'When a User gives a termination notice, then the term clock answers with the expiry it applies to ' +
      'and the acknowledgment is e-mailed as evidence; a second subscription-less account is refused',
    async () => {
      const a = await onboard(sys);
      await eventually(
        () => sys.db('deadlines').where({ account_id: a.accountId, kind: 'renewal_notice_cutoff' }).first(),
        Boolean,
      );
      const res = await http(sys.baseUrl, 'POST', '/v1/contract/termination-notice', { token: a.session, body: {} });
      expect(res.status).toBe(202);
      const effective = new Date((await sys.db('accounts').where({ id: a.accountId }).first()).effective_date);
      // Received long before the cut-off: ends at the first expiry, one year after the Effective Date.
      expect(res.body.endsAt).toBe(
        new Date(new Date(effective).setFullYear(effective.getFullYear() + 1)).toISOString(),
      );
      const ack = await eventually<DbRow>(
        () =>
          sys
            .db('platform_emails')
            .where({ notice_key: `termination-notice-ack:${a.accountId}` })
            .first(),
        Boolean,
      );
      expect(ack.subject).toMatch(/Acknowledgment/);
      await eventually(
        () => kinds(a.accountId),
        (k) => k.includes('notice_sent'),
      );
      expect(await kinds(a.accountId)).toEqual(expect.arrayContaining(['termination_notice_received', 'notice_sent']));
      const cut = await eventually(
        () => sys.db('deadlines').where({ account_id: a.accountId, kind: 'renewal_notice_cutoff' }).first(),
        (d) => d.state === 'closed',
      );
      expect(cut.outcome).toBe('notice_received');
      const pack = await onboard(sys, { account: { formula: 'pack' } });
      const refused = await http(sys.baseUrl, 'POST', '/v1/contract/termination-notice', {
        token: pack.session,
        body: {},
      });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('not_a_subscription');
    },
  );

  test(
    'When a claim is filed, then intake checks the 1-month window and computes the cap from the payments ' +
      'of the 12 months before the event, to the cent',
    async () => {
      const a = await onboard(sys);
      const event = new Date(Date.now() - 5 * 86_400_000);
      const pay = (daysBeforeEvent: number, cents: number) => ({
        id: randomUUID(),
        account_id: a.accountId,
        method: 'transfer',
        reference: `r-${randomUUID()}`,
        amount_cents: cents,
        received_at: new Date(event.getTime() - daysBeforeEvent * 86_400_000),
        recorded_by: JSON.stringify({ type: 'system' }),
      });
      await sys.db('payments').insert([pay(10, 12_345), pay(200, 10_001), pay(400, 99_999), pay(-1, 7)]);
      const ok = await http(sys.baseUrl, 'POST', '/v1/claims', {
        token: a.apiKey,
        body: { eventAt: event.toISOString(), description: 'messages lost' },
      });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ accepted: true, capCents: 22_346 });
      const late = await http(sys.baseUrl, 'POST', '/v1/claims', {
        token: a.apiKey,
        body: { eventAt: new Date(Date.now() - 40 * 86_400_000).toISOString(), description: 'old' },
      });
      expect(late.body).toMatchObject({ accepted: false, refusal: 'notice_late' });
      const bad = await http(sys.baseUrl, 'POST', '/v1/claims', {
        token: a.apiKey,
        body: { eventAt: 'yesterday', description: 'x' },
      });
      expect(bad.status).toBe(400);
    },
  );

  test(
    'When a maintenance window is in progress, then customer routes answer 503 with Retry-After while ' +
      '/health and staff routes pass; one tick before its start and at its end they pass',
    async () => {
      // Windows far in the future so that the other tests' API (real clock) never sees them.
      const startsAt = new Date('2100-01-01T00:00:00Z');
      const endsAt = new Date('2100-01-01T01:00:00Z');
      const id = randomUUID();
      await sys
        .db('maintenance_windows')
        .insert({ id, starts_at: startsAt, ends_at: endsAt, emergency: true, reason: 'test' });
      let now = new Date(startsAt.getTime() - 1000);
      const app = express();
      app.use(maintenanceGate({ db: sys.db, now: () => now }, { cacheMs: 0 }));
      app.get(['/health', '/v1/staff/x', '/v1/account'], (_req, res) => {
        res.json({ ok: true });
      });
      app.use(errorHandler);
      const server = await new Promise<import('node:http').Server>((r) => {
        const s = app.listen(0, '127.0.0.1', () => r(s));
      });
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        expect((await http(base, 'GET', '/v1/account')).status).toBe(200);
        now = new Date(startsAt.getTime() + 1000);
        const blocked = await http(base, 'GET', '/v1/account');
        expect(blocked.status).toBe(503);
        expect(blocked.body.code).toBe('maintenance');
        expect(blocked.headers.get('retry-after')).toBe('3599');
        expect((await http(base, 'GET', '/health')).status).toBe(200);
        expect((await http(base, 'GET', '/v1/staff/x')).status).toBe(200);
        now = endsAt;
        expect((await http(base, 'GET', '/v1/account')).status).toBe(200);
      } finally {
        await new Promise((r) => server.close(r));
        await sys.db('maintenance_windows').where({ id }).update({ cancelled_at: new Date() });
      }
    },
  );
});
