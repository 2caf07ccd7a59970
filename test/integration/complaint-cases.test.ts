// 10.3 (unsolicited e-mail): spam complaints arrive as signed SendGrid events; a campaign whose
// complaints pass the threshold (0.3% of its messages by default, at least 5 complaints) opens one
// 'complaint_rate' case with evidence and a review in the deadlines register; compliance closes it.
import { generateKeyPairSync, sign } from 'node:crypto';
import { startSystem, http, type System } from '../support/system';
import { staffLogin } from '../support/staff';
import { seedCampaign } from '../support/send';
import { complaintCaseWorkflowId } from '../../workflows/ids';

describe('complaint-rate cases', () => {
  let sys: System;
  const saved = { ...process.env };
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

  beforeAll(async () => {
    process.env.SENDGRID_WEBHOOK_PUBLIC_KEY = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    sys = await startSystem();
  });

  afterAll(async () => {
    await sys?.stop();
    if (saved.SENDGRID_WEBHOOK_PUBLIC_KEY === undefined) delete process.env.SENDGRID_WEBHOOK_PUBLIC_KEY;
    else process.env.SENDGRID_WEBHOOK_PUBLIC_KEY = saved.SENDGRID_WEBHOOK_PUBLIC_KEY;
  });

  /** Posts SendGrid events signed as SendGrid signs them. */
  const postEvents = (events: Record<string, unknown>[]) => {
    const payload = JSON.stringify(events);
    const timestamp = String(Math.floor(Date.now() / 1000));
    return http(sys.baseUrl, 'POST', '/webhooks/sendgrid/events', {
      raw: payload,
      headers: {
        'content-type': 'application/json',
        'x-twilio-email-event-webhook-signature': sign('sha256', Buffer.from(timestamp + payload), privateKey).toString(
          'base64',
        ),
        'x-twilio-email-event-webhook-timestamp': timestamp,
      },
    });
  };
  const spamReports = (ids: string[]) =>
    ids.map((id) => ({
      event: 'spamreport',
      mid: String(id),
      sg_event_id: `spam-${id}`,
      sg_message_id: 'SGx.1',
      email: `u${id}@example.com`,
    }));
  const cases = (orderId: string) =>
    sys.db('contract_cases').where({ kind: 'complaint_rate', workflow_id: complaintCaseWorkflowId(orderId) });

  test('When complaints pass 0.3% of a 2,000-message campaign, then one case opens at the 7th (not at 6 = 0.3% exactly), with evidence and a review due in 24 h', async () => {
    const c = await seedCampaign(sys.db, { total: 2_000, channel: 'email' });
    const ids = (await sys.db('messages').where({ order_id: c.orderId }).orderBy('seq').limit(9).pluck('id')).map(
      String,
    );

    expect((await postEvents(spamReports(ids.slice(0, 6)))).status).toBe(204); // 6 / 2000 = 0.30%: not beyond
    expect(await cases(c.orderId)).toHaveLength(0);
    // A repeated delivery of the same events counts nothing twice.
    expect((await postEvents(spamReports(ids.slice(0, 6)))).status).toBe(204);
    expect(await sys.db('campaign_complaints').where({ order_id: c.orderId }).first()).toMatchObject({ complaints: 6 });
    expect(await cases(c.orderId)).toHaveLength(0);

    const before = Date.now();
    expect((await postEvents(spamReports([ids[6]]))).status).toBe(204); // 7 / 2000 = 0.35%
    const opened = await cases(c.orderId);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      account_id: c.accountId,
      clause: '10.3',
      state: 'open',
      opened_by_type: 'system',
      details: { complaints: 7, messages: 2_000, rate: 0.0035, threshold: 0.003 },
    });
    const review = await sys
      .db('deadlines')
      .where({ workflow_id: complaintCaseWorkflowId(c.orderId), kind: 'complaint_review' })
      .first();
    expect(review).toMatchObject({ state: 'open', clause: '10.3', account_id: c.accountId });
    expect(new Date(review.due_at).getTime()).toBeGreaterThanOrEqual(before + 24 * 3_600_000 - 1_000);
    expect(new Date(review.due_at).getTime()).toBeLessThanOrEqual(Date.now() + 24 * 3_600_000);
    const evidence = await sys
      .db('evidence_log')
      .where({ kind: 'breach_case_opened' })
      .whereRaw("payload->>'caseId' = ?", [opened[0].id]);
    expect(evidence).toHaveLength(1);
    // Every complainant is suppressed for the account.
    expect(
      await sys
        .db('suppressions')
        .where({ account_id: c.accountId, channel: 'email', reason: 'spamreport' })
        .count({ n: '*' }),
    ).toEqual([{ n: '7' }]);

    // More complaints: still one case.
    expect((await postEvents(spamReports(ids.slice(7, 9)))).status).toBe(204);
    expect(await cases(c.orderId)).toHaveLength(1);

    // Compliance reviews it once: the case and its review close, with evidence and audit.
    const staff = await staffLogin(sys, ['compliance']);
    const reviewed = await http(sys.baseUrl, 'POST', `/v1/staff/cases/${opened[0].id}/review`, {
      token: staff.token,
      headers: { 'x-access-reason': 'complaint review follow-up' },
      body: { decision: 'formal_notice', note: 'Purchased list; formal notice to follow.' },
    });
    expect(reviewed).toMatchObject({ status: 200, body: { state: 'reviewed', decision: 'formal_notice' } });
    expect(
      await sys
        .db('deadlines')
        .where({ workflow_id: complaintCaseWorkflowId(c.orderId), kind: 'complaint_review' })
        .first(),
    ).toMatchObject({ state: 'closed', outcome: 'formal_notice' });
    const again = await http(sys.baseUrl, 'POST', `/v1/staff/cases/${opened[0].id}/review`, {
      token: staff.token,
      headers: { 'x-access-reason': 'complaint review follow-up' },
      body: { decision: 'no_action', note: 'second look' },
    });
    expect(again).toMatchObject({ status: 409, body: { code: 'case_closed' } });
    const read = await http(sys.baseUrl, 'GET', `/v1/staff/cases/${opened[0].id}`, {
      token: staff.token,
      headers: { 'x-access-reason': 'complaint review follow-up' },
    });
    expect(read.body.timeline.map((e: { event: string }) => e.event)).toEqual(
      expect.arrayContaining(['breach_case_opened', 'breach_case_reviewed']),
    );
  });

  test('When a small campaign gets fewer than 5 complaints, then no case opens even at a high rate', async () => {
    const c = await seedCampaign(sys.db, { total: 100, channel: 'email' });
    const ids = (await sys.db('messages').where({ order_id: c.orderId }).orderBy('seq').limit(5).pluck('id')).map(
      String,
    );
    expect((await postEvents(spamReports(ids.slice(0, 4)))).status).toBe(204); // 4%, but only 4 complaints
    expect(await cases(c.orderId)).toHaveLength(0);
    expect((await postEvents(spamReports([ids[4]]))).status).toBe(204); // the 5th
    expect(await cases(c.orderId)).toHaveLength(1);
  });
});
