// Carrier webhooks (public routes, no customer auth; each verifies the carrier's signature):
//   POST /webhooks/twilio/status?mid=<id>   delivery reports of SMS
//   POST /webhooks/twilio/inbound           replies: STOP suppresses, START lifts
//   POST /webhooks/sendgrid/events          signed event batches of e-mails
// Every event is recorded once in the message's history, keyed by provider and event (a repeated
// callback changes nothing; inbound replies, which concern no message, use webhook_receipts); a final
// status (delivered, undelivered, failed) never moves; the update matches by our message id, so
// a report that overtakes the send worker's own 'submitted' write still lands. Mounted first in
// app.ts (before the request logger and the JSON parser): Twilio posts forms, SendGrid signs bytes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import express, { Router, type ErrorRequestHandler } from 'express';
import type { Knex } from 'knex';
import { createSendGridVerifier, SENDGRID_SIGNATURE_HEADER, SENDGRID_TIMESTAMP_HEADER, type SendGridVerifier } from '../activities/carriers/sendgrid-signature';
import { verifyTwilioSignature } from '../activities/carriers/twilio-signature';
import { normalisePhone } from '../domain/phone';
import { parseInboundKeyword } from '../domain/opt-out';
import type { ApiDeps } from './context';
import { Problem, forbidden, sendProblem } from './errors';
import { openComplaintCaseIfBeyond, type CampaignComplaints } from '../lib/complaints';
import { redactUrl } from '../lib/logger';
import { assertSafeText, findUnsafeText } from './input-guard';

export interface StatusEvent {
  provider: 'twilio' | 'sendgrid';
  /** Idempotency key within the provider. */
  key: string;
  /** Our message id (messages.id). */
  mid: string;
  carrierId: string | null;
  /** final: the message's last status; progress: accepted by the carrier; note: history only. */
  effect: 'final' | 'progress' | 'note';
  /** New status when final (delivered | undelivered | failed). */
  status: string | null;
  /** The carrier's own event name, kept in the history. */
  event: string;
  code: string | null;
  /** Suppress the recipient for the message's account (bounce, complaint, unsubscribe). */
  suppress: string | null;
}

const MID = /^\d{1,18}$/;

// One statement (one round trip, one commit) for a batch of events: the history first, keyed by
// event (message_events.event_key, unique) — only events seen for the first time, about a
// message of ours, go on —, then per message its strongest new event (a final beats progress;
// among finals the last one) moves the status by UPDATE … FROM, and bounces / complaints /
// unsubscribes go to the suppressions.
const APPLY_EVENTS = `
  with input as (
    select distinct on (provider, key) *
      from unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[])
           as u(provider, key, mid, sid, effect, status, event, code, suppress, ord)
     order by provider, key, ord
  ), history as (
    insert into message_events (message_id, status, detail, event_key)
    select i.mid, 'carrier:' || i.event, case when i.code is null then null else 'error ' || i.code end, i.provider || ':' || i.key
      from input i where exists (select 1 from messages m where m.id = i.mid) order by i.ord
    on conflict (event_key) where event_key is not null do nothing
    returning event_key
  ), events as (
    select i.* from input i join history h on h.event_key = i.provider || ':' || i.key
  ), moves as (
    select distinct on (mid) * from events where effect <> 'note' order by mid, (effect = 'final') desc, ord desc
  ), upd as (
    update messages m set
        status = case when u.effect = 'final' then u.status when m.status in ('queued', 'submitting') then 'submitted' else m.status end,
        carrier_id = coalesce(m.carrier_id, u.sid),
        carrier_error = case when u.effect = 'final' then coalesce(u.code, m.carrier_error) else m.carrier_error end,
        submitted_at = coalesce(m.submitted_at, now()),
        final_at = case when u.effect = 'final' then now() else m.final_at end,
        updated_at = now()
      from moves u
     where m.id = u.mid and m.status not in ('delivered', 'undelivered', 'failed')
       -- a progress report ('sent') about a message already known as submitted changes nothing:
       -- no new row version for it
       and (u.effect = 'final' or m.status in ('queued', 'submitting') or m.carrier_id is null)
    returning m.id
  ), suppressed as (
    insert into suppressions (account_id, channel, address, reason)
    select m.account_id, m.channel, m.recipient, e.suppress from events e join messages m on m.id = e.mid
     where e.suppress is not null
    on conflict do nothing
  ), complaints as (
    insert into campaign_complaints as cc (order_id, account_id, complaints)
    select m.order_id, m.account_id, count(*) from events e join messages m on m.id = e.mid
     where e.suppress = 'spamreport' group by m.order_id, m.account_id
    on conflict (order_id) do update set complaints = cc.complaints + excluded.complaints, updated_at = now()
    returning order_id, account_id, complaints
  )
  select (select count(*) from events)::int as fresh, (select count(*) from upd)::int as moved,
         (select coalesce(json_agg(json_build_object('orderId', order_id, 'accountId', account_id, 'complaints', complaints)), '[]') from complaints) as complained`;

