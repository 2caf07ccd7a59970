// What the send routes share (ToS 6.1–6.3, 10.3 iv): the request vocabulary (channel, purpose,
// variables), the checks every send makes before anything is written (sender, subject, template),
// the 402 of an order the balance cannot cover, the campaign view, and the per-router context
// (authentication, the account guard, ONE token bucket for every send route, the clock).
import type { Request, RequestHandler } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { InsufficientBalanceError } from '../lib/ledger';
import {
  campaignStartInput,
  campaignWorkflowId,
  enqueueCampaign,
  type CampaignStartRow,
} from '../lib/workflow-clients/campaign';
import { relayNow } from '../lib/workflow-clients/outbox-relay';
import { e4ToCentsDown, e4ToCentsUp, formatEurE4 } from '../domain/money';
import { normaliseEmail } from '../domain/email';
import { normalisePhone } from '../domain/phone';
import { TemplateError } from '../domain/templating';
import type { ApiDeps } from './context';
import { authenticate } from './auth';
import { requireActiveAccount } from './account-guard';
import { Problem, notFound, unprocessable } from './errors';
import { usedVariables } from './recipient-rows';
import type { CampaignTarget } from './recipient-upload';
import { rateLimitPerAccount, TokenBuckets } from './rate-limit';
import type { DbRow } from '../lib/db';

export const channel = z.enum(['sms', 'email']);
export const purpose = z.enum(['marketing', 'transactional']);
const varValue = z.union([z.string().max(2000), z.number(), z.null()]);
export const vars = z.record(z.string().max(100), varValue);

// Amounts in e4 (the ledger's unit: a single e-mail costs 10); the cents fields are rounded
// so that requested > available still shows (requested up, available down).
export const insufficient = (e: InsufficientBalanceError) => {
  const [requested, available] = [formatEurE4(e.requestedE4, 'en'), formatEurE4(e.availableE4, 'en')];
  return new Problem(
    402,
    'insufficient_balance',
    'Insufficient balance',
    `The order costs ${requested}; ${available} is available. Nothing was sent.`,
    {
      availableE4: e.availableE4,
      requestedE4: e.requestedE4,
      availableCents: e4ToCentsDown(e.availableE4),
      requestedCents: e4ToCentsUp(e.requestedE4),
    },
  );
};

const ALPHA_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
const MESSAGING_SERVICE = /^MG[0-9a-f]{32}$/;

/** The sender as the carrier takes it: E.164, an alphanumeric ID, a Messaging Service, an e-mail. */
export function resolveSender(ch: 'sms' | 'email', given: string | undefined, deps: ApiDeps): string {
  const s = (given ?? (ch === 'sms' ? deps.config.SMS_DEFAULT_SENDER : deps.config.EMAIL_DEFAULT_FROM)).trim();
  if (ch === 'email') {
    const e = normaliseEmail(s);
    if (e.ok) return e.email;
  } else {
    if (ALPHA_SENDER.test(s) || MESSAGING_SERVICE.test(s)) return s;
    const p = normalisePhone(s);
    if (p.ok) return p.e164;
  }
  const what =
    ch === 'sms'
      ? 'SMS sender (E.164 number, alphanumeric ID of up to 11 characters, or Messaging Service SID)'
      : 'from address';
  throw unprocessable('invalid_sender', `"${s}" is not a valid ${what}.`);
}

export function checkTemplate(template: string, subject: string | undefined): void {
  try {
    usedVariables(template, subject);
  } catch (e) {
    if (e instanceof TemplateError) throw unprocessable('invalid_template', e.message, { placeholders: e.names });
    throw e;
  }
}

export function requireSubject(ch: 'sms' | 'email', subject: string | undefined): void {
  if (ch === 'email' && !subject) throw unprocessable('subject_required', 'An e-mail needs a subject.');
  if (ch === 'sms' && subject) throw unprocessable('subject_not_allowed', 'An SMS has no subject.');
}

export const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function campaignView(c: DbRow) {
  return {
    id: c.order_id,
    kind: c.kind,
    channel: c.channel,
    purpose: c.purpose,
    sender: c.sender,
    subject: c.subject ?? null,
    template: c.template,
    status: c.status,
    scheduledAt: iso(c.scheduled_at),
    total: c.total,
    rejected: c.rejected,
    rejections: c.rejections ?? {},
    createdAt: iso(c.created_at),
    startedAt: iso(c.started_at),
    completedAt: iso(c.completed_at),
    summary: c.summary ?? null,
  };
}

export const uuidParam = (v: unknown, what: string) => {
  const id = z.uuid().safeParse(v);
  if (!id.success) throw notFound(what);
  return id.data;
};

export function target(c: DbRow, defaultCountry: string): CampaignTarget {
  return {
    orderId: c.order_id,
    accountId: c.account_id,
    channel: c.channel,
    purpose: c.purpose,
    template: c.template,
    subject: c.subject ?? null,
    defaultCountry,
  };
}

/** What every send route of one router shares; built once per router (sending.ts). */
export interface SendingContext {
  deps: ApiDeps;
  auth: RequestHandler;
  /** Suspended or terminated accounts cannot create, start or resume sends (pause and cancel stay open). */
  guard: RequestHandler;
  /** One token bucket per account for every send route of the router. */
  limited: RequestHandler;
  now: () => Date;
  ownCampaign: (accountId: string, id: unknown, trx?: Knex | Knex.Transaction) => Promise<DbRow>;
  accountCountry: (accountId: string) => Promise<string>;
  /** Writes the campaign's workflow start in `trx`, the transaction that commits it as started. */
  enqueueStart: (trx: Knex.Transaction, c: DbRow) => Promise<unknown>;
  /** After the commit: starts it now (the lifecycle worker's outbox relay does otherwise). */
  kickStart: (req: Request, orderId: string) => Promise<unknown>;
}

export function sendingContext(deps: ApiDeps): SendingContext {
  const { db, config } = deps;
  return {
    deps,
    auth: authenticate(deps),
    guard: requireActiveAccount(deps),
    limited: rateLimitPerAccount(new TokenBuckets(config.SEND_RATE_PER_SECOND, config.SEND_RATE_BURST)),
    now: () => deps.now?.() ?? new Date(),
    ownCampaign: async (accountId, id, trx = db) => {
      const c = await trx('campaigns')
        .where({ order_id: uuidParam(id, 'campaign'), account_id: accountId })
        .first();
      if (!c) throw notFound('campaign');
      return c;
    },
    accountCountry: async (accountId) =>
      (await db('accounts').where({ id: accountId }).first('country'))?.country ?? 'FR',
    enqueueStart: (trx, c) => enqueueCampaign(trx, config, campaignStartInput(c as CampaignStartRow, config)),
    kickStart: (req, orderId) =>
      relayNow({ ...deps, logger: req.log }, { workflowId: campaignWorkflowId(orderId), queued: true }),
  };
}
