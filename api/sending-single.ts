// Single sends (ToS 6.1, 6.2): POST /v1/messages checks the request and hands it to the intake
// (api/single-send-intake.ts), which prices it, reserves its funds, writes the message and queues
// it for its lane's dispatcher in one transaction shared with the other requests of the moment:
// no Temporal round trip, no workflow per message (activities/sending/single-batch.ts sends it).
// An Idempotency-Key replays the first answer. GET /v1/messages/:id is a message's history.
import type { Router } from 'express';
import { z } from 'zod';
import { sha256 } from '../lib/credentials';
import { singleSendLane } from '../lib/temporal';
import { principalOf } from './context';
import { requireRole } from './roles';
import { ALLOWED } from '../domain/member-roles';
import { Problem, notFound, unprocessable } from './errors';
import { SingleSendIntake } from './single-send-intake';
import {
  channel,
  checkTemplate,
  iso,
  purpose,
  requireSubject,
  resolveSender,
  vars,
  type SendingContext,
} from './sending-common';

export const singleSchema = z.strictObject({
  channel,
  purpose,
  to: z.string().min(1).max(320),
  body: z.string().min(1).max(10_000),
  subject: z.string().min(1).max(998).optional(),
  from: z.string().min(1).max(320).optional(),
  sender: z.string().min(1).max(320).optional(),
  vars: vars.optional(),
});

export function singleSendRoutes(r: Router, ctx: SendingContext): void {
  const { deps, auth, guard, limited, now } = ctx;
  const { db, config } = deps;
  const intake = new SingleSendIntake(db, config, singleSendLane(config), now);

  r.post('/v1/messages', auth, requireRole(...ALLOWED.send), guard, limited, async (req, res) => {
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
    if (input.from && input.sender && input.from !== input.sender)
      throw unprocessable('sender_conflict', 'Give either from or sender, not two different values.');
    requireSubject(input.channel, input.subject);
    checkTemplate(input.body, input.subject);
    const answer = await intake.submit({
      accountId: p.accountId,
      key,
      requestHash: sha256(JSON.stringify(input)),
      channel: input.channel,
      purpose: input.purpose,
      to: input.to,
      body: input.body,
      subject: input.subject,
      sender: resolveSender(input.channel, input.sender ?? input.from, deps),
      vars: input.vars ?? {},
    });
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(answer.status).json(answer.body);
  });

  r.get('/v1/messages/:id', auth, requireRole(...ALLOWED.read), async (req, res) => {
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
