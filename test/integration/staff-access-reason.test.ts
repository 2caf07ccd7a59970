// Appendix 1: staff reach a given account's data only with a stated reason (X-Access-Reason),
// and the audit log keeps it with the act. The routes are read from the application itself, so a
// staff route added later fails this test until it is given a call below or an allow-list entry.
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import { createApp } from '../../api/app';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { eventually, http, onboard, startSystem, System, type HttpResult } from '../support/system';
import { staffLogin } from '../support/staff';
import { complaintCaseWorkflowId, formalNoticeWorkflowId, subscriptionTermWorkflowId } from '../../workflows/ids';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const HOUR = 3_600_000;
const REASON = 'ticket 4242: customer asked for help';

/** Staff routes that concern no given account's data, each with why. */
const ALLOWED_WITHOUT_REASON: Record<string, string> = {
  'POST /v1/staff/sessions': "login: the staff member's own credentials, no customer data",
  'POST /v1/staff/members': "creates a staff member and enrols their TOTP: staff data, not an account's",
  'POST /v1/staff/sessions/enrolment': "first login's TOTP enrolment: the member's own credentials",
  'GET /v1/staff/me': "the staff member's own identity and roles, no customer data",
  'DELETE /v1/staff/sessions/current': "logout: revokes the staff member's own session",
  'POST /v1/staff/terms-versions': 'publishes a platform-wide terms version; answers a count of accounts',
  'POST /v1/staff/maintenance-windows': 'platform-wide maintenance window, no account in it',
  'DELETE /v1/staff/maintenance-windows/:id': 'cancels a platform-wide maintenance window',
  'GET /v1/staff/maintenance-windows': 'lists the platform-wide maintenance windows, no account in them',
  'GET /v1/staff/billing/legal-rates': 'the legal interest rate table, public figures',
  'POST /v1/staff/billing/legal-rates': "adds a semester's legal interest rate, public figures",
};

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every METHOD /path of the Express router stack under /v1/staff, mounted routers included. */
function staffRoutes(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths.filter((x) => x.startsWith('/v1/staff'))) {
          for (const m of Object.keys(layer.route.methods)) out.push(`${m === '_all' ? 'ALL' : m.toUpperCase()} ${p}`);
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}

interface Call {
  path: string;
  body?: unknown;
  status: number;
}

