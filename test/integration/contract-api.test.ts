// Contract routes over the API without a test of their own elsewhere: prohibited use (10.3),
// data-subject requests (Annex 2.3), personal-data breach (Annex 2.3.3), force majeure declared
// by the User (11), publication of a terms version (3.3). Real API, worker, dev server, Postgres.
import { randomUUID } from 'node:crypto';
import { eventually, http, onboard, startSystem, System } from '../support/system';
import { staffLogin } from '../support/staff';
import type { DbRow } from '../../lib/db';
import { suspendAccountNow } from '../../activities/contract-state';
import { terminationWorkflowId } from '../../workflows/ids';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const HOUR = 3600 * 1000;
const REASON = { 'x-access-reason': 'compliance review of contract case' };
const sms = { channel: 'sms', purpose: 'transactional', to: '+33612345678', body: 'Bonjour', sender: 'Acme' };

async function compliance() {
  const s = await staffLogin(sys, ['compliance']);
  return (method: string, path: string, body?: unknown) =>
    http(sys.baseUrl, method, path, { token: s.token, body, headers: REASON });
}
const evidence = (accountId: string) => sys.db('evidence_log').where({ account_id: accountId }).orderBy('seq');

describe('contract routes over the API', () => {
  test('When staff find prohibited use and suspend, then the account is suspended at once (no 7-day delay) and its sends get 403 account_suspended', async () => {
    const a = await onboard(sys);
    const staff = await compliance();
    const before = await http(sys.baseUrl, 'POST', '/v1/messages', { token: a.apiKey, body: sms });
    expect(before.status).not.toBe(403);

    const res = await staff('POST', `/v1/staff/accounts/${a.accountId}/prohibited-use`, {
      action: 'suspend',
      behaviour: 'Phishing messages sent to recipients',
    });
    expect(res.status).toBe(201);
    // Immediately on the answer, not after a delay.
    const row = await sys.db('accounts').where({ id: a.accountId }).first('status', 'suspensions');
    expect(row.status).toBe('suspended');
    expect(row.suspensions).toEqual([expect.objectContaining({ kind: 'prohibited_use', ref: res.body.caseId })]);
    const c = await sys.db('contract_cases').where({ id: res.body.caseId }).first();
    expect(c).toMatchObject({ kind: 'prohibited_use', clause: '10.3', state: 'suspended', account_id: a.accountId });
    expect((await evidence(a.accountId)).map((e) => e.kind)).toEqual(expect.arrayContaining(['prohibited_use_found']));
    // 6.3.4: "subject to immediate information", by the time the route answers.
    const infoKey = `suspension:${a.accountId}:prohibited_use:${res.body.caseId}`;
    const info = await sys.db('platform_emails').where({ notice_key: infoKey }).first();
    expect(info.to_addresses).toEqual([a.reg.member.email]);
    expect(info.body).toContain(
      'with immediate effect (article 6.3.4, 10.3). Reason: Phishing messages sent to recipients',
    );

    const sent = await http(sys.baseUrl, 'POST', '/v1/messages', { token: a.apiKey, body: sms });
    expect(sent.status).toBe(403);
    expect(sent.body.code).toBe('account_suspended');
  });

  test('When the system suspends for late payment (7.3), then the account is suspended without any notice; a terminated account is left as it is', async () => {
    const a = await onboard(sys);
    const deps = { db: sys.db, temporal: sys.client };
    const late = {
      accountId: a.accountId,
      kind: 'late_payment',
      ref: randomUUID(),
      reason: 'invoice F-1 unpaid (7.3)',
      by: { type: 'system' as const },
    };
    expect(await suspendAccountNow(deps, late)).toEqual({ applied: true });
    const row = await sys.db('accounts').where({ id: a.accountId }).first('status', 'suspensions');
    expect(row.status).toBe('suspended');
    expect(row.suspensions).toEqual([expect.objectContaining({ kind: 'late_payment', ref: late.ref })]);
    const notices = sys
      .db('platform_emails')
      .where({ account_id: a.accountId })
      .whereLike('notice_key', 'suspension:%');
    expect(await notices).toEqual([]);

    const staff = await compliance();
    const ended = await staff('POST', `/v1/staff/accounts/${a.accountId}/prohibited-use`, {
      action: 'terminate',
      behaviour: 'Illegal content sent at scale',
    });
    expect(ended.status).toBe(201);
    const again = { ...late, ref: randomUUID() };
    expect(await suspendAccountNow(deps, again)).toEqual({ applied: false });
    const after = await sys.db('accounts').where({ id: a.accountId }).first('status', 'suspensions');
    expect(after.status).toBe('terminated');
    expect(after.suspensions).not.toContainEqual(expect.objectContaining({ ref: again.ref }));
  });

  test('When staff find prohibited use and terminate, then the account is terminated at once with a notice, its sends get 403 account_terminated and a second finding gets 409', async () => {
    const a = await onboard(sys);
    const staff = await compliance();
    const res = await staff('POST', `/v1/staff/accounts/${a.accountId}/prohibited-use`, {
      action: 'terminate',
      behaviour: 'Illegal content sent at scale',
    });
    expect(res.status).toBe(201);
    expect((await sys.db('accounts').where({ id: a.accountId }).first('status')).status).toBe('terminated');
    const mail = await sys
      .db('platform_emails')
      .where({ account_id: a.accountId, notice_key: `prohibited-use:${res.body.caseId}` })
      .first();
    expect(mail.to_addresses).toEqual([a.reg.member.email]);
    // The end-of-contract clock started (10.2).
    const d = await eventually(
      () =>
        sys.client.workflow
          .getHandle(terminationWorkflowId(a.accountId))
          .describe()
          .catch(() => null),
      (x) => x !== null,
    );
    expect(d?.status.name).toBe('RUNNING');

    const sent = await http(sys.baseUrl, 'POST', '/v1/messages', { token: a.apiKey, body: sms });
    expect(sent.status).toBe(403);
    expect(sent.body.code).toBe('account_terminated');
    const again = await staff('POST', `/v1/staff/accounts/${a.accountId}/prohibited-use`, {
      action: 'terminate',
      behaviour: 'Illegal content sent at scale',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('account_terminated');
  });

  test('When staff register a data-subject request, then it is forwarded to the User at once (e-mail + evidence) and staff close it with a resolution', async () => {
    const a = await onboard(sys);
    const staff = await compliance();
    const res = await staff('POST', '/v1/staff/data-subject-requests', {
      accountId: a.accountId,
      kind: 'erasure',
      subjectContact: 'jean.dupont@example.org',
      details: 'Please erase my number',
    });
    expect(res.status).toBe(201);
    expect(res.body.state).toBe('forwarded');
    const id = res.body.id as string;
    const row = await sys.db('data_subject_requests').where({ id }).first();
    expect(row).toMatchObject({ state: 'forwarded', account_id: a.accountId, kind: 'erasure' });
    expect(row.forwarded_at).not.toBeNull();
    const mail = await sys
      .db('platform_emails')
      .where({ account_id: a.accountId, notice_key: `dsr:${id}` })
      .first();
    expect(mail.to_addresses).toEqual([a.reg.member.email]);
    expect(mail.body).toContain('jean.dupont@example.org');
    const entry = (await evidence(a.accountId)).find(
      (e) => e.kind === 'notice_sent' && e.payload.noticeKind === 'data_subject_request_forwarded',
    );
    expect(entry?.payload).toMatchObject({ requestId: id, requestKind: 'erasure', recipients: [a.reg.member.email] });

    const closed = await staff('POST', `/v1/staff/data-subject-requests/${id}/close`, {
      resolution: 'Erased by the User',
    });
    expect(closed.status).toBe(200);
    expect(closed.body.state).toBe('closed');
    expect(await sys.db('data_subject_requests').where({ id }).first()).toMatchObject({
      state: 'closed',
      resolution: 'Erased by the User',
    });
    expect(
      (await staff('POST', `/v1/staff/data-subject-requests/${randomUUID()}/close`, { resolution: 'none' })).status,
    ).toBe(404);
  });

  test('When staff open a personal-data breach, then the deadlines list shows its notification due 36 hours after awareness, and notifying closes it', async () => {
    const a = await onboard(sys);
    const staff = await compliance();
    const awareAt = new Date(Date.now() - HOUR);
    const res = await staff('POST', '/v1/staff/data-breaches', {
      accountIds: [a.accountId],
      awareAt: awareAt.toISOString(),
      description: 'Backup bucket exposed',
    });
    expect(res.status).toBe(201);
    const list = () => staff('GET', `/v1/staff/deadlines?kind=data_breach_notification&accountId=${a.accountId}`);
    const open = await eventually(list, (r) => r.body.items?.length === 1);
    expect(open.body.items[0]).toMatchObject({
      kind: 'data_breach_notification',
      accountId: a.accountId,
      clause: 'Annex 2.3.3',
      state: 'open',
      workflowId: res.body.workflowId,
      dueAt: new Date(awareAt.getTime() + 36 * HOUR).toISOString(),
    });

    const notified = await staff('POST', `/v1/staff/data-breaches/${res.body.caseId}/notify`, {
      summary: 'Bucket closed; phone numbers exposed',
    });
    expect(notified.status).toBe(202);
    const closed = await eventually(list, (r) => r.body.items?.[0]?.state !== 'open');
    expect(closed.body.items[0]).toMatchObject({ state: 'closed', outcome: 'notified' });
    const mail = await eventually<DbRow>(
      () =>
        sys
          .db('platform_emails')
          .where({ account_id: a.accountId })
          .whereLike('notice_key', `data-breach:${res.body.caseId}%`)
          .first(),
      Boolean,
    );
    expect(mail.to_addresses).toEqual([a.reg.member.email]);
  });

  test('When the User declares force majeure, then its termination right is listed in the deadlines and terminating before it opens gets 409 termination_right_not_open', async () => {
    const a = await onboard(sys);
    const staff = await compliance();
    const res = await http(sys.baseUrl, 'POST', '/v1/force-majeure', {
      token: a.apiKey,
      body: {
        startedAt: new Date(Date.now() - HOUR).toISOString(),
        description: 'Flood in our data centre',
        obligations: ['payment'],
      },
    });
    expect(res.status).toBe(201);
    const right = await eventually(
      () => staff('GET', `/v1/staff/deadlines?kind=force_majeure_termination_right&accountId=${a.accountId}`),
      (r) => r.body.items?.length === 1,
    );
    expect(right.body.items[0]).toMatchObject({
      kind: 'force_majeure_termination_right',
      clause: '11',
      state: 'open',
      workflowId: res.body.workflowId,
    });
    expect(new Date(right.body.items[0].dueAt).getTime()).toBeGreaterThan(Date.now() + 27 * 24 * HOUR);

    const term = await http(sys.baseUrl, 'POST', `/v1/force-majeure/${res.body.caseId}/termination`, {
      token: a.session,
    });
    expect(term.status).toBe(409);
    expect(term.body.code).toBe('termination_right_not_open');
    expect((await sys.db('accounts').where({ id: a.accountId }).first('status')).status).toBe('active');
  });

  test('When staff publish a terms version, then the account is e-mailed the change (evidence notice_sent terms_change) and a second publication of it gets 409', async () => {
    const a = await onboard(sys);
    const s = await staffLogin(sys, ['admin']);
    const version = `t-${randomUUID().slice(0, 8)}`;
    // Only this test's account is affected: other test files' accounts share the database.
    const res = await http(sys.baseUrl, 'POST', '/v1/staff/terms-versions', {
      token: s.token,
      body: { version, textSha256: 'a'.repeat(64), accountIds: [a.accountId] },
    });
    expect(res.status).toBe(201);
    expect(res.body.accountsNotified).toBe(1);
    const key = `terms-change:${version}:${a.accountId}`;
    const mail = await eventually<DbRow>(
      () => sys.db('platform_emails').where({ account_id: a.accountId, notice_key: key }).first(),
      Boolean,
    );
    expect(mail.to_addresses).toEqual([a.reg.member.email]);
    const entry = await eventually<DbRow>(
      async () =>
        (await evidence(a.accountId)).find((e) => e.kind === 'notice_sent' && e.payload.noticeKind === 'terms_change'),
      Boolean,
    );
    expect(entry?.payload).toMatchObject({ version, previousVersion: '2026-01', clause: '3.3' });
    const again = await http(sys.baseUrl, 'POST', '/v1/staff/terms-versions', {
      token: s.token,
      body: { version, textSha256: 'a'.repeat(64), accountIds: [a.accountId] },
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('terms_version_exists');
  });
});
