// Descriptions of the customer's self-service routes: the lists (api/customer-lists.ts), the
// suppression lists (api/suppressions.ts), the data-protection registers (api/data-protection.ts),
// members and their credentials (api/members.ts, api/member-credentials.ts) and the outbound
// webhooks (api/webhook-endpoints.ts, api/webhook-operations.ts). Schemas: the routes' own.
import { z } from 'zod';
import { campaignsQuery, deadlinesQuery, inboundMessagesQuery, messagesQuery } from '../customer-lists';
import { suppressionBody, suppressionIdParams, suppressionImportQuery, suppressionsQuery } from '../suppressions';
import { noQuery } from '../data-protection';
import { acceptInvitationSchema, changeRoleSchema, inviteSchema } from '../members';
import {
  changePasswordSchema,
  resetConfirmSchema,
  resetRequestSchema,
  securitySchema,
  totpConfirmSchema,
} from '../member-credentials';
import { createWebhookEndpointBody, rotateWebhookSecretBody, updateWebhookEndpointBody } from '../webhook-endpoints';
import { redeliverBody, webhookEventsQuery, webhookLogQuery } from '../webhook-operations';
import { describeRoute, jsonObject, type RouteSpec } from './registry';

const page = z.object({ items: z.array(jsonObject), nextCursor: z.string().nullable() });
const id = { id: z.string() };
const op =
  (tag: string, access: RouteSpec['access'] = 'customer') =>
  (spec: Omit<RouteSpec, 'tag' | 'access'>) =>
    describeRoute({ tag, access, ...spec });

export function describeListRoutes(): void {
  const list = op('Lists');
  list({
    method: 'get',
    path: '/v1/messages',
    summary: 'The account’s messages, newest first (cursor-paginated, filtered)',
    query: messagesQuery,
    responses: { 200: page },
    problems: ['invalid_cursor', 'not_found'],
  });
  list({
    method: 'get',
    path: '/v1/campaigns',
    summary: 'The account’s campaigns with progress counts, newest first',
    query: campaignsQuery,
    responses: { 200: page },
    problems: ['invalid_cursor'],
  });
  list({
    method: 'get',
    path: '/v1/inbound-messages',
    summary: 'Replies received on the account’s senders, with their keyword (stop, start, help, other)',
    query: inboundMessagesQuery,
    responses: { 200: page },
    problems: ['invalid_cursor'],
  });
  list({
    method: 'get',
    path: '/v1/account/deadlines',
    summary: 'The contract clocks that concern the account (the deadlines register)',
    query: deadlinesQuery,
    responses: { 200: page },
    problems: ['invalid_cursor'],
  });
  const supp = op('Suppressions');
  supp({
    method: 'get',
    path: '/v1/suppressions',
    summary: 'The account’s SMS and e-mail suppression lists',
    query: suppressionsQuery,
    responses: { 200: page },
    problems: ['invalid_cursor'],
  });
  supp({
    method: 'post',
    path: '/v1/suppressions',
    summary: 'Add one address (200 when it is already listed)',
    body: suppressionBody,
    responses: { 200: jsonObject, 201: jsonObject },
    problems: ['invalid_phone', 'invalid_email'],
  });
  supp({
    method: 'post',
    path: '/v1/suppressions/import',
    summary: 'Import a CSV list (column address, optional reason): all rows or none',
    query: suppressionImportQuery,
    body: { contentType: 'text/csv', schema: z.string(), description: 'address[,reason] rows with a header' },
    responses: { 200: jsonObject },
    problems: [
      'unsupported_media_type',
      'malformed_csv',
      'invalid_csv_header',
      'empty_import',
      'too_many_rows',
      'invalid_rows',
    ],
  });
  supp({
    method: 'delete',
    path: '/v1/suppressions/:id',
    summary: 'Remove an entry (an entry a STOP reply made is refused: only START lifts it)',
    params: suppressionIdParams.shape,
    responses: { 204: null },
    problems: ['not_found', 'suppression_from_stop'],
  });
  const register = op('Data protection');
  register({
    method: 'get',
    path: '/v1/sub-processors',
    summary: 'The sub-processors (Annex): name, service, country, transfer basis',
    query: noQuery,
    responses: { 200: jsonObject },
  });
  register({
    method: 'get',
    path: '/v1/account/processing-record',
    summary: 'The record of processing for the account (Annex)',
    query: noQuery,
    responses: { 200: jsonObject },
  });
}

