// Carrier webhooks (public routes, no customer auth; each verifies the carrier's signature):
//   POST /webhooks/twilio/status?mid=<id>   delivery reports of SMS
//   POST /webhooks/twilio/inbound           replies: STOP suppresses, START lifts
//   POST /webhooks/sendgrid/events          signed event batches of e-mails
// Every event is recorded once in the message's history, keyed by provider and event (a repeated
// callback changes nothing; inbound replies, which concern no message, use webhook_receipts); a final
// status (delivered, undelivered, failed) never moves; the update matches by our message id, so
// a report that overtakes the send worker's own 'submitted' write still lands. Mounted first in
// app.ts (before the request logger and the JSON parser): Twilio posts forms, SendGrid signs bytes.
// The routes live by provider: carrier-webhooks-twilio.ts, carrier-webhooks-sendgrid.ts; the
// statement that applies every provider's events: lib/delivery-reports.ts (shared with the status
// reconciliation).
import { Router, type ErrorRequestHandler } from 'express';
import type { ApiDeps } from './context';
import { Problem } from './errors';
import { redactUrl } from '../lib/logger';
import { sendgridEventsRoute } from './carrier-webhooks-sendgrid';
import { twilioInboundRoute, twilioStatusHandler } from './carrier-webhooks-twilio';
import { webhookReportMetrics } from '../lib/metrics/http';
import { describeRoute, jsonObject } from './openapi/registry';

export function carrierWebhooksRouter(deps: ApiDeps): Router {
  const r = Router();
  r.use(webhookReportMetrics); // tentacle_webhook_reports_total by carrier and result

  const hook = (path: string, summary: string, access: 'twilio' | 'sendgrid', problems: string[]) =>
    describeRoute({
      method: 'post',
      path,
      summary,
      tag: 'Webhooks',
      access,
      early: true,
      body: {
        contentType: access === 'twilio' ? 'application/x-www-form-urlencoded' : 'application/json',
        schema: jsonObject,
      },
      responses: path.endsWith('inbound')
        ? { 200: { contentType: 'text/xml', description: 'Empty TwiML' } }
        : { 204: null },
      problems: [
        'invalid_signature@403',
        'invalid_characters',
        'webhook_not_configured',
        'payload_too_large',
        'validation_failed',
        ...problems,
      ],
    });
  hook('/webhooks/twilio/status', 'Twilio delivery report (?mid=<message id>)', 'twilio', [
    'invalid_mid',
    'report_not_applied',
  ]);
  hook('/webhooks/twilio/inbound', 'Twilio inbound SMS: STOP suppresses, START lifts', 'twilio', [
    'report_not_applied',
  ]);
  hook('/webhooks/sendgrid/events', 'SendGrid signed event batch', 'sendgrid', [
    'malformed_json',
    'report_not_applied',
  ]);
  const twilioStatus = twilioStatusHandler(deps);
  r.post('/webhooks/twilio/status', (req, res) => twilioStatus(req, res));
  twilioInboundRoute(r, deps);
  sendgridEventsRoute(r, deps);

  // Mounted before the request logger (app.ts): unexpected failures are logged here.
  r.use(((err, req, _res, next) => {
    if (!(err instanceof Problem))
      deps.logger.error({ err, url: redactUrl(req.originalUrl) }, 'carrier webhook failed');
    next(err);
  }) as ErrorRequestHandler);

  return r;
}
