// Descriptions of the staff routes (api/staff-*.ts), in one place so that those route files stay
// short. Staff log in with password + TOTP (POST /v1/staff/sessions → Bearer ss_…); every route
// about an account's data needs X-Access-Reason (accessReason), kept in the audit entry.
import { z, type ZodType } from 'zod';
import { auditQuery, staffLoginSchema, staffMemberSchema } from '../staff-auth';
import { deadlinesQuery } from '../staff-deadlines';
import { enrolmentSchema } from '../staff-enrolment';
import { staffAccountsQuery, staffCampaignsQuery } from '../staff-accounts';
import { dataProtectionBodies } from '../staff-data-protection';
import { forceMajeureBodies } from '../staff-force-majeure';
import { maintenanceBodies } from '../staff-maintenance';
import { noticeBodies } from '../staff-notices';
import { termsBodies } from '../staff-terms';
import { instant } from '../schemas';
import { CLOCK_REFUSALS, describeRoute, jsonObject, type RouteSpec } from './registry';
import { describeStaffBillingRoutes } from './staff-billing';

export type StaffSpec = Omit<RouteSpec, 'tag' | 'access' | 'params' | 'responses'> & {
  responses?: RouteSpec['responses'];
};
const COMPLIANCE = ['compliance'];

/** Path parameters from the path; every one of them may be unknown (404 not_found). */
function staff(spec: StaffSpec): void {
  const names = [...spec.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
  const params = Object.fromEntries(names.map((n) => [n, z.string()]));
  const problems = [...(spec.problems ?? []), ...(names.length ? ['not_found'] : [])];
  const responses = spec.responses ?? { [spec.method === 'post' ? 201 : 200]: jsonObject };
  describeRoute({ tag: 'Staff', access: 'staff', ...spec, params, responses, problems });
}
const reason = { accessReason: true };
const TERMINATED = ['account_terminated@409'];

export function describeStaffRoutes(now: () => Date): void {
  const dp = dataProtectionBodies(instant('occurred', now));
  const majeure = forceMajeureBodies(instant('occurred', now));
  const maintenance = maintenanceBodies(instant('planned', now));
  describeRoute({
    method: 'post',
    path: '/v1/staff/sessions',
    summary: 'Staff login: password + TOTP → staff session (Bearer ss_…)',
    tag: 'Staff',
    access: 'public',
    body: staffLoginSchema,
    // 200: no session yet, the TOTP enrolment of a member's first login (api/staff-enrolment.ts).
    responses: { 201: jsonObject, 200: jsonObject },
    problems: ['unauthorized', 'login_throttled'],
  });
  describeRoute({
    method: 'post',
    path: '/v1/staff/sessions/enrolment',
    summary: 'First login: confirm the new TOTP secret with a code → staff session',
    tag: 'Staff',
    access: 'public',
    body: enrolmentSchema,
    responses: { 201: jsonObject },
    problems: ['unauthorized', 'login_throttled', 'invalid_totp_code'],
  });
  staff({
    method: 'post',
    path: '/v1/staff/members',
    summary: 'Create a staff member',
    roles: ['admin'],
    body: staffMemberSchema,
    problems: ['username_taken'],
  });
  staff({
    method: 'get',
    path: '/v1/staff/me',
    summary: 'The logged-in staff member: roles, session expiry, Temporal UI base URL',
  });
  staff({
    method: 'delete',
    path: '/v1/staff/sessions/current',
    summary: 'Logout: revokes this staff session',
    responses: { 204: null },
  });
  staff({
    method: 'get',
    path: '/v1/staff/accounts',
    summary: 'Accounts (by state, name or id), with their suspensions',
    ...reason,
    query: staffAccountsQuery,
  });
  staff({ method: 'get', path: '/v1/staff/accounts/:id', summary: 'Any account', ...reason });
  staff({
    method: 'get',
    path: '/v1/staff/accounts/:id/cases',
    summary: 'An account’s contract cases',
    roles: ['compliance', 'operations'],
    ...reason,
  });
  staff({
    method: 'get',
    path: '/v1/staff/accounts/:id/requests',
    summary: 'An account’s data-subject requests and liability claims',
    roles: COMPLIANCE,
    ...reason,
  });
  staff({
    method: 'get',
    path: '/v1/staff/campaigns',
    summary: 'Campaigns across accounts (running, scheduled, paused by default)',
    roles: ['operations', 'compliance'],
    ...reason,
    query: staffCampaignsQuery,
  });
  staff({
    method: 'get',
    path: '/v1/staff/audit',
    summary: 'Audit trail',
    roles: COMPLIANCE,
    ...reason,
    query: auditQuery,
  });
  const ops = ['compliance', 'operations'];
  staff({
    method: 'get',
    path: '/v1/staff/deadlines',
    summary: 'Deadlines register',
    roles: ops,
    ...reason,
    query: deadlinesQuery,
  });
  staff({
    method: 'get',
    path: '/v1/staff/cases/:id',
    summary: 'A case with evidence, notices, deadlines',
    roles: ops,
    ...reason,
  });
  const acc = '/v1/staff/accounts/:id';
  for (const action of ['pause', 'resume', 'cancel'])
    staff({
      method: 'post',
      path: `${acc}/campaigns/:campaignId/${action}`,
      summary: `Staff ${action} of an account’s campaign`,
      roles: ops,
      ...reason,
      responses: { 200: jsonObject },
      problems: ['campaign_not_running', 'invalid_transition'],
    });
  const notices: [string, string, string[], string[], ZodType | undefined][] = [
    [`${acc}/formal-notices`, 'Formal notice (breach, cure period)', COMPLIANCE, TERMINATED, noticeBodies.formalNotice],
    [`${acc}/suspensions`, 'Suspend an account', ops, TERMINATED, noticeBodies.suspension],
    [
      `${acc}/prohibited-use`,
      'Prohibited use: suspension or termination',
      COMPLIANCE,
      TERMINATED,
      noticeBodies.prohibitedUse,
    ],
    [
      `${acc}/termination-notice`,
      'Termination notice by the provider',
      ['compliance', 'admin'],
      ['not_a_subscription', ...CLOCK_REFUSALS],
      undefined,
    ],
    ['/v1/staff/cases/:id/review', 'Review a complaint case', COMPLIANCE, ['case_closed'], noticeBodies.review],
    ['/v1/staff/cases/:id/cure', 'Record the cure of a breach', COMPLIANCE, [...CLOCK_REFUSALS], noticeBodies.cure],
  ];
  for (const [path, summary, roles, problems, body] of notices)
    staff({
      method: 'post',
      path,
      summary,
      roles,
      ...reason,
      body,
      optionalBody: path.endsWith('/cure'),
      responses: { 201: jsonObject, 202: jsonObject, 200: jsonObject },
      problems,
    });
  staff({
    method: 'delete',
    path: `${acc}/suspensions/:kind/:ref`,
    summary: 'Lift a suspension',
    roles: ops,
    ...reason,
    responses: { 200: jsonObject },
    problems: ['billing_suspension'],
  });
  staff({
    method: 'post',
    path: '/v1/staff/terms-versions',
    summary: 'Publish a terms version',
    roles: ['admin', 'compliance'],
    body: termsBodies.version,
    problems: ['terms_version_exists'],
  });
  const fm = ['operations', 'compliance'];
  staff({
    method: 'post',
    path: '/v1/staff/force-majeure',
    summary: 'Force majeure declared by the provider',
    roles: fm,
    ...reason,
    body: majeure.declare,
    problems: ['account_terminated@409'],
  });
  staff({
    method: 'post',
    path: '/v1/staff/force-majeure/:id/end',
    summary: 'End of a force majeure case',
    roles: fm,
    ...reason,
    responses: { 202: jsonObject, 200: jsonObject },
    problems: [...CLOCK_REFUSALS],
  });
  staff({
    method: 'post',
    path: '/v1/staff/force-majeure/:id/termination',
    summary: 'Terminate under 11',
    roles: ['compliance', 'admin'],
    ...reason,
    responses: { 202: jsonObject },
    problems: [...CLOCK_REFUSALS],
  });
  staff({
    method: 'post',
    path: '/v1/staff/data-breaches',
    summary: 'Data breach case (72-hour clock)',
    roles: COMPLIANCE,
    ...reason,
    body: dp.breach,
    problems: ['unknown_account'],
  });
  staff({
    method: 'post',
    path: '/v1/staff/data-breaches/:id/notify',
    summary: 'Breach notified',
    roles: COMPLIANCE,
    ...reason,
    body: dp.notify,
    responses: { 202: jsonObject },
    problems: [...CLOCK_REFUSALS],
  });
  staff({
    method: 'post',
    path: '/v1/staff/data-subject-requests',
    summary: 'Data-subject request forwarded to the User',
    roles: COMPLIANCE,
    ...reason,
    body: dp.subjectRequest,
    problems: ['unknown_account'],
  });
  staff({
    method: 'post',
    path: '/v1/staff/data-subject-requests/:id/close',
    summary: 'Close a data-subject request',
    roles: COMPLIANCE,
    ...reason,
    body: dp.close,
    responses: { 200: jsonObject },
  });
  staff({
    method: 'post',
    path: '/v1/staff/maintenance-windows',
    summary: 'Plan a maintenance window (6.4.3)',
    roles: ['operations'],
    body: maintenance.window,
    problems: ['window_invalid'],
  });
  staff({
    method: 'get',
    path: '/v1/staff/maintenance-windows',
    summary: 'Maintenance windows not yet over',
    roles: ['operations', 'compliance'],
  });
  staff({
    method: 'delete',
    path: '/v1/staff/maintenance-windows/:id',
    summary: 'Cancel a maintenance window',
    roles: ['operations'],
    responses: { 204: null },
  });

  describeStaffBillingRoutes(now, staff); // api/openapi/staff-billing.ts
}
