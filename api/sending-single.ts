// Single sends (ToS 6.1, 6.2): POST /v1/messages prices one message, creates its Order, reserves
// the funds, writes the message and queues it for its lane's dispatcher (single_sends, NOTIFY
// delivered on commit) in ONE transaction: no Temporal round trip, no workflow per message
// (activities/sending/single-batch.ts sends it). An Idempotency-Key replays the first answer.
// GET /v1/messages/:id is a message's history, as the account sees it.
import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { z } from 'zod';
import { sha256 } from '../lib/credentials';
import { InsufficientBalanceError } from '../lib/ledger';
import { reserveFunds } from '../lib/ledger-reservations';
import { createOrder, loadPriceTable, quoteOrder } from '../lib/orders';
import { singleSendLane } from '../lib/temporal';
import { SINGLE_SEND_CHANNEL, singleSendKey } from '../lib/single-send-wake';
import { principalOf } from './context';
import { Problem, conflict, notFound, unprocessable } from './errors';
import { createRowValidator } from './recipient-rows';
import {
  channel,
  checkTemplate,
  insufficient,
  iso,
  purpose,
  requireSubject,
  resolveSender,
  vars,
  type SendingContext,
} from './sending-common';

const singleSchema = z.strictObject({
  channel,
  purpose,
  to: z.string().min(1).max(320),
  body: z.string().min(1).max(10_000),
  subject: z.string().min(1).max(998).optional(),
  from: z.string().min(1).max(320).optional(),
  sender: z.string().min(1).max(320).optional(),
  vars: vars.optional(),
});

/** The unique violation of a concurrent request holding the same Idempotency-Key. */
const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === '23505';