/**
 * Applies carrier events (any provider) in one statement; a repeated event changes nothing.
 * `complained`: campaigns that received new spam complaints, with their running total.
 */
export async function applyStatusEvents(db: Knex, events: StatusEvent[]): Promise<{ fresh: number; moved: number; complained: CampaignComplaints[] }> {
  if (events.length === 0) return { fresh: 0, moved: 0, complained: [] };
  const col = <K extends keyof StatusEvent>(k: K) => events.map((e) => e[k]);
  const { rows } = await db.raw(APPLY_EVENTS, [
    col('provider'), col('key'), col('mid'), col('carrierId'), col('effect'), col('status'), col('event'), col('code'), col('suppress'),
    events.map((_, i) => i),
  ]);
  return rows[0] as { fresh: number; moved: number; complained: CampaignComplaints[] };
}

/**
 * Group commit of Twilio status callbacks: a callback that finds no flush running is applied at
 * once (after the current tick, with whatever else arrived in it); callbacks arriving while
 * `maxInFlight` flushes run wait and go together in the next one (at most `maxEvents`). Batches
 * thus grow with the load and latency stays minimal when idle. Each request is answered once its
 * batch is committed: nothing is acknowledged before it is durable, and a shutdown that waits for
 * open requests loses nothing.
 */
class StatusBatcher {
  private pending: { event: StatusEvent; done: (err?: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly apply: (events: StatusEvent[]) => Promise<unknown>,
    private readonly maxEvents = 500,
    private readonly maxInFlight = 4,
  ) {}

  add(event: StatusEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ event, done: (err) => (err ? reject(err) : resolve()) });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inFlight >= this.maxInFlight || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.maxEvents);
    this.inFlight += 1;
    this.apply(batch.map((b) => b.event)).then(
      () => batch.forEach((b) => b.done()),
      (err: unknown) => batch.forEach((b) => b.done(err)),
    ).finally(() => {
      this.inFlight -= 1;
      this.schedule();
    });
    this.schedule();
  }
}

function twilioStatusEffect(status: string): { effect: StatusEvent['effect']; status: string | null } {
  if (status === 'delivered' || status === 'undelivered' || status === 'failed') return { effect: 'final', status };
  if (['accepted', 'queued', 'sending', 'sent', 'scheduled'].includes(status)) return { effect: 'progress', status: null };
  return { effect: 'note', status: null };
}

function sendgridEffect(event: string, ev: Record<string, unknown>): Pick<StatusEvent, 'effect' | 'status' | 'code' | 'suppress'> | null {
  switch (event) {
    case 'processed': return { effect: 'progress', status: null, code: null, suppress: null };
    case 'delivered': return { effect: 'final', status: 'delivered', code: null, suppress: null };
    case 'bounce': return { effect: 'final', status: 'undelivered', code: String(ev.status ?? ev.type ?? 'bounce'), suppress: 'bounce' };
    case 'dropped': return { effect: 'final', status: 'failed', code: String(ev.reason ?? 'dropped').slice(0, 200), suppress: null };
    case 'deferred': return { effect: 'note', status: null, code: null, suppress: null };
    case 'spamreport': return { effect: 'note', status: null, code: null, suppress: 'spamreport' };
    case 'unsubscribe':
    case 'group_unsubscribe': return { effect: 'note', status: null, code: null, suppress: 'unsubscribe' };
    default: return null; // open, click…: engagement, not delivery
  }
}

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const INBOUND_LOOKBACK_DAYS = 90;

