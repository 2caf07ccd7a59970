// Payment-provider webhook (ToS 7.3: "a payment provider"): the body is signed with HMAC-SHA256
// and a timestamp (header Tentacle-Signature: t=…,v1=…, lib/payments.ts), checked over the raw
// bytes before anything is parsed; a replay outside the window is refused; the event id makes it
// idempotent (a redelivery returns 200 and records nothing).
import express, { Router } from 'express';
import { z } from 'zod';
import { PaymentError, recordPayment, verifyWebhookSignature } from '../lib/payments';
import type { ApiDeps } from './context';
import { Problem, unprocessable } from './errors';
import { notifyInvoices } from './staff-billing';
import { assertSafeText } from './input-guard';
import { assertNotBefore, cents, instant } from './schemas';
import { describeRoute, jsonObject } from './openapi/registry';

const PAYMENT_SIGNATURE_HEADER = 'tentacle-signature';

const eventSchemaAt = (now: () => Date) =>
  z.object({
    id: z.string().min(1).max(200),
    type: z.string().min(1).max(100),
    data: z
      .object({
        accountId: z.uuid(),
        invoiceId: z.uuid().optional(),
        amountCents: cents(),
        reference: z.string().min(1).max(200),
        receivedAt: instant('occurred', now).optional(),
      })
      .optional(),
  });

export function paymentWebhooksRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db, config } = deps;
  const now = deps.now ?? (() => new Date());
  const eventSchema = eventSchemaAt(now);

  describeRoute({
    method: 'post',
    path: '/v1/webhooks/payments',
    summary: 'Payment provider event (HMAC Tentacle-Signature; idempotent by event id)',
    tag: 'Webhooks',
    access: 'payment',
    early: true,
    body: eventSchema,
    responses: { 200: jsonObject },
    problems: [
      'invalid_signature',
      'malformed_json',
      'invalid_characters',
      'validation_failed',
      'payload_too_large',
      'missing_data',
      'unknown_account',
      'invalid_amount',
      'invoice_not_found',
    ],
  });
  r.post('/v1/webhooks/payments', express.raw({ type: () => true, limit: '256kb' }), async (req, res) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = verifyWebhookSignature(
      config.PAYMENT_WEBHOOK_SECRET,
      raw,
      req.get(PAYMENT_SIGNATURE_HEADER),
      now().getTime(),
      config.PAYMENT_WEBHOOK_TOLERANCE_SEC,
    );
    if (!check.ok)
      throw new Problem(401, 'invalid_signature', 'Invalid signature', `Webhook signature rejected (${check.reason}).`);
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new Problem(400, 'malformed_json', 'Malformed JSON', 'The request body is not valid JSON.');
    }
    assertSafeText(json, 'body'); // mounted before the shared guard (app.ts): the same check here
    const event = eventSchema.parse(json);
    const seen = await db('payment_webhook_events').where({ event_id: event.id }).first();
    if (seen) {
      res.json({ received: true, duplicate: true, paymentId: seen.payment_id ?? null });
      return;
    }
    let paymentId: string | null = null;
    if (event.type === 'payment.succeeded') {
      if (!event.data) throw unprocessable('missing_data', 'payment.succeeded needs data.');
      const account = await db('accounts').where({ id: event.data.accountId }).first('id', 'created_at');
      if (!account) throw unprocessable('unknown_account', 'No such account.');
      const { receivedAt } = event.data;
      if (receivedAt) assertNotBefore(receivedAt, new Date(account.created_at), 'data.receivedAt', 'its account');
      try {
        const result = await recordPayment(db, {
          accountId: event.data.accountId,
          method: 'payment_provider',
          reference: event.data.reference,
          amountCents: event.data.amountCents,
          receivedAt: event.data.receivedAt ? new Date(event.data.receivedAt) : now(),
          invoiceId: event.data.invoiceId ?? null,
          providerEventId: event.id,
          recordedBy: { type: 'system', via: 'payment_webhook' },
        });
        paymentId = result.paymentId;
        await notifyInvoices(
          deps.temporal,
          result.allocations.map((a) => a.invoiceId),
        );
      } catch (err) {
        if (err instanceof PaymentError) throw unprocessable(err.code, err.message);
        throw err;
      }
    }
    await db('payment_webhook_events')
      .insert({ event_id: event.id, type: event.type, payment_id: paymentId })
      .onConflict('event_id')
      .ignore();
    res.json({ received: true, duplicate: false, paymentId });
  });

  return r;
}