export function singleSendRoutes(r: Router, ctx: SendingContext): void {
  const { deps, auth, guard, limited, now, accountCountry } = ctx;
  const { db, config } = deps;
  const lane = singleSendLane(config);

  r.post('/v1/messages', auth, guard, limited, async (req, res) => {
    const p = principalOf(req);
    const input = singleSchema.parse(req.body);
    const key = req.get('idempotency-key');
    if (key !== undefined && !/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw new Problem(
        400,
        'invalid_idempotency_key',
        'Invalid Idempotency-Key',
        'Use 1–255 visible ASCII characters.',
      );
    }
    const requestHash = sha256(JSON.stringify(input));
    const replay = async () => {
      const row = await db('idempotency_keys').where({ account_id: p.accountId, key }).first();
      if (!row) return false;
      if (row.request_hash !== requestHash)
        throw conflict('idempotency_key_reused', 'This Idempotency-Key was used with a different request.');
      res.status(row.status_code).setHeader('Idempotent-Replayed', 'true').json(row.response);
      return true;
    };
    if (key !== undefined && (await replay())) return;

    if (input.from && input.sender && input.from !== input.sender)
      throw unprocessable('sender_conflict', 'Give either from or sender, not two different values.');
    requireSubject(input.channel, input.subject);
    checkTemplate(input.body, input.subject);
    const sender = resolveSender(input.channel, input.sender ?? input.from, deps);
    const at = now();
    const validate = createRowValidator({
      channel: input.channel,
      purpose: input.purpose,
      template: input.body,
      subject: input.subject ?? null,
      defaultCountry: await accountCountry(p.accountId),
      optOutMention: config.SMS_OPT_OUT_MENTION,
      prices: await loadPriceTable(db, at),
    });
    const row = validate(input.to, input.vars ?? {});
    if (!row.ok) {
      const detail = {
        invalid_phone: 'not a valid phone number',
        invalid_email: 'not a valid e-mail address',
        missing_variable: `missing variables: ${row.missing?.join(', ')}`,
        malformed_row: 'malformed',
        no_price: 'no price for this destination',
      }[row.reason];
      throw unprocessable(
        row.reason,
        `Recipient "${input.to}": ${detail}.`,
        row.missing ? { missing: row.missing } : {},
      );
    }
    const suppressed = await db('suppressions')
      .where({ account_id: p.accountId, channel: input.channel, address: row.recipient })
      .first('reason');
    if (suppressed)
      throw unprocessable(
        'recipient_suppressed',
        `${row.recipient} is on this account's suppression list (${suppressed.reason}).`,
        { reason: suppressed.reason },
      );
    const quote = await quoteOrder(db, {
      channel: input.channel,
      lines: [{ country: row.country ?? '*', segments: row.segments, quantity: 1 }],
      at,
    });

    const orderId = randomUUID();
    let body: Record<string, unknown>;
    try {
      body = await db.transaction(async (trx) => {
        if (key !== undefined) {
          // Taken first: a concurrent request with the same key waits here, then fails on the key.
          await trx('idempotency_keys').insert({
            account_id: p.accountId,
            key,
            request_hash: requestHash,
            status_code: 202,
            response: '{}',
            order_id: orderId,
          });
        }
        const order = await createOrder(trx, {
          id: orderId,
          accountId: p.accountId,
          kind: 'single',
          channel: input.channel,
          quote,
        });
        await trx('campaigns').insert({
          order_id: orderId,
          account_id: p.accountId,
          kind: 'single',
          channel: input.channel,
          purpose: input.purpose,
          sender,
          subject: input.subject ?? null,
          template: input.body,
          status: 'running',
          total: 1,
          started_at: at,
          priced_at: at,
          price_list_version: quote.priceListVersion,
        });
        const [m] = await trx('messages')
          .insert({
            order_id: orderId,
            seq: 1,
            account_id: p.accountId,
            channel: input.channel,
            recipient: row.recipient,
            country: row.country,
            vars: JSON.stringify(row.vars),
            status: 'queued',
            segments: row.segments,
            price_e4: quote.lines[0].amountE4,
          })
          .returning(['id', 'updated_at']);
        await trx('single_sends').insert({
          message_id: m.id,
          order_id: orderId,
          account_id: p.accountId,
          channel: input.channel,
          lane,
        });
        await trx.raw('select pg_notify(?, ?)', [SINGLE_SEND_CHANNEL, singleSendKey(lane, input.channel)]);
        // Last: the reservation locks the account's balance row until commit, and every send of
        // the account waits on it; refused (402), the whole transaction is rolled back.
        const reserved = await reserveFunds(trx, { accountId: p.accountId, orderId, amountE4: order.totalE4 });
        const out = {
          id: String(m.id),
          orderId,
          status: 'queued',
          channel: input.channel,
          to: row.recipient,
          country: row.country,
          sender,
          segments: row.segments,
          priceE4: quote.lines[0].amountE4,
          order: {
            totalE4: order.totalE4,
            totalCents: order.totalCents,
            reservedE4: reserved.reservedE4,
            overageE4: reserved.overageE4,
            priceListVersion: quote.priceListVersion,
          },
        };
        if (key !== undefined)
          await trx('idempotency_keys')
            .where({ account_id: p.accountId, key })
            .update({ response: JSON.stringify(out) });
        return out;
      });
    } catch (e) {
      if (e instanceof InsufficientBalanceError) throw insufficient(e);
      if (key !== undefined && isUniqueViolation(e) && (await replay())) return;
      throw e;
    }
    res.status(202).json(body);
  });

  r.get('/v1/messages/:id', auth, async (req, res) => {
    const p = principalOf(req);
    const id = String(req.params.id);
    if (!/^\d{1,18}$/.test(id)) throw notFound('message');
    const m = await db('messages as m')
      .join('campaigns as c', 'c.order_id', 'm.order_id')
      .where({ 'm.id': id, 'm.account_id': p.accountId })
      .first(
        'm.*',
        'c.kind',
        'c.purpose',
        'c.sender',
        'c.priced_at',
        'c.created_at as campaign_created_at',
        'c.price_list_version',
      );
    if (!m) throw notFound('message');
    const events = await db('message_events').where({ message_id: id }).orderBy('id').select('at', 'status', 'detail');
    // Acceptance and pricing happen once per upload, for every message of it: that first history
    // entry is the upload's (not one row per message written at upload).
    const accepted = {
      at: iso(m.priced_at ?? m.campaign_created_at),
      status: 'accepted',
      detail: `priced ${m.segments} × unit = ${m.price_e4} e4 (price list ${m.price_list_version ?? 'n/a'}), queued`,
    };
    res.json({
      id: String(m.id),
      orderId: m.order_id,
      seq: m.seq,
      kind: m.kind,
      channel: m.channel,
      purpose: m.purpose,
      sender: m.sender,
      to: m.recipient,
      country: m.country,
      status: m.status,
      segments: m.segments,
      priceE4: m.price_e4,
      attempts: m.attempts,
      carrierId: m.carrier_id ?? null,
      carrierError: m.carrier_error ?? null,
      submittedAt: iso(m.submitted_at),
      finalAt: iso(m.final_at),
      history: [accepted, ...events.map((e) => ({ at: iso(e.at), status: e.status, detail: e.detail ?? null }))],
    });
  });
}