/** Accounts an inbound SMS from `from` to our number `to` concerns (see the brief's mapping). */
async function accountsForInbound(db: Knex, to: string, from: string): Promise<string[]> {
  const since = db.raw(`now() - interval '${INBOUND_LOOKBACK_DAYS} days'`);
  const bySender = (await db('campaigns').distinct('account_id').where({ channel: 'sms', sender: to }).andWhere('created_at', '>', since))
    .map((r) => r.account_id as string);
  if (bySender.length === 1) return bySender;
  // Ambiguous (a shared number) or unknown (a short code): every account that sent to that number
  // in the lookback period — among the sender's accounts when there are several.
  const q = db('messages as m').join('campaigns as c', 'c.order_id', 'm.order_id').distinct('c.account_id')
    .where({ 'm.recipient': from, 'c.channel': 'sms' }).andWhere('c.created_at', '>', since);
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
      if (size > FORM_LIMIT) reject(new Problem(413, 'payload_too_large', 'Payload too large', 'The request body exceeds the limit.'));
      else if (form) chunks.push(c);
    });
    req.on('end', () => resolve(form ? { ...parseQuery(Buffer.concat(chunks).toString('utf8')) } as Record<string, string | string[]> : {}));
    req.on('error', reject);
  });
}

/** Checks X-Twilio-Signature against the public URL Twilio called; returns the parameters. */
function twilioParams(config: ApiDeps['config'], req: IncomingMessage, params: Record<string, string | string[]>): Record<string, string> {
  if (!config.TWILIO_AUTH_TOKEN) throw new Problem(503, 'webhook_not_configured', 'Webhook not configured', 'TWILIO_AUTH_TOKEN is not set.');
  const url = `${config.PUBLIC_BASE_URL ?? `http://${req.headers.host ?? ''}`}${req.url ?? ''}`;
  const signature = req.headers['x-twilio-signature'];
  if (!verifyTwilioSignature(config.TWILIO_AUTH_TOKEN, typeof signature === 'string' ? signature : undefined, url, params)) {
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
function twilioStatusHandler(deps: Pick<ApiDeps, 'db' | 'config' | 'logger'>): (req: IncomingMessage, res: ServerResponse) => void {
  const batcher = new StatusBatcher((events) => applyStatusEvents(deps.db, events));
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const p = twilioParams(deps.config, req, await readForm(req));
    const q = req.url ?? '';
    const mid = String(parseQuery(q.slice(q.indexOf('?') + 1)).mid ?? '');
    if (!MID.test(mid)) throw new Problem(400, 'invalid_mid', 'Invalid message id', 'The callback URL carries no valid mid.');
    const status = String(p.MessageStatus ?? p.SmsStatus ?? '');
    const sid = String(p.MessageSid ?? p.SmsSid ?? '');
    if (!status || !sid) throw new Problem(400, 'validation_failed', 'Invalid request', 'MessageSid and MessageStatus are required.');
    const { effect, status: final } = twilioStatusEffect(status);
    await batcher.add({
      provider: 'twilio', key: `${sid}:${status}`, mid, carrierId: sid, effect, status: final, event: status,
      code: p.ErrorCode ? String(p.ErrorCode) : null, suppress: null,
    });
    res.statusCode = 204;
    res.end();
  };
  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return;
      if (!(err instanceof Problem)) deps.logger.error({ err, url: redactUrl(req.url ?? '') }, 'carrier webhook failed');
      sendProblem(res, err instanceof Problem ? err : new Problem(500, 'internal_error', 'Internal error', 'An unexpected error occurred; it has been logged.'), req.url);
    });
  };
}

