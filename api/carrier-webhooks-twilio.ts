// Twilio webhooks (ToS 6.2, 6.3): the form reader and the signature check both routes share,
//   POST /webhooks/twilio/status?mid=<id>   delivery reports of SMS, on the bare Node request and
//                                           through the group commit (carrier-webhooks-events.ts);
//   POST /webhooks/twilio/inbound           replies: each kept (inbound_messages) with its keyword and
//                                           sent as a message.inbound webhook event; STOP suppresses,
//                                           START lifts, once per reply (webhook_receipts), for every
//                                           account the reply concerns.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Router } from 'express';
import type { Knex } from 'knex';
import { verifyTwilioSignature } from '../activities/carriers/twilio-signature';
import { normalisePhone } from '../domain/phone';
import { classifyInbound } from '../domain/opt-out';
import type { ApiDeps } from './context';
import { Problem, forbidden, sendProblem } from './errors';
import { redactUrl } from '../lib/logger';
import { assertSafeText } from './input-guard';
import { reportFailures } from './carrier-webhooks-events';
import { MicroBatcher } from '../lib/micro-batch';
import { applyStatusEvents, MID, twilioStatusEffect, type StatusEvent } from '../lib/delivery-reports';
import { recordEvents } from '../lib/webhooks/events';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const INBOUND_LOOKBACK_DAYS = 90;

/** Accounts an inbound SMS from `from` to our number `to` concerns (see the brief's mapping). */
async function accountsForInbound(db: Knex, to: string, from: string): Promise<string[]> {
  const since = db.raw(`now() - interval '${INBOUND_LOOKBACK_DAYS} days'`);
  const bySender = (
    await db('campaigns')
      .distinct('account_id')
      .where({ channel: 'sms', sender: to })
      .andWhere('created_at', '>', since)
  ).map((r) => r.account_id as string);
  if (bySender.length === 1) return bySender;
  // Ambiguous (a shared number) or unknown (a short code): every account that sent to that number
  // in the lookback period — among the sender's accounts when there are several.
  const q = db('messages as m')
    .join('campaigns as c', 'c.order_id', 'm.order_id')
    .distinct('c.account_id')
    .where({ 'm.recipient': from, 'c.channel': 'sms' })
    .andWhere('c.created_at', '>', since);
  if (bySender.length > 1) q.whereIn('c.account_id', bySender);
  const found = (await q).map((r) => r.account_id as string);
  return found.length ? found : bySender;
}

const FORM_LIMIT = 64 * 1024;

/** The form-encoded body of a Twilio webhook; anything else parses as no parameters (and fails the signature). */
function readForm(req: IncomingMessage): Promise<Record<string, string | string[]>> {
  return new Promise((resolve, reject) => {
    const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      // Beyond the limit the rest is drained and dropped; the 413 goes out at once.
      if (size > FORM_LIMIT)
        reject(new Problem(413, 'payload_too_large', 'Payload too large', 'The request body exceeds the limit.'));
      else if (form) chunks.push(c);
    });
    req.on('end', () =>
      resolve(
        form ? ({ ...parseQuery(Buffer.concat(chunks).toString('utf8')) } as Record<string, string | string[]>) : {},
      ),
    );
    req.on('error', reject);
  });
}

/** Checks X-Twilio-Signature against the public URL Twilio called; returns the parameters. */
function twilioParams(
  config: ApiDeps['config'],
  req: IncomingMessage,
  params: Record<string, string | string[]>,
): Record<string, string> {
  if (!config.TWILIO_AUTH_TOKEN)
    throw new Problem(503, 'webhook_not_configured', 'Webhook not configured', 'TWILIO_AUTH_TOKEN is not set.');
  const url = `${config.PUBLIC_BASE_URL ?? `http://${req.headers.host ?? ''}`}${req.url ?? ''}`;
  const signature = req.headers['x-twilio-signature'];
  if (
    !verifyTwilioSignature(config.TWILIO_AUTH_TOKEN, typeof signature === 'string' ? signature : undefined, url, params)
  ) {
    throw forbidden('invalid_signature', 'The X-Twilio-Signature does not match this request.');
  }
  assertSafeText(params, 'body'); // these routes run before the shared guard (app.ts)
  return params as Record<string, string>;
}

/**
 * POST /webhooks/twilio/status?mid=<id>: two per SMS, the busiest URL of a campaign. Written on
 * the bare Node request (no body-parser, no qs): the route in the Express router below hands the
 * request straight here. The event joins the group commit; 204 once it is durable.
 */