test('When staff call a route about an account without X-Access-Reason, then it refuses with access_reason_required and writes nothing; with it, the audit entry carries the reason', async () => {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', LIFECYCLE_TASK_QUEUE: sys.taskQueue });
  const routes = staffRoutes(
    createApp({ db: sys.db, temporal: sys.client, config, logger: createLogger('t', 'silent') }),
  );
  expect(routes).toEqual(expect.arrayContaining(['POST /v1/staff/sessions', 'GET /v1/staff/deadlines']));

  const a = await onboard(sys); // subscription
  const b = await onboard(sys);
  const p = await onboard(sys, { account: { formula: 'pack' } });
  const admin = await staffLogin(sys, ['admin']);
  const answers = new Map<string, HttpResult['body']>();
  const got = (route: string) => answers.get(route);
  const invoice = (
    await http(sys.baseUrl, 'POST', '/v1/billing/packs', { token: p.apiKey, body: { pack: 'pack-100' } })
  ).body.id;
  const dispute = await eventually(
    () =>
      http(sys.baseUrl, 'POST', `/v1/billing/invoices/${invoice}/disputes`, {
        token: p.apiKey,
        body: { reason: 'we ordered the small pack' },
      }),
    (r) => r.status !== 503,
  );
  const complaintCase = randomUUID();
  await sys.db('contract_cases').insert({
    id: complaintCase,
    kind: 'complaint_rate',
    account_id: a.accountId,
    clause: '10.3',
    state: 'open',
    workflow_id: complaintCaseWorkflowId(randomUUID()),
    details: {},
    opened_by_type: 'system',
  });
  const suspensionRef = randomUUID();
  const draft = (
    await http(sys.baseUrl, 'POST', '/v1/campaigns', {
      token: b.apiKey,
      body: { channel: 'sms', purpose: 'transactional', template: 'Hello', sender: 'Acme' },
    })
  ).body.id as string;
  const campaign = (action: string) => `/v1/staff/accounts/${b.accountId}/campaigns/${draft}/${action}`;
  const formalNotice = () => got('POST /v1/staff/accounts/:id/formal-notices').caseId as string;
  const forceMajeure = () => got('POST /v1/staff/force-majeure').caseId as string;

  // Every staff route about an account, in an order where each call's prerequisites exist.
  const calls: Record<string, () => Promise<Call>> = {
    'GET /v1/staff/accounts/:id': async () => ({ path: `/v1/staff/accounts/${a.accountId}`, status: 200 }),
    'GET /v1/staff/accounts': async () => ({ path: '/v1/staff/accounts?status=active', status: 200 }),
    'GET /v1/staff/accounts/:id/cases': async () => ({ path: `/v1/staff/accounts/${a.accountId}/cases`, status: 200 }),
    'GET /v1/staff/accounts/:id/requests': async () => ({
      path: `/v1/staff/accounts/${a.accountId}/requests`,
      status: 200,
    }),
    'GET /v1/staff/campaigns': async () => ({ path: `/v1/staff/campaigns?accountId=${b.accountId}`, status: 200 }),
    'GET /v1/staff/audit': async () => ({ path: `/v1/staff/audit?accountId=${a.accountId}`, status: 200 }),
    'GET /v1/staff/deadlines': async () => ({ path: `/v1/staff/deadlines?accountId=${a.accountId}`, status: 200 }),
    'POST /v1/staff/accounts/:id/formal-notices': async () => ({
      path: `/v1/staff/accounts/${a.accountId}/formal-notices`,
      body: { breach: 'Unsolicited e-mail campaign' },
      status: 201,
    }),
    'GET /v1/staff/cases/:id': async () => ({ path: `/v1/staff/cases/${formalNotice()}`, status: 200 }),
    'POST /v1/staff/cases/:id/cure': async () => {
      const workflowId = formalNoticeWorkflowId(formalNotice());
      await eventually(
        () => sys.db('deadlines').where({ workflow_id: workflowId, kind: 'formal_notice_cure' }).first(),
        Boolean,
      );
      return { path: `/v1/staff/cases/${formalNotice()}/cure`, body: { note: 'list cleaned' }, status: 200 };
    },
    'POST /v1/staff/cases/:id/review': async () => ({
      path: `/v1/staff/cases/${complaintCase}/review`,
      body: { decision: 'no_action', note: 'isolated complaints' },
      status: 200,
    }),
    'POST /v1/staff/accounts/:id/suspensions': async () => ({
      path: `/v1/staff/accounts/${a.accountId}/suspensions`,
      body: { kind: 'staff', ref: suspensionRef, reason: 'checking a complaint' },
      status: 201,
    }),
    'DELETE /v1/staff/accounts/:id/suspensions/:kind/:ref': async () => ({
      path: `/v1/staff/accounts/${a.accountId}/suspensions/staff/${suspensionRef}`,
      status: 200,
    }),
    'POST /v1/staff/accounts/:id/prohibited-use': async () => ({
      path: `/v1/staff/accounts/${b.accountId}/prohibited-use`,
      body: { action: 'suspend', behaviour: 'Phishing messages' },
      status: 201,
    }),
    'POST /v1/staff/accounts/:id/termination-notice': async () => {
      await eventually(
        () =>
          sys.client.workflow
            .getHandle(subscriptionTermWorkflowId(a.accountId))
            .describe()
            .catch(() => null),
        Boolean,
      );
      return { path: `/v1/staff/accounts/${a.accountId}/termination-notice`, status: 202 };
    },
    'POST /v1/staff/force-majeure': async () => ({
      path: '/v1/staff/force-majeure',
      status: 201,
      body: {
        accountId: a.accountId,
        startedAt: new Date(Date.now() - HOUR).toISOString(),
        description: 'Carrier outage',
        obligations: ['payment'],
      },
    }),
    // Refused by the clock (the right opens after a month): still behind the reason.
    'POST /v1/staff/force-majeure/:id/termination': async () => ({
      path: `/v1/staff/force-majeure/${forceMajeure()}/termination`,
      status: 409,
    }),
    'POST /v1/staff/force-majeure/:id/end': async () => ({
      path: `/v1/staff/force-majeure/${forceMajeure()}/end`,
      status: 200,
    }),
    'POST /v1/staff/data-breaches': async () => ({
      path: '/v1/staff/data-breaches',
      body: { accountIds: [a.accountId], awareAt: new Date().toISOString(), description: 'Bucket exposed' },
      status: 201,
    }),
    'POST /v1/staff/data-breaches/:id/notify': async () => {
      const { caseId, workflowId } = got('POST /v1/staff/data-breaches');
      await eventually(
        () => sys.db('deadlines').where({ workflow_id: workflowId, kind: 'data_breach_notification' }).first(),
        Boolean,
      );
      return { path: `/v1/staff/data-breaches/${caseId}/notify`, body: { summary: 'Bucket closed' }, status: 202 };
    },
    'POST /v1/staff/data-subject-requests': async () => ({
      path: '/v1/staff/data-subject-requests',
      body: { accountId: a.accountId, kind: 'access', subjectContact: 'jean@example.org' },
      status: 201,
    }),
    'POST /v1/staff/data-subject-requests/:id/close': async () => ({
      path: `/v1/staff/data-subject-requests/${got('POST /v1/staff/data-subject-requests').id}/close`,
      body: { resolution: 'Answered' },
      status: 200,
    }),
    'GET /v1/staff/billing/accounts/:id/ledger': async () => ({
      path: `/v1/staff/billing/accounts/${p.accountId}/ledger`,
      status: 200,
    }),
    'GET /v1/staff/billing/accounts/:id/invoices': async () => ({
      path: `/v1/staff/billing/accounts/${p.accountId}/invoices`,
      status: 200,
    }),
    'POST /v1/staff/billing/accounts/:id/adjustments': async () => ({
      path: `/v1/staff/billing/accounts/${p.accountId}/adjustments`,
      body: { amountCents: 500, reason: 'goodwill gesture' },
      status: 201,
    }),
    'POST /v1/staff/billing/invoices/:id/credit-notes': async () => ({
      path: `/v1/staff/billing/invoices/${invoice}/credit-notes`,
      body: { amountCents: 100, reason: 'goodwill credit' },
      status: 201,
    }),
    'GET /v1/staff/billing/overdue-invoices': async () => ({
      path: `/v1/staff/billing/overdue-invoices?accountId=${p.accountId}`,
      status: 200,
    }),
    'GET /v1/staff/billing/credit-notes': async () => ({ path: '/v1/staff/billing/credit-notes', status: 200 }),
    'GET /v1/staff/billing/payments': async () => ({ path: '/v1/staff/billing/payments', status: 200 }),
    'GET /v1/staff/billing/disputes': async () => ({ path: '/v1/staff/billing/disputes?status=open', status: 200 }),
    'POST /v1/staff/billing/disputes/:id/resolve': async () => ({
      path: `/v1/staff/billing/disputes/${dispute.body.id}/resolve`,
      body: { outcome: 'rejected', note: 'the order is right' },
      status: 200,
    }),
    'POST /v1/staff/billing/accounts/:id/payments': async () => ({
      path: `/v1/staff/billing/accounts/${p.accountId}/payments`,
      body: { method: 'transfer', reference: 'VIR 1', amountCents: 100 },
      status: 201,
    }),
    // A draft campaign: pause and resume are refused by its state (still behind the reason), cancel acts.
    'POST /v1/staff/accounts/:id/campaigns/:campaignId/pause': async () => ({ path: campaign('pause'), status: 409 }),
    'POST /v1/staff/accounts/:id/campaigns/:campaignId/resume': async () => ({ path: campaign('resume'), status: 409 }),
    'POST /v1/staff/accounts/:id/campaigns/:campaignId/cancel': async () => ({ path: campaign('cancel'), status: 200 }),
    'GET /v1/staff/billing/config-errors': async () => ({ path: '/v1/staff/billing/config-errors', status: 200 }),
    'PUT /v1/staff/billing/accounts/:id/subscription-plan': async () => ({
      path: `/v1/staff/billing/accounts/${a.accountId}/subscription-plan`,
      body: { monthlyFeeCents: 0, monthlyPrepaidCents: 0 },
      status: 200,
    }),
  };

  // Every route is classified: a call here or a justified allow-list entry, never both, none stale.
  expect(Object.keys(ALLOWED_WITHOUT_REASON).filter((r) => r in calls)).toEqual([]);
  expect([...Object.keys(calls), ...Object.keys(ALLOWED_WITHOUT_REASON)].sort()).toEqual([...routes].sort());

  const failures: string[] = [];
  const auditOf = (requestId: string) =>
    sys.db('audit_log').where({ request_id: requestId }).select('reason', 'action');
  for (const [route, make] of Object.entries(calls)) {
    const method = route.split(' ')[0];
    const { path, body, status } = await make();
    const bare = `bare-${randomUUID()}`;
    const refused = await http(sys.baseUrl, method, path, {
      token: admin.token,
      body,
      headers: { 'x-request-id': bare },
    });
    if (refused.status !== 400 || refused.body?.code !== 'access_reason_required')
      failures.push(`${route}: ${refused.status} without a reason`);
    if ((await auditOf(bare)).length > 0) failures.push(`${route}: audited a refused call`);
    const reasoned = `reasoned-${randomUUID()}`;
    const res = await http(sys.baseUrl, method, path, {
      token: admin.token,
      body,
      headers: { 'x-request-id': reasoned, 'x-access-reason': REASON },
    });
    answers.set(route, res.body);
    if (res.status !== status)
      failures.push(`${route}: ${res.status} ${JSON.stringify(res.body)} with a reason, expected ${status}`);
    const rows = await auditOf(reasoned);
    if (status < 300 && (rows.length === 0 || rows.some((r) => r.reason !== REASON)))
      failures.push(`${route}: audit ${JSON.stringify(rows)}`);
  }
  expect(failures).toEqual([]);
});