export function carrierWebhooksRouter(deps: ApiDeps): Router {
  const { db, config } = deps;
  const r = Router();
  let verifier: SendGridVerifier | null = null;

  const twilioStatus = twilioStatusHandler(deps);
  r.post('/webhooks/twilio/status', (req, res) => twilioStatus(req, res));

  r.post('/webhooks/twilio/inbound', async (req, res) => {
    const p = twilioParams(config, req, await readForm(req));
    const keyword = parseInboundKeyword(String(p.Body ?? ''));
    const sid = String(p.MessageSid ?? p.SmsSid ?? '');
    const from = normalisePhone(String(p.From ?? ''));
    if (keyword && sid && from.ok) {
      const to = normalisePhone(String(p.To ?? ''));
      const ourNumber = to.ok ? to.e164 : String(p.To ?? '');
      const accounts = await accountsForInbound(db, ourNumber, from.e164);
      await db.transaction(async (trx) => {
        const first = await trx('webhook_receipts').insert({ provider: 'twilio-inbound', event_key: sid }).onConflict(['provider', 'event_key']).ignore().returning('event_key');
        if (first.length === 0 || accounts.length === 0) return;
        if (keyword === 'stop') {
          await trx('suppressions').insert(accounts.map((a) => ({ account_id: a, channel: 'sms', address: from.e164, reason: 'stop' })))
            .onConflict(['account_id', 'channel', 'address']).ignore();
        } else {
          await trx('suppressions').where({ channel: 'sms', address: from.e164, reason: 'stop' }).whereIn('account_id', accounts).delete();
        }
      });
    }
    res.type('text/xml').send(EMPTY_TWIML);
  });

  r.post('/webhooks/sendgrid/events', express.raw({ type: () => true, limit: '20mb' }), async (req, res) => {
    if (!config.SENDGRID_WEBHOOK_PUBLIC_KEY) throw new Problem(503, 'webhook_not_configured', 'Webhook not configured', 'SENDGRID_WEBHOOK_PUBLIC_KEY is not set.');
    verifier ??= createSendGridVerifier(config.SENDGRID_WEBHOOK_PUBLIC_KEY, 600);
    const payload = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifier({ payload, signature: req.get(SENDGRID_SIGNATURE_HEADER), timestamp: req.get(SENDGRID_TIMESTAMP_HEADER) })) {
      throw forbidden('invalid_signature', 'The event webhook signature does not match this payload.');
    }
    let list: unknown;
    try { list = JSON.parse(payload.toString('utf8')); } catch { list = null; }
    if (!Array.isArray(list)) throw new Problem(400, 'malformed_json', 'Malformed JSON', 'The body must be a JSON array of events.');
    const events: StatusEvent[] = [];
    for (const ev of list as Record<string, unknown>[]) {
      const mid = ev && typeof ev.mid === 'string' ? ev.mid : '';
      const name = String(ev?.event ?? '');
      const effect = sendgridEffect(name, ev ?? {});
      if (!effect || !MID.test(mid) || typeof ev.sg_event_id !== 'string') continue; // not ours, or not about delivery
      const sgMessageId = typeof ev.sg_message_id === 'string' ? ev.sg_message_id.split('.')[0] : null;
      const event: StatusEvent = {
        provider: 'sendgrid', key: ev.sg_event_id, mid, carrierId: sgMessageId, event: name, ...effect,
      };
      // Text Postgres cannot store (input-guard.ts): that event is dropped, the batch goes on (a
      // refused batch would be redelivered, refused again, and its other events lost).
      const unsafe = findUnsafeText(event);
      if (unsafe) deps.logger.warn({ mid, field: unsafe.join('.') }, 'sendgrid event with invalid characters dropped');
      else events.push(event);
    }
    const { complained } = await applyStatusEvents(db, events);
    // The events are committed: a failed check is logged, not refused (a redelivery would find
    // the events already applied); the campaign's next complaint checks again.
    for (const c of complained) {
      try {
        const caseId = await openComplaintCaseIfBeyond(db, config, c);
        if (caseId) deps.logger.warn({ caseId, orderId: c.orderId, accountId: c.accountId, complaints: c.complaints }, 'complaint rate beyond threshold: case opened');
      } catch (err) {
        deps.logger.error({ err, orderId: c.orderId }, 'complaint rate check failed');
      }
    }
    res.status(204).end();
  });

  // Mounted before the request logger (app.ts): unexpected failures are logged here.
  r.use(((err, req, _res, next) => {
    if (!(err instanceof Problem)) deps.logger.error({ err, url: redactUrl(req.originalUrl) }, 'carrier webhook failed');
    next(err);
  }) as ErrorRequestHandler);

  return r;
}