export function twilioStatusHandler(
  deps: Pick<ApiDeps, 'db' | 'config' | 'logger'>,
): (req: IncomingMessage, res: ServerResponse) => void {
  // Group commit: two per SMS, the callbacks of a moment are applied by one statement.
  const batcher = new MicroBatcher<StatusEvent>(async (events) => {
    await applyStatusEvents(deps.db, events);
  });
  const notApplied = reportFailures(deps.logger, 'twilio');
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const p = twilioParams(deps.config, req, await readForm(req));
    const q = req.url ?? '';
    const mid = String(parseQuery(q.slice(q.indexOf('?') + 1)).mid ?? '');
    if (!MID.test(mid))
      throw new Problem(400, 'invalid_mid', 'Invalid message id', 'The callback URL carries no valid mid.');
    const status = String(p.MessageStatus ?? p.SmsStatus ?? '');
    const sid = String(p.MessageSid ?? p.SmsSid ?? '');
    if (!status || !sid)
      throw new Problem(400, 'validation_failed', 'Invalid request', 'MessageSid and MessageStatus are required.');
    const { effect, status: final } = twilioStatusEffect(status);
    await batcher
      .add({
        provider: 'twilio',
        key: `${sid}:${status}`,
        mid,
        carrierId: sid,
        effect,
        status: final,
        event: status,
        code: p.ErrorCode ? String(p.ErrorCode) : null,
        suppress: null,
      })
      .catch((err: unknown) => {
        throw notApplied(err);
      });
    res.statusCode = 204;
    res.end();
  };
  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return;
      if (!(err instanceof Problem))
        deps.logger.error({ err, url: redactUrl(req.url ?? '') }, 'carrier webhook failed');
      sendProblem(
        res,
        err instanceof Problem
          ? err
          : new Problem(500, 'internal_error', 'Internal error', 'An unexpected error occurred; it has been logged.'),
        req.url,
      );
    });
  };
}

export function twilioInboundRoute(r: Router, deps: ApiDeps): void {
  const { db, config } = deps;
  const notApplied = reportFailures(deps.logger, 'twilio-inbound');
  r.post('/webhooks/twilio/inbound', async (req, res) => {
    const p = twilioParams(config, req, await readForm(req));
    const body = String(p.Body ?? '');
    const keyword = classifyInbound(body);
    const sid = String(p.MessageSid ?? p.SmsSid ?? '');
    const from = normalisePhone(String(p.From ?? ''));
    // Every reply is kept for the accounts it concerns (GET /v1/inbound-messages); only a STOP or
    // START from a valid number changes their suppressions (6.1: the recipient's consent).
    if (sid && from.ok) {
      const to = normalisePhone(String(p.To ?? ''));
      const ourNumber = to.ok ? to.e164 : String(p.To ?? '');
      try {
        const accounts = await accountsForInbound(db, ourNumber, from.e164);
        await db.transaction(async (trx) => {
          const first = await trx('webhook_receipts')
            .insert({ provider: 'twilio-inbound', event_key: sid })
            .onConflict(['provider', 'event_key'])
            .ignore()
            .returning('event_key');
          if (first.length === 0 || accounts.length === 0) return;
          const row = { provider: 'twilio', carrier_id: sid, from: from.e164, to: ourNumber, body, keyword };
          await trx('inbound_messages').insert(accounts.map((a) => ({ account_id: a, ...row })));
          let changed: { account_id: string; reason: string }[] = [];
          if (keyword === 'stop') {
            changed = await trx('suppressions')
              .insert(
                accounts.map((a) => ({
                  account_id: a,
                  channel: 'sms',
                  address: from.e164,
                  reason: 'stop',
                  source: 'stop',
                })),
              )
              .onConflict(['account_id', 'channel', 'address'])
              .ignore()
              .returning(['account_id', 'reason']);
          } else if (keyword === 'start') {
            // Only what a STOP suppressed: a manual, imported or bounce entry stays the customer's.
            changed = await trx('suppressions')
              .where({ channel: 'sms', address: from.e164, source: 'stop' })
              .whereIn('account_id', accounts)
              .delete()
              .returning(['account_id', 'reason']);
          }
          // Webhooks (lib/webhooks/events.ts), in the reply's transaction: every reply, classified,
          // and the suppression it added or removed.
          const inbound = { from: from.e164, to: ourNumber, body, carrier_id: sid, keyword };
          await recordEvents(trx, [
            ...accounts.map((a) => ({
              accountId: a,
              type: 'message.inbound' as const,
              key: `evt_in${sid}`,
              data: inbound,
            })),
            ...changed.map((c) => ({
              accountId: c.account_id,
              type: keyword === 'stop' ? ('suppression.added' as const) : ('suppression.removed' as const),
              key: `evt_${keyword === 'stop' ? 'sa' : 'sr'}${sid}`,
              data: { channel: 'sms', address: from.e164, reason: c.reason },
            })),
          ]);
        });
      } catch (err) {
        throw notApplied(err); // 503: Twilio retries an inbound webhook only as its URL asks
      }
    }
    res.type('text/xml').send(EMPTY_TWIML);
  });
}
