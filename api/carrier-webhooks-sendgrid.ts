// SendGrid event webhook (ToS 6.2, 6.3): POST /webhooks/sendgrid/events takes a signed batch of
// e-mail events, keeps those about delivery of our messages, applies them in one statement
// (lib/delivery-reports.ts; bounces and complaints suppress) and, once committed, checks each
// campaign that received new spam complaints against the complaint threshold.
import express, { type Router } from 'express';
import {
  createSendGridVerifier,
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
  type SendGridVerifier,
} from '../activities/carriers/sendgrid-signature';
import type { ApiDeps } from './context';
import { Problem, forbidden } from './errors';
import { openComplaintCaseIfBeyond } from '../lib/complaints';
import { findUnsafeText } from './input-guard';
import { reportFailures } from './carrier-webhooks-events';
import { applyStatusEvents, MID, type StatusEvent } from '../lib/delivery-reports';

function sendgridEffect(
  event: string,
  ev: Record<string, unknown>,
): Pick<StatusEvent, 'effect' | 'status' | 'code' | 'suppress'> | null {
  switch (event) {
    case 'processed':
      return { effect: 'progress', status: null, code: null, suppress: null };
    case 'delivered':
      return { effect: 'final', status: 'delivered', code: null, suppress: null };
    case 'bounce':
      return {
        effect: 'final',
        status: 'undelivered',
        code: String(ev.status ?? ev.type ?? 'bounce'),
        suppress: 'bounce',
      };
    case 'dropped':
      return { effect: 'final', status: 'failed', code: String(ev.reason ?? 'dropped').slice(0, 200), suppress: null };
    case 'deferred':
      return { effect: 'note', status: null, code: null, suppress: null };
    case 'spamreport':
      return { effect: 'note', status: null, code: null, suppress: 'spamreport' };
    case 'unsubscribe':
    case 'group_unsubscribe':
      return { effect: 'note', status: null, code: null, suppress: 'unsubscribe' };
    default:
      return null; // open, click…: engagement, not delivery
  }
}

export function sendgridEventsRoute(r: Router, deps: ApiDeps): void {
  const { db, config } = deps;
  let verifier: SendGridVerifier | null = null;
  const notApplied = reportFailures(deps.logger, 'sendgrid');

  r.post('/webhooks/sendgrid/events', express.raw({ type: () => true, limit: '20mb' }), async (req, res) => {
    if (!config.SENDGRID_WEBHOOK_PUBLIC_KEY)
      throw new Problem(
        503,
        'webhook_not_configured',
        'Webhook not configured',
        'SENDGRID_WEBHOOK_PUBLIC_KEY is not set.',
      );
    verifier ??= createSendGridVerifier(config.SENDGRID_WEBHOOK_PUBLIC_KEY, 600);
    const payload = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (
      !verifier({
        payload,
        signature: req.get(SENDGRID_SIGNATURE_HEADER),
        timestamp: req.get(SENDGRID_TIMESTAMP_HEADER),
      })
    ) {
      throw forbidden('invalid_signature', 'The event webhook signature does not match this payload.');
    }
    let list: unknown;
    try {
      list = JSON.parse(payload.toString('utf8'));
    } catch {
      list = null;
    }
    if (!Array.isArray(list))
      throw new Problem(400, 'malformed_json', 'Malformed JSON', 'The body must be a JSON array of events.');
    const events: StatusEvent[] = [];
    for (const ev of list as Record<string, unknown>[]) {
      const mid = ev && typeof ev.mid === 'string' ? ev.mid : '';
      const name = String(ev?.event ?? '');
      const effect = sendgridEffect(name, ev ?? {});
      if (!effect || !MID.test(mid) || typeof ev.sg_event_id !== 'string') continue; // not ours, or not about delivery
      const sgMessageId = typeof ev.sg_message_id === 'string' ? ev.sg_message_id.split('.')[0] : null;
      const event: StatusEvent = {
        provider: 'sendgrid',
        key: ev.sg_event_id,
        mid,
        carrierId: sgMessageId,
        event: name,
        ...effect,
      };
      // Text Postgres cannot store (input-guard.ts): that event is dropped, the batch goes on (a
      // refused batch would be redelivered, refused again, and its other events lost).
      const unsafe = findUnsafeText(event);
      if (unsafe) deps.logger.warn({ mid, field: unsafe.join('.') }, 'sendgrid event with invalid characters dropped');
      else events.push(event);
    }
    // Nothing of the batch is acknowledged unless all of it is committed (one statement): SendGrid
    // posts the whole batch again on a 5xx.
    const { complained } = await applyStatusEvents(db, events).catch((err: unknown) => {
      throw notApplied(err);
    });
    // The events are committed: a failed check is logged, not refused (a redelivery would find
    // the events already applied); the campaign's next complaint checks again.
    for (const c of complained) {
      try {
        const caseId = await openComplaintCaseIfBeyond(db, config, c);
        if (caseId)
          deps.logger.warn(
            { caseId, orderId: c.orderId, accountId: c.accountId, complaints: c.complaints },
            'complaint rate beyond threshold: case opened',
          );
      } catch (err) {
        deps.logger.error({ err, orderId: c.orderId }, 'complaint rate check failed');
      }
    }
    res.status(204).end();
  });
}
