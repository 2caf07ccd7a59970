// Descriptions of the send routes (api/sending-single.ts, api/sending-campaigns.ts), kept apart
// so that the route files stay short; the schemas are the ones the routes parse with.
import { z } from 'zod';
import { singleSchema } from '../sending-single';
import { campaignSchemaAt, rejectionsQuery } from '../sending-campaigns';
import { describeRoute, jsonObject, type RouteSpec } from './registry';

const send = (spec: Omit<RouteSpec, 'tag' | 'access'>) =>
  describeRoute({ tag: 'Sending', access: 'customer', ...spec });
const id = { id: z.string() };
/** requireActiveAccount and the per-account token bucket (api/sending-common.ts). */
const GUARDED = ['account_suspended', 'rate_limited'];
const TEMPLATE = ['invalid_sender', 'invalid_template', 'subject_required', 'subject_not_allowed'];

const instant = z.string().nullable();
/** api/sending-common.ts campaignView. */
const campaign = z.looseObject({
  id: z.uuid(),
  kind: z.string(),
  channel: z.enum(['sms', 'email']),
  purpose: z.enum(['marketing', 'transactional']),
  sender: z.string().nullable(),
  subject: z.string().nullable(),
  template: z.string(),
  status: z.string(),
  scheduledAt: instant,
  total: z.number().int(),
  rejected: z.number().int(),
  rejections: z.record(z.string(), z.number()),
  createdAt: instant,
  startedAt: instant,
  completedAt: instant,
  summary: z.looseObject({}).nullable(),
});
const accepted = z.looseObject({
  id: z.string(),
  orderId: z.uuid(),
  status: z.literal('queued'),
  channel: z.enum(['sms', 'email']),
  to: z.string(),
  segments: z.number().int(),
  priceE4: z.number().int(),
  order: z.looseObject({ totalE4: z.number().int(), totalCents: z.number().int() }),
});
const message = z.looseObject({
  id: z.string(),
  orderId: z.uuid(),
  status: z.string(),
  to: z.string(),
  carrierError: z.string().nullable(),
  history: z.array(z.object({ at: instant, status: z.string(), detail: z.string().nullable() })),
});

export function describeSendingRoutes(now: () => Date): void {
  send({
    method: 'post',
    path: '/v1/messages',
    summary: 'Send one SMS or e-mail: validated, suppression-checked, priced, reserved, queued',
    headers: { 'Idempotency-Key': { schema: z.string(), description: '1–255 visible ASCII characters' } },
    body: singleSchema,
    responses: { 202: accepted },
    problems: [
      ...GUARDED,
      ...TEMPLATE,
      'invalid_idempotency_key',
      'idempotency_key_reused',
      'sender_conflict',
      'invalid_phone',
      'invalid_email',
      'missing_variable',
      'malformed_row',
      'no_price',
      'recipient_suppressed',
      'insufficient_balance',
      'intake_busy',
    ],
  });
  send({
    method: 'get',
    path: '/v1/messages/:id',
    summary: 'A message with its full history',
    params: id,
    responses: { 200: message },
    problems: ['not_found'],
  });
  send({
    method: 'post',
    path: '/v1/campaigns',
    summary: 'Campaign draft (template, optional scheduledAt, optional inline recipients)',
    body: campaignSchemaAt(now),
    responses: { 201: campaign },
    problems: [...GUARDED, ...TEMPLATE, 'too_many_recipients'],
  });
  send({
    method: 'put',
    path: '/v1/campaigns/:id/recipients',
    summary: 'Upload the recipients (text/csv, header row, first column `to`)',
    params: id,
    body: { contentType: 'text/csv', schema: z.string() },
    responses: { 200: jsonObject },
    problems: [
      ...GUARDED,
      'unsupported_media_type',
      'not_found',
      'campaign_not_editable',
      'malformed_csv',
      'invalid_csv_header',
      'missing_variable',
      'payload_too_large',
      'too_many_recipients',
    ],
  });
  send({
    method: 'post',
    path: '/v1/campaigns/:id/start',
    summary: 'Start: quote and reservation (402 when the balance cannot cover it)',
    params: id,
    responses: { 202: campaign },
    problems: [
      ...GUARDED,
      'not_found',
      'campaign_finished',
      'campaign_not_ready',
      'prices_changed',
      'insufficient_balance',
    ],
  });
  for (const action of ['pause', 'resume', 'cancel'])
    send({
      method: 'post',
      path: `/v1/campaigns/:id/${action}`,
      summary: `${action[0].toUpperCase()}${action.slice(1)} a campaign`,
      params: id,
      responses: { 200: z.looseObject({ id: z.string(), status: z.string() }) },
      problems: [
        'not_found',
        'campaign_not_running',
        'invalid_transition',
        ...(action === 'resume' ? ['account_suspended'] : []),
      ],
    });
  send({
    method: 'get',
    path: '/v1/campaigns/:id',
    summary: 'Progress: counts per status, rate, ETA, holds',
    params: id,
    responses: { 200: campaign.extend({ counts: z.record(z.string(), z.number()), progress: jsonObject.nullable() }) },
    problems: ['not_found'],
  });
  send({
    method: 'get',
    path: '/v1/campaigns/:id/rejections',
    summary: 'Rejected rows with their reason',
    params: id,
    query: rejectionsQuery,
    responses: { 200: jsonObject },
    problems: ['not_found'],
  });
}
