// The executable contract over the API, on the real dev server and Postgres, with a short test
// terms policy (durations in seconds): register → formal notice (with suspension) → no cure →
// automatic termination under 10.1 → export → data-return request → return → destruction
// confirmed in writing; the deadlines list and the evidence chain checked at each step.
import { createHash, randomUUID } from 'node:crypto';
import { verifyChain } from '../../lib/evidence';
import { eventually, http, onboard, startSystem, System } from '../support/system';
import { staffLogin } from '../support/staff';
import type { DbRow } from '../../lib/db';
import { manifestDigest, readExport } from '../support/export';
import { evidenceKinds, onTestTerms as onTestTermsOf } from '../support/contract';
import { deleteReturnedExport } from '../../activities/data-return';
import { formalNoticeWorkflowId, subscriptionTermWorkflowId, terminationWorkflowId } from '../../workflows/ids';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const onTestTerms = (accountId: string, overrides: Parameters<typeof onTestTermsOf>[2]) =>
  onTestTermsOf(sys, accountId, overrides);
const kinds = (accountId: string) => evidenceKinds(sys, accountId);

describe('the contract over the API', () => {
  test(
    'When a formal notice is not cured, then the contract is terminated under 10.1, the data is exported ' +
      'and returned on request, then destroyed with a written confirmation; deadlines and evidence follow ' +
      'each step',
    async () => {
      const a = await onboard(sys);
      await onTestTerms(a.accountId, { formalNoticeCure: 4, dataReturnRequest: 8 });
      const compliance = await staffLogin(sys, ['compliance']);
      // A message the account sent earlier: its recipient is personal data to be destroyed at the end.
      const [sent] = await sys
        .db('messages')
        .insert({
          order_id: randomUUID(),
          seq: 1,
          account_id: a.accountId,
          channel: 'sms',
          recipient: '+33612345678',
          country: 'FR',
          vars: { firstName: 'Zoé' },
          status: 'delivered',
          segments: 1,
          price_e4: 450,
        })
        .returning('id');
      const staff = (method: string, path: string, body?: unknown) =>
        http(sys.baseUrl, method, path, {
          token: compliance.token,
          body,
          headers: { 'x-access-reason': 'compliance review of breach case' },
        });

      // Staff endpoints refuse customer credentials.
      expect((await http(sys.baseUrl, 'GET', '/v1/staff/deadlines', { token: a.apiKey })).status).toBe(403);

      // The term clock started at registration (child of the account workflow), listed with its deadlines.
      const term = await eventually(
        () => staff('GET', `/v1/staff/deadlines?accountId=${a.accountId}&kind=subscription_term_expiry`),
        (r) => r.body.items?.length === 1,
      );
      expect(term.body.items[0]).toMatchObject({
        kind: 'subscription_term_expiry',
        accountId: a.accountId,
        clause: '3.2 i',
        state: 'open',
        workflowId: subscriptionTermWorkflowId(a.accountId),
      });

      // 1. Formal notice with immediate suspension (6.3.4, 10.1).
      const opened = await staff('POST', `/v1/staff/accounts/${a.accountId}/formal-notices`, {
        breach: 'Unsolicited e-mail campaign (spam complaints)',
        suspend: true,
      });
      expect(opened.status).toBe(201);
      const { caseId } = opened.body;
      const cure = await eventually(
        () => staff('GET', `/v1/staff/deadlines?accountId=${a.accountId}&kind=formal_notice_cure`),
        (r) => r.body.items?.length === 1,
      );
      expect(cure.body.items[0]).toMatchObject({
        kind: 'formal_notice_cure',
        clause: '10.1',
        state: 'open',
        workflowId: formalNoticeWorkflowId(caseId),
        accountId: a.accountId,
      });
      const account = await eventually(
        () => http(sys.baseUrl, 'GET', '/v1/account', { token: a.apiKey }),
        (r) => r.body.status === 'suspended',
      );
      expect(account.body.status).toBe('suspended');

      // 2. The User acknowledges receipt through the e-mailed link (evidence).
      const mail = await eventually<DbRow>(
        () =>
          sys
            .db('platform_emails')
            .where({ account_id: a.accountId })
            .whereLike('notice_key', 'formal-notice:%')
            .first(),
        Boolean,
      );
      expect(mail.to_addresses).toEqual([a.reg.member.email]);
      // The cure period is worded from the account's policy (4 s here), not from the 2026-01 text.
      expect(mail.body).toContain('You must remedy it within four (4) seconds of this notice.');
      const link = /\/v1\/notices\/([0-9a-f-]{36})\/acknowledge\?token=([A-Za-z0-9_-]{43})/.exec(mail.body)!;
      expect(link).not.toBeNull();
      expect(
        (await http(sys.baseUrl, 'GET', `/v1/notices/${link[1]}/acknowledge?token=${'x'.repeat(43)}`)).status,
      ).toBe(404);
      const ack = await http(sys.baseUrl, 'GET', `/v1/notices/${link[1]}/acknowledge?token=${link[2]}`);
      expect(ack.status).toBe(200);
      const stored = await sys.db('contract_notices').where({ id: link[1] }).first();
      expect(stored.ack_token_hash).not.toContain(link[2]);
      expect(stored.acknowledged_at).not.toBeNull();

      // 3. No cure: terminated automatically at the deadline; the cure deadline is missed.
      const terminated = await eventually(
        () => sys.db('accounts').where({ id: a.accountId }).first(),
        (r) => r.status === 'terminated',
        30_000,
      );
      expect(terminated.status).toBe('terminated');
      const missed = await eventually(
        () => staff('GET', `/v1/staff/deadlines?accountId=${a.accountId}&state=missed`),
        (r) => r.body.items?.length === 1,
      );
      expect(missed.body.items[0]).toMatchObject({
        kind: 'formal_notice_cure',
        state: 'missed',
        outcome: 'not_cured_terminated',
      });
      const cureAfter = await staff('POST', `/v1/staff/cases/${caseId}/cure`, {});
      expect(cureAfter.status).toBe(409);
      // Access stops (a guarded act answers account_terminated); the export stays available.
      const notice = await http(sys.baseUrl, 'POST', '/v1/contract/termination-notice', { token: a.session, body: {} });
      expect(notice.status).toBe(403);
      expect(notice.body.code).toBe('account_terminated');
      const window = await eventually(
        () => staff('GET', `/v1/staff/deadlines?accountId=${a.accountId}&kind=data_return_request`),
        (r) => r.body.items?.length === 1,
      );
      expect(window.body.items[0]).toMatchObject({
        clause: '10.2',
        state: 'open',
        workflowId: terminationWorkflowId(a.accountId),
      });
      const auth = { authorization: `Bearer ${a.apiKey}` };
      const exportedRes = await fetch(`${sys.baseUrl}/v1/account/export`, { headers: auth });
      expect(exportedRes.status).toBe(200);
      const exportedText = await exportedRes.text();
      const exported = readExport(exportedText);
      expect(exportedText).not.toContain(link[2]); // the acknowledgment token, redacted from notice and e-mail bodies
      expect(exported.rows.notices.find((x: { id: string }) => x.id === link[1]).body).toContain('token=[redacted]');
      expect(exported.rows.account[0]).toMatchObject({ id: a.accountId, status: 'terminated' });
      expect(exported.rows.members[0].email).toBe(a.reg.member.email);
      expect(exported.rows.evidence.map((e: { kind: string }) => e.kind)).toContain('acknowledgment_received');

      // 4. Data-return request within the window → export produced, then destruction confirmed.
      const ret = await http(sys.baseUrl, 'POST', '/v1/account/data-return-request', { token: a.session, body: {} });
      expect(ret.status).toBe(202);
      const destroyed = await eventually(
        () => sys.db('accounts').where({ id: a.accountId }).first(),
        (r) => r.data_destroyed_at !== null,
        30_000,
      );
      expect(destroyed.data_exported_at).not.toBeNull();
      expect(new Date(destroyed.data_exported_at).getTime()).toBeLessThanOrEqual(
        new Date(destroyed.data_destroyed_at).getTime(),
      );
      const confirmation = await eventually<DbRow>(
        () =>
          sys
            .db('platform_emails')
            .where({ notice_key: `destruction:${a.accountId}` })
            .first(),
        Boolean,
      );
      expect(confirmation.to_addresses).toEqual([a.reg.member.email]); // captured before the address was erased
      const member = await sys.db('members').where({ id: a.memberId }).first();
      expect(member.email).not.toBe(a.reg.member.email);
      const erased = await sys.db('messages').where({ id: sent.id }).first();
      // billing facts kept
      expect(erased).toMatchObject({ recipient: 'erased', vars: null, status: 'delivered', price_e4: 450 });
      // credentials destroyed too
      expect((await http(sys.baseUrl, 'GET', '/v1/account/export', { token: a.apiKey })).status).toBe(401);
      // The returned export: the same format and sections as the API's, taken before the destruction,
      // collected with the data-return notice's token (the credentials are gone), as announced.
      const returnMail: DbRow = await sys
        .db('platform_emails')
        .where({ notice_key: `data-return:${a.accountId}` })
        .first();
      const dl = /\/v1\/notices\/([0-9a-f-]{36})\/export\?token=([A-Za-z0-9_-]{43})/.exec(returnMail.body)!;
      expect(dl).not.toBeNull();
      expect((await http(sys.baseUrl, 'GET', `/v1/notices/${dl[1]}/export?token=${'x'.repeat(43)}`)).status).toBe(404);
      const returnedRes = await fetch(`${sys.baseUrl}/v1/notices/${dl[1]}/export?token=${dl[2]}`);
      expect(returnedRes.status).toBe(200);
      expect(returnedRes.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      const returnedText = await returnedRes.text();
      const returned = readExport(returnedText);
      expect(returned.received).toEqual(manifestDigest(returned.manifest));
      expect(returned.manifest.format).toBe(exported.manifest.format);
      expect(Object.keys(returned.manifest.sections)).toEqual(Object.keys(exported.manifest.sections));
      for (const unchanged of ['messages', 'members', 'api_keys', 'account_changes']) {
        expect([unchanged, returned.manifest.sections[unchanged]]).toEqual([
          unchanged,
          exported.manifest.sections[unchanged],
        ]);
      }
      expect(returned.rows.members[0].email).toBe(a.reg.member.email);
      expect(returned.rows.messages[0]).toMatchObject({
        id: sent.id,
        recipient: '+33612345678',
        vars: { firstName: 'Zoé' },
      });
      const returnNotice = await sys
        .db('contract_notices')
        .where({ key: `data-return:${a.accountId}` })
        .first();
      const sentEvidence = await sys.db('evidence_log').where({ account_id: a.accountId, kind: 'notice_sent' });
      const returnedEvidence = sentEvidence.find((e) => e.payload.noticeId === returnNotice.id);
      expect(returnedEvidence.payload).toMatchObject({
        bytes: Buffer.byteLength(returnedText),
        sha256: createHash('sha256').update(returnedText).digest('hex'),
        sections: returned.manifest.sections,
      });
      // Annex 2.4: when the collection window ends the workflow deletes this last copy (the 30 days
      // themselves are the workflow test's); an expired copy is not served even before that.
      const exportRow = await sys.db('account_exports').where({ account_id: a.accountId }).first();
      expect(new Date(exportRow.available_until).getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
      await sys
        .db('account_exports')
        .where({ id: exportRow.id })
        .update({ available_until: new Date(Date.now() - 1000) });
      expect((await http(sys.baseUrl, 'GET', `/v1/notices/${dl[1]}/export?token=${dl[2]}`)).status).toBe(404);
      expect(await deleteReturnedExport(sys.db, a.accountId)).toEqual({ deleted: 1 });
      expect(await sys.db('account_export_chunks').where({ export_id: exportRow.id })).toHaveLength(0);
      const closed = await staff('GET', `/v1/staff/deadlines?accountId=${a.accountId}&kind=data_return_request`);
      expect(closed.body.items[0]).toMatchObject({ state: 'closed', outcome: 'requested' });
      const termClosed = await eventually(
        () => staff('GET', `/v1/staff/deadlines?accountId=${a.accountId}&kind=subscription_term_expiry`),
        (r) => r.body.items?.[0]?.state === 'closed',
      );
      expect(termClosed.body.items[0].outcome).toBe('account_terminated');

      // The evidence chain: every notice, the acknowledgment, each state change, in order, intact.
      await eventually(
        () => kinds(a.accountId),
        (k) => k.filter((x) => x === 'notice_sent').length >= 4,
      );
      const chain = await kinds(a.accountId);
      const order = [
        'terms_accepted',
        'account_registered',
        'breach_case_opened',
        'suspension',
        'acknowledgment_received',
        'termination',
        'data_return_requested',
        'data_destroyed',
      ];
      expect(chain.filter((k) => order.includes(k))).toEqual(order);
      // formal notice, suspension information, data returned, destruction confirmed
      expect(chain.filter((k) => k === 'notice_sent')).toHaveLength(4);
      expect(chain[chain.length - 1]).toBe('notice_sent');
      expect((await verifyChain(sys.db, a.accountId)).ok).toBe(true);

      // The case timeline carries its evidence entries; reading it is audited with the reason.
      const timeline = await staff('GET', `/v1/staff/cases/${caseId}`);
      expect(timeline.status).toBe(200);
      expect(timeline.body).toMatchObject({
        kind: 'formal_notice',
        state: 'terminated',
        accountId: a.accountId,
        clause: '10.1',
      });
      expect(timeline.body.timeline.map((t: { event: string }) => t.event)).toEqual(
        expect.arrayContaining([
          'case_opened',
          'breach_case_opened',
          'notice_sent',
          'acknowledgment_received',
          'case_closed',
        ]),
      );
      expect(timeline.body.notices[0]).toMatchObject({ kind: 'formal_notice' });
      expect(timeline.body.notices[0].acknowledgedAt).not.toBeNull();
      const audited = await sys
        .db('audit_log')
        .where({ actor_id: compliance.staffId, action: 'staff.case.read' })
        .first();
      expect(audited.reason).toBe('compliance review of breach case');
    },
    90_000,
  );
});