export function describeMemberRoutes(): void {
  const member = op('Members', 'member');
  op('Members')({
    method: 'get',
    path: '/v1/members',
    summary: 'The account’s members and their roles',
    responses: { 200: z.object({ items: z.array(jsonObject) }) },
  });
  member({
    method: 'post',
    path: '/v1/members/invitations',
    summary: 'Invite a member by e-mail, with a role (owner only)',
    body: inviteSchema,
    responses: { 201: jsonObject },
    problems: ['already_member'],
  });
  member({
    method: 'get',
    path: '/v1/members/invitations',
    summary: 'Open invitations (owner only)',
    responses: { 200: z.object({ items: z.array(jsonObject) }) },
  });
  member({
    method: 'delete',
    path: '/v1/members/invitations/:id',
    summary: 'Revoke an invitation (owner only)',
    params: id,
    responses: { 204: null },
    problems: ['not_found'],
  });
  op(
    'Members',
    'public',
  )({
    method: 'post',
    path: '/v1/invitations/accept',
    summary: 'Accept an invitation: choose a username and password',
    body: acceptInvitationSchema,
    responses: { 201: jsonObject },
    problems: ['not_found', 'invitation_expired', 'username_taken', 'already_member'],
  });
  member({
    method: 'patch',
    path: '/v1/members/:id',
    summary: 'Change a member’s role (owner only; the last owner stays)',
    params: id,
    body: changeRoleSchema,
    responses: { 200: jsonObject },
    problems: ['not_found', 'last_owner'],
  });
  member({
    method: 'delete',
    path: '/v1/members/:id',
    summary: 'Remove a member, their sessions and keys (owner only; the last owner stays)',
    params: id,
    responses: { 204: null },
    problems: ['not_found', 'last_owner'],
  });
  member({
    method: 'post',
    path: '/v1/members/me/password',
    summary: 'Change one’s password (the current one required; other sessions revoked)',
    body: changePasswordSchema,
    responses: { 204: null },
    problems: ['wrong_password', 'login_throttled'],
  });
  const open = op('Members', 'public');
  open({
    method: 'post',
    path: '/v1/password-resets',
    summary: 'Ask for a password reset by e-mail (the same answer whether the address exists or not)',
    body: resetRequestSchema,
    responses: { 202: jsonObject },
    problems: ['reset_throttled'],
  });
  open({
    method: 'post',
    path: '/v1/password-resets/confirm',
    summary: 'Set a new password with the e-mailed token (single use, 30 minutes)',
    body: resetConfirmSchema,
    responses: { 204: null },
    problems: ['invalid_reset_token'],
  });
  member({
    method: 'post',
    path: '/v1/members/me/totp',
    summary: 'Start TOTP enrolment: a secret and its otpauth URI',
    responses: { 201: z.object({ secret: z.string(), otpauthUri: z.string() }) },
    problems: ['totp_already_enabled'],
  });
  member({
    method: 'post',
    path: '/v1/members/me/totp/confirm',
    summary: 'Confirm TOTP enrolment with a code',
    body: totpConfirmSchema,
    responses: { 200: jsonObject },
    problems: ['invalid_totp_code', 'totp_not_started', 'totp_already_enabled'],
  });
  member({
    method: 'put',
    path: '/v1/account/security',
    summary: 'Require TOTP of every member (owner only, who must have it)',
    body: securitySchema,
    responses: { 200: jsonObject },
    problems: ['totp_not_enrolled'],
  });
}

export function describeWebhookRoutes(): void {
  const hook = op('Webhooks');
  const problems = ['not_found'];
  hook({
    method: 'post',
    path: '/v1/webhook-endpoints',
    summary: 'Register an endpoint: URL, event types; its signing secret is shown once',
    body: createWebhookEndpointBody,
    responses: { 201: jsonObject },
    problems: ['webhook_url_invalid', 'webhook_url_insecure', 'webhook_url_forbidden'],
  });
  hook({
    method: 'get',
    path: '/v1/webhook-endpoints',
    summary: 'The account’s endpoints',
    responses: { 200: z.object({ items: z.array(jsonObject) }) },
  });
  hook({
    method: 'get',
    path: '/v1/webhook-endpoints/:id',
    summary: 'An endpoint',
    params: id,
    responses: { 200: jsonObject },
    problems,
  });
  hook({
    method: 'patch',
    path: '/v1/webhook-endpoints/:id',
    summary: 'Change an endpoint (URL, events, description, enabled)',
    params: id,
    body: updateWebhookEndpointBody,
    responses: { 200: jsonObject },
    problems: [...problems, 'webhook_url_invalid', 'webhook_url_insecure', 'webhook_url_forbidden'],
  });
  hook({
    method: 'delete',
    path: '/v1/webhook-endpoints/:id',
    summary: 'Delete an endpoint',
    params: id,
    responses: { 204: null },
    problems,
  });
  hook({
    method: 'post',
    path: '/v1/webhook-endpoints/:id/rotate-secret',
    summary: 'A new signing secret (shown once); the old one also signs during the overlap',
    params: id,
    body: rotateWebhookSecretBody,
    optionalBody: true,
    responses: { 200: jsonObject },
    problems,
  });
  hook({
    method: 'get',
    path: '/v1/webhook-endpoints/:id/attempts',
    summary: 'The delivery log: each attempt’s time, status, latency, response excerpt',
    params: id,
    query: webhookLogQuery,
    responses: { 200: page },
    problems: [...problems, 'invalid_cursor'],
  });
  hook({
    method: 'get',
    path: '/v1/webhook-endpoints/:id/events',
    summary: 'The events of an endpoint and their delivery state',
    params: id,
    query: webhookEventsQuery,
    responses: { 200: page },
    problems: [...problems, 'invalid_cursor'],
  });
  hook({
    method: 'post',
    path: '/v1/webhook-endpoints/:id/redeliver',
    summary: 'Deliver again one event, or every failed one since an instant',
    params: id,
    body: redeliverBody,
    responses: { 202: jsonObject },
    problems: [...problems, 'webhook_endpoint_disabled'],
  });
  hook({
    method: 'post',
    path: '/v1/webhook-endpoints/:id/ping',
    summary: 'Send a ping test event',
    params: id,
    optionalBody: true,
    responses: { 202: jsonObject },
    problems: [...problems, 'webhook_endpoint_disabled'],
  });
  hook({
    method: 'get',
    path: '/v1/webhook-endpoints/:id/health',
    summary: 'Success rate and backlog of an endpoint',
    params: id,
    responses: { 200: jsonObject },
    problems,
  });
}
