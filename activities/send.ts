// The page activities of the send task queues (send-sms, send-email). A page is a seq range of
// one order's messages; the workflow passes only numbers. Each page:
//   1. loads its messages (one query), skipping those already past submission;
//   2. reconciles messages left in 'submitting' by a crash with the carrier before resubmitting;
//   3. re-checks suppression and quiet hours (→ 'suppressed' / 'held');
//   4. marks the rest 'submitting' in one UPDATE, then submits them with bounded concurrency
//      (a per-worker semaphore = the keep-alive pool's size) and a per-sender token bucket,
//      retrying 429 / 5xx / timeouts with backoff and jitter, never permanent errors;
//   5. writes outcomes in bulk (status + history in one statement), never overwriting a final
//      status an early webhook may have written;
//   6. heartbeats its offset; a retried attempt re-reads statuses, so accepted messages are skipped.
// The mark (4) first reads the account under a share lock: a page of an account that is not active
// submits nothing and says so (`refused`), and a suspension committed after the mark waits for it.
// Nothing accumulates per campaign: memory is bounded by the pages in flight.
import { Context } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { Config } from '../lib/config';
import { failure, FailureType } from '../workflows/failures';
import type { AccountSendState } from '../workflows/messages';
import type { TwilioClient } from './carriers/twilio-client';
import { buildBulkEmail, postMailSend, type BulkEmailRecipient, type SendGridClient } from './carriers/sendgrid-client';
import { compileTemplate, templateVariables, TemplateError } from '../domain/templating';
import { needsOptOutMention, withOptOutMention, FRANCE_OPT_OUT_POLICY } from '../domain/opt-out';
import { FRANCE_MARKETING_SMS_POLICY, isSendAllowed, nextAllowedInstant, quietHoursApply } from '../domain/quiet-hours';

export interface PageInput {
  orderId: string;
  fromSeq: number;
  toSeq: number;
}

export interface PageResult {
  /** Messages of the page that reached the carrier in this run (adopted after a crash included). */
  submitted: number;
  suppressed: number;
  /** Marketing SMS held by quiet hours; the workflow re-runs the page at `nextAllowedAt`. */
  held: number;
  rejected: number;
  /** Messages already past submission when the page was loaded (a retried or re-run page). */
  skipped: number;
  /** Messages found accepted by the carrier after a crash and adopted instead of resent. */
  adopted: number;
  nextAllowedAt: string | null;
  /** The account was not active at the mark: nothing was submitted; the page must run again. */
  refused?: AccountSendState;
}

export interface SendActivityDeps {
  db: Knex;
  twilio: TwilioClient | null;
  sendgrid: SendGridClient | null;
  config: Pick<Config, 'PUBLIC_BASE_URL' | 'SEND_CONCURRENCY' | 'SMS_SENDER_MPS' | 'SMS_OPT_OUT_MENTION' | 'TWILIO_ACCOUNT_SID'>;
  /** Tests shorten the backoff. */
  retry?: { attempts: number; baseMs: number; maxMs: number };
  now?: () => Date;
}

interface CampaignInfo {
  accountId: string;
  channel: 'sms' | 'email';
  purpose: string;
  sender: string;
  subject: string | null;
  template: string;
  /** The template and the (e-mail) subject compiled once; they throw TemplateError on missing variables. */
  render: (vars: Record<string, string | number | null>) => string;
  renderSubject: (vars: Record<string, string | number | null>) => string;
}

interface PageRow {
  id: string;
  seq: number;
  recipient: string;
  vars: Record<string, string | number | null> | null;
  status: string;
  country: string | null;
  updated_at: Date;
}

interface Outcome {
  id: string;
  status: 'submitted' | 'rejected_by_carrier' | 'suppressed' | 'held' | 'queued';
  carrierId: string | null;
  error: string | null;
}

/** Statuses a page may still act on; anything else is past submission (or cancelled). */
const ACTIONABLE = ['queued', 'held', 'submitting'];

// ---------------------------------------------------------------------------------------------
// Bounded concurrency shared by all pages of this worker, and per-sender token buckets.

export class Semaphore {
  private active = 0;
  // FIFO of waiters with a moving head: thousands wait when a window of pages is queued, and
  // Array.shift() on that many is a copy per release (it was 2% of the worker's CPU).
  private waiting: (() => void)[] = [];
  private head = 0;
  constructor(private readonly size: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    else this.active += 1;
    try {
      return await fn();
    } finally {
      if (this.head < this.waiting.length) {
        const next = this.waiting[this.head++];
        if (this.head === this.waiting.length) {
          this.waiting = [];
          this.head = 0;
        } else if (this.head >= 1024 && this.head * 2 > this.waiting.length) {
          this.waiting = this.waiting.slice(this.head);
          this.head = 0;
        }
        next(); // hand the slot over
      } else {
        this.active -= 1;
      }
    }
  }
}

export class TokenBucket {
  private tokens: number;
  private last = Date.now();
  private chain: Promise<void> = Promise.resolve();
  constructor(private readonly ratePerSecond: number, private readonly burst = Math.max(1, ratePerSecond)) {
    this.tokens = this.burst;
  }
  /** Resolves when a token is available (FIFO). */
  take(): Promise<void> {
    const next = this.chain.then(async () => {
      for (;;) {
        const now = Date.now();
        this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
        this.last = now;
        if (this.tokens >= 1) {
          this.tokens -= 1;
          return;
        }
        await sleep(Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000));
      }
    });
    this.chain = next;
    return next;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const cap = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(cap / 2 + Math.random() * (cap / 2)); // "equal jitter"
}

type Classified = 'permanent' | 'refused' | 'ambiguous' | 'fatal';

/**
 * What a failed carrier call means for the message: 429 / 5xx are refusals (not accepted, retry);
 * 401 / 403 / 404 are our configuration (fail the page); any other 4xx is about the message itself
 * (21211 invalid number, 21610 unsubscribed, 21408 region…) and is never retried; no answer at all
 * (timeout, reset) is ambiguous: the carrier may have accepted it.
 */
function classifyTwilio(err: unknown): { kind: Classified; code: string } {
  const e = err as { status?: number; code?: number | string; name?: string };
  if (typeof e.status === 'number') {
    if (e.status === 429 || e.status >= 500) return { kind: 'refused', code: String(e.code ?? e.status) };
    if (e.status === 401 || e.status === 403 || e.status === 404) return { kind: 'fatal', code: String(e.code ?? e.status) };
    return { kind: 'permanent', code: String(e.code ?? e.status) };
  }
  // No HTTP answer (timeout, reset): the carrier may have accepted it.
  return { kind: 'ambiguous', code: e.name ?? 'network' };
}

export function createSendActivities(deps: SendActivityDeps) {
  const { db, config } = deps;
  const retry = deps.retry ?? { attempts: 6, baseMs: 200, maxMs: 5_000 };
  const now = deps.now ?? (() => new Date());
  const slots = new Semaphore(config.SEND_CONCURRENCY);
  const buckets = new Map<string, TokenBucket>();
  const bucketOf = (sender: string) => {
    if (!(config.SMS_SENDER_MPS > 0)) return null;
    let b = buckets.get(sender);
    if (!b) {
      if (buckets.size >= 10_000) buckets.clear(); // bounded memory; a fresh bucket only allows its burst
      buckets.set(sender, (b = new TokenBucket(config.SMS_SENDER_MPS)));
    }
    return b;
  };
  // Campaign rows are tiny and immutable once sending starts; a bounded cache saves a query per page.
  const campaigns = new Map<string, CampaignInfo>();
  const campaignOf = async (orderId: string): Promise<CampaignInfo> => {
    const cached = campaigns.get(orderId);
    if (cached) return cached;
    const row = await db('campaigns').where({ order_id: orderId }).first('account_id', 'channel', 'purpose', 'sender', 'subject', 'template');
    if (!row) throw failure(FailureType.CampaignNotFound, `no campaign for order ${orderId}`);
    const info: CampaignInfo = {
      accountId: row.account_id, channel: row.channel, purpose: row.purpose, sender: row.sender, subject: row.subject, template: row.template,
      render: compileTemplate(row.template), renderSubject: compileTemplate(row.subject ?? ''),
    };
    if (campaigns.size >= 256) campaigns.clear();
    campaigns.set(orderId, info);
    return info;
  };
  const statusCallback = (id: string) => `${(config.PUBLIC_BASE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '')}/webhooks/twilio/status?mid=${id}`;

  async function loadPage(input: PageInput): Promise<{ rows: PageRow[]; skipped: number }> {
    const { rows } = await db.raw(
      `select id, seq, recipient, vars, status, country, updated_at from messages
        where order_id = ? and seq between ? and ? order by seq`,
      [input.orderId, input.fromSeq, input.toSeq],
    );
    const all = rows as PageRow[];
    const actionable = all.filter((r) => ACTIONABLE.includes(r.status));
    return { rows: actionable, skipped: all.length - actionable.length };
  }

  /**
   * Writes outcomes and their history in one statement. Only rows still in one of `from` change
   * status (a webhook's final status wins); a carrier id is filled in even then.
   */
  async function writeOutcomes(outcomes: Outcome[], from: string[]): Promise<void> {
    if (outcomes.length === 0) return;
    await db.raw(
      `with v as (select * from unnest(?::bigint[], ?::text[], ?::text[], ?::text[]) as v(id, status, carrier_id, err)),
       u as (
         update messages m set
           status = case when m.status = any(?::text[]) then v.status else m.status end,
           carrier_id = coalesce(m.carrier_id, v.carrier_id),
           carrier_error = case when m.status = any(?::text[]) then v.err else m.carrier_error end,
           submitted_at = case when v.status = 'submitted' then coalesce(m.submitted_at, now()) else m.submitted_at end,
           updated_at = now()
         from v where m.id = v.id and (m.status = any(?::text[]) or (v.carrier_id is not null and m.carrier_id is null))
         returning m.id, v.status, v.err)
       insert into message_events (message_id, status, detail) select id, status, err from u where status <> 'queued'`,
      [outcomes.map((o) => o.id), outcomes.map((o) => o.status), outcomes.map((o) => o.carrierId), outcomes.map((o) => o.error), from, from, from],
    );
  }

  /** Step 3: suppression (one query for the page's recipients) and quiet hours. */
  async function screen(campaign: CampaignInfo, rows: PageRow[], result: PageResult): Promise<PageRow[]> {
    if (rows.length === 0) return rows;
    const { rows: found } = await db.raw(
      'select address from suppressions where account_id = ? and channel = ? and address = any(?::text[])',
      [campaign.accountId, campaign.channel, rows.map((r) => r.recipient)],
    );
    const suppressed = new Set((found as { address: string }[]).map((r) => r.address));
    const at = now();
    const outcomes: Outcome[] = [];
    const pass: PageRow[] = [];
    let nextAllowed: Date | null = null;
    for (const r of rows) {
      if (suppressed.has(r.recipient)) {
        outcomes.push({ id: r.id, status: 'suppressed', carrierId: null, error: null });
        result.suppressed += 1;
      } else if (
        quietHoursApply({ purpose: campaign.purpose, channel: campaign.channel, country: r.country }, FRANCE_MARKETING_SMS_POLICY) &&
        !isSendAllowed(at, FRANCE_MARKETING_SMS_POLICY)
      ) {
        if (r.status !== 'held') outcomes.push({ id: r.id, status: 'held', carrierId: null, error: null });
        result.held += 1;
        nextAllowed ??= nextAllowedInstant(at, FRANCE_MARKETING_SMS_POLICY);
      } else {
        pass.push(r);
      }
    }
    await writeOutcomes(outcomes, ACTIONABLE);
    if (nextAllowed) result.nextAllowedAt = nextAllowed.toISOString();
    return pass;
  }

  /**
   * Step 4's mark: the rows this attempt owns are those the UPDATE returned. 6.3.4, 7.3, 10.3: only
   * while the account is active, read once per page under FOR SHARE, so that the projection of a
   * suspension or termination (an UPDATE of that row) waits for this mark to commit: once it has
   * committed, no page marks anything more, and only the pages already marked may still submit.
   */
  async function markSubmitting(accountId: string, rows: PageRow[], result: PageResult): Promise<PageRow[]> {
    if (rows.length === 0) return rows;
    return db.transaction(async (trx) => {
      const account = await trx('accounts').where({ id: accountId }).forShare().first('status', 'state_version');
      if (account?.status !== 'active') {
        result.refused = { status: account?.status ?? 'terminated', stateVersion: Number(account?.state_version ?? 0) };
        return [];
      }
      const { rows: marked } = await trx.raw(
        `update messages set status = 'submitting', attempts = attempts + 1, updated_at = now()
          where id = any(?::bigint[]) and status = any(?::text[]) returning id`,
        [rows.map((r) => r.id), ACTIONABLE],
      );
      const ids = new Set((marked as { id: string }[]).map((r) => String(r.id)));
      return rows.filter((r) => ids.has(String(r.id)));
    });
  }

  function smsBody(campaign: CampaignInfo, r: PageRow): string {
    const body = campaign.render(r.vars ?? {});
    return needsOptOutMention({ purpose: campaign.purpose, channel: 'sms', country: r.country }, FRANCE_OPT_OUT_POLICY)
      ? withOptOutMention(body, config.SMS_OPT_OUT_MENTION)
      : body;
  }

  // ---- Twilio ---------------------------------------------------------------------------------

  function twilioOf(): TwilioClient {
    if (!deps.twilio) throw failure(FailureType.NoCarrier, 'no Twilio client configured on this worker');
    return deps.twilio;
  }

  /**
   * Has Twilio accepted this message already? Lists the messages to `To` sent since shortly before
   * our mark. The simulator adds the StatusCallback URL (non-standard) so the match is exact by our
   * id; against real Twilio (which does not return it) the match is To + Body + date, which could
   * adopt the wrong message if the same text went to the same number twice in that span.
   */
  async function findAccepted(r: PageRow, body: string, since: Date): Promise<string | null> {
    const client = twilioOf();
    const accountSid = config.TWILIO_ACCOUNT_SID ?? client.accountSid;
    const res = (await client.request({
      method: 'get',
      uri: `https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Messages.json`,
      params: { To: r.recipient, 'DateSent>': new Date(since.getTime() - 5 * 60_000).toISOString(), PageSize: 100 },
    })) as { statusCode: number; body: string };
    if (res.statusCode !== 200) throw new Error(`Twilio list answered ${res.statusCode}`);
    const list = (JSON.parse(res.body) as { messages: { sid: string; body: string; status_callback?: string | null }[] }).messages;
    const callback = statusCallback(r.id);
    const exact = list.find((m) => m.status_callback === callback);
    if (exact) return exact.sid;
    if (list.some((m) => m.status_callback !== undefined && m.status_callback !== null)) return null; // exact ids known: not ours
    return list.find((m) => m.body === body)?.sid ?? null;
  }

  /** Heartbeats every second from the first query on (reconciliation can take a while). */
  function withHeartbeat<T>(fn: (progress: { offset: number; total: number }) => Promise<T>): Promise<T> {
    const ctx = Context.current();
    const progress = { offset: (ctx.info.heartbeatDetails as { offset?: number } | undefined)?.offset ?? 0, total: 0 };
    const beat = setInterval(() => ctx.heartbeat({ ...progress }), 1_000);
    return fn(progress).finally(() => clearInterval(beat));
  }

  const sendSmsPage = (input: PageInput): Promise<PageResult> => withHeartbeat((progress) => smsPage(input, progress));
  const sendEmailPage = (input: PageInput): Promise<PageResult> => withHeartbeat(() => emailPage(input));

  async function smsPage(input: PageInput, progress: { offset: number; total: number }): Promise<PageResult> {
    const ctx = Context.current();
    const campaign = await campaignOf(input.orderId);
    if (campaign.channel !== 'sms') throw failure(FailureType.WrongChannel, `order ${input.orderId} is not an SMS campaign`);
    const client = twilioOf();
    const sender = campaign.sender;
    const senderParam = sender.startsWith('MG') ? { messagingServiceSid: sender } : { from: sender };
    const bucket = bucketOf(sender);
    const result: PageResult = { submitted: 0, suppressed: 0, held: 0, rejected: 0, skipped: 0, adopted: 0, nextAllowedAt: null };
    const resumedFrom = progress.offset;

    const t0 = Date.now();
    const { rows, skipped } = await loadPage(input);
    const t1 = Date.now();
    result.skipped = skipped;
    let pending = rows;
    if (resumedFrom > 0) ctx.log.info('page resumed', { ...input, resumedFrom, remaining: rows.length });

    // Render once; a message whose variables are missing never reaches the carrier.
    const bodies = new Map<string, string>();
    const unrenderable: Outcome[] = [];
    for (const r of pending) {
      try {
        bodies.set(r.id, smsBody(campaign, r));
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        unrenderable.push({ id: r.id, status: 'rejected_by_carrier', carrierId: null, error: err.code });
      }
    }
    if (unrenderable.length > 0) {
      await writeOutcomes(unrenderable, ACTIONABLE);
      result.rejected += unrenderable.length;
      const bad = new Set(unrenderable.map((o) => o.id));
      pending = pending.filter((r) => !bad.has(r.id));
    }

    // 2. Reconcile what a crashed attempt left ambiguous, before anything is resubmitted.
    const ambiguous = pending.filter((r) => r.status === 'submitting');
    if (ambiguous.length > 0) {
      const adopted: Outcome[] = [];
      await Promise.all(ambiguous.map((r) => slots.run(async () => {
        const sid = await findAccepted(r, bodies.get(r.id)!, new Date(r.updated_at));
        if (sid) adopted.push({ id: r.id, status: 'submitted', carrierId: sid, error: null });
      })));
      await writeOutcomes(adopted, ['submitting']);
      result.adopted = adopted.length;
      result.submitted += adopted.length;
      const done = new Set(adopted.map((o) => o.id));
      pending = pending.filter((r) => !done.has(r.id));
      ctx.log.info('page reconciled', { ...input, ambiguous: ambiguous.length, adopted: adopted.length });
    }

    // 3. Suppression and quiet hours; 4. the mark.
    pending = await markSubmitting(campaign.accountId, await screen(campaign, pending, result), result);
    const t2 = Date.now();
    const latency = { sum: 0, n: 0 };
    const total = pending.length;

    // 5. Submit; outcomes are flushed in bulk as they come.
    let buffer: Outcome[] = [];
    let resolved = 0;
    let flushing: Promise<void> = Promise.resolve();
    const flush = () => {
      const batch = buffer;
      buffer = [];
      // A failed write leaves its messages 'submitting': the page fails and the next attempt
      // reconciles them with the carrier.
      flushing = flushing.catch(() => undefined).then(() => writeOutcomes(batch, ['submitting']));
      return flushing;
    };
    const heartbeat = () => {
      progress.offset = resumedFrom + resolved;
      progress.total = total;
      ctx.heartbeat({ ...progress });
    };
    const unresolved: { row: PageRow; code: string; ambiguous: boolean }[] = [];
    let fatal: Error | null = null;
    let cancelled = false;
    ctx.cancellationSignal.addEventListener('abort', () => { cancelled = true; });

    const submitOne = async (r: PageRow): Promise<void> => {
      const body = bodies.get(r.id)!;
      let last: { kind: Classified; code: string } = { kind: 'refused', code: 'not_attempted' };
      let maybeAccepted = false;
      for (let attempt = 1; attempt <= retry.attempts; attempt += 1) {
        if (cancelled || fatal) break;
        if (maybeAccepted) {
          // A timed-out request may have been accepted: look before sending again.
          try {
            const sid = await findAccepted(r, body, new Date(Date.now() - 60_000));
            if (sid) {
              buffer.push({ id: r.id, status: 'submitted', carrierId: sid, error: null });
              result.submitted += 1;
              return;
            }
            maybeAccepted = false;
          } catch {
            await sleep(backoffMs(attempt, retry.baseMs, retry.maxMs));
            continue;
          }
        }
        if (bucket) await bucket.take();
        try {
          const c0 = Date.now();
          const msg = await client.messages.create({ to: r.recipient, body, statusCallback: statusCallback(r.id), ...senderParam });
          latency.sum += Date.now() - c0;
          latency.n += 1;
          buffer.push({ id: r.id, status: 'submitted', carrierId: msg.sid, error: null });
          result.submitted += 1;
          return;
        } catch (err) {
          last = classifyTwilio(err);
          if (last.kind === 'permanent') {
            buffer.push({ id: r.id, status: 'rejected_by_carrier', carrierId: null, error: last.code });
            result.rejected += 1;
            return;
          }
          if (last.kind === 'fatal') {
            fatal = err as Error;
            break;
          }
          if (last.kind === 'ambiguous') maybeAccepted = true;
          if (attempt < retry.attempts) await sleep(backoffMs(attempt, retry.baseMs, retry.maxMs));
        }
      }
      unresolved.push({ row: r, code: last.code, ambiguous: maybeAccepted });
    };

    // Never reject early: every task must have stopped before the attempt ends, or a leftover
    // could submit while the next attempt reconciles. A failed write stops new submissions.
    await Promise.all(pending.map((r) => slots.run(async () => {
      await submitOne(r);
      resolved += 1;
      if (buffer.length >= 250) {
        try {
          await flush();
          heartbeat();
        } catch (err) {
          fatal ??= err as Error;
        }
      }
    })));
    try {
      await flush();
    } catch (err) {
      fatal ??= err as Error;
    }

    if (unresolved.length > 0) {
      // Never answered with acceptance: back to 'queued' when the carrier surely refused or we never
      // tried; left 'submitting' (reconciled by the next attempt) when it may have been accepted.
      await writeOutcomes(unresolved.filter((u) => !u.ambiguous).map((u) => ({ id: u.row.id, status: 'queued', carrierId: null, error: u.code })), ['submitting']);
      heartbeat();
    }
    if (fatal) throw fatal;
    if (unresolved.length > 0) {
      if (cancelled) throw failure(FailureType.PageCancelled, 'page cancelled', { retryable: true });
      const detail = `${unresolved.length} messages of page ${input.fromSeq}-${input.toSeq} not accepted `
        + `after ${retry.attempts} tries (last ${unresolved[0].code})`;
      throw failure(FailureType.CarrierUnavailable, detail, { retryable: true });
    }
    if (process.env.SEND_PAGE_TIMING) process.stderr.write(`[page ${input.fromSeq}] load ${t1 - t0} screen+mark ${t2 - t1} submit ${Date.now() - t2} ms, carrier call ${Math.round(latency.sum / Math.max(1, latency.n))} ms avg\n`);
    return result;
  }

  // ---- SendGrid -------------------------------------------------------------------------------

  /** {{ name }} → {{name}}: SendGrid substitutes keys literally, so the keys must match exactly. */
  function canonicalTemplate(template: string): { text: string; names: string[] } {
    const names = templateVariables(template);
    return { text: template.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_m, n: string) => `{{${n}}}`), names };
  }

  async function emailPage(input: PageInput): Promise<PageResult> {
    const ctx = Context.current();
    const campaign = await campaignOf(input.orderId);
    if (campaign.channel !== 'email') throw failure(FailureType.WrongChannel, `order ${input.orderId} is not an e-mail campaign`);
    if (!deps.sendgrid) throw failure(FailureType.NoCarrier, 'no SendGrid client configured on this worker');
    const sendgrid = deps.sendgrid;
    const result: PageResult = { submitted: 0, suppressed: 0, held: 0, rejected: 0, skipped: 0, adopted: 0, nextAllowedAt: null };
    const { rows, skipped } = await loadPage(input);
    result.skipped = skipped;

    // 2. A batch left 'submitting' is one request whose answer was lost. SendGrid offers no lookup
    // by custom_args (short of the paid Email Activity API), so: if an event webhook has already
    // moved any message of the page on, the request was accepted and the rest are adopted;
    // otherwise it is resent (a duplicate is possible only if SendGrid accepted it and no event
    // has arrived yet).
    let pending = rows;
    const ambiguous = rows.filter((r) => r.status === 'submitting');
    if (ambiguous.length > 0) {
      const { rows: moved } = await db.raw(
        `select carrier_id from messages where order_id = ? and seq between ? and ? and carrier_id is not null
          and status not in ('queued','held','submitting','suppressed','cancelled','rejected_by_carrier') limit 1`,
        [input.orderId, input.fromSeq, input.toSeq],
      );
      if (moved.length > 0) {
        await writeOutcomes(ambiguous.map((r) => ({ id: r.id, status: 'submitted', carrierId: moved[0].carrier_id as string, error: null })), ['submitting']);
        result.adopted = ambiguous.length;
        result.submitted += ambiguous.length;
        pending = rows.filter((r) => r.status !== 'submitting');
      }
    }

    pending = await markSubmitting(campaign.accountId, await screen(campaign, pending, result), result);
    if (pending.length === 0) return result;

    const { text, names } = canonicalTemplate(campaign.template);
    const outcomes: Outcome[] = [];
    const recipients: BulkEmailRecipient[] = [];
    const sent: PageRow[] = [];
    for (const r of pending) {
      const vars = r.vars ?? {};
      try {
        const subject = campaign.renderSubject(vars);
        campaign.render(vars); // same check as the SMS path: every variable present
        const substitutions: Record<string, string> = {};
        for (const n of names) substitutions[`{{${n}}}`] = String(vars[n]);
        recipients.push({ email: r.recipient, mid: String(r.id), subject, ...(names.length ? { substitutions } : {}) });
        sent.push(r);
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        outcomes.push({ id: r.id, status: 'rejected_by_carrier', carrierId: null, error: err.code });
        result.rejected += 1;
      }
    }
    await writeOutcomes(outcomes, ['submitting']);
    if (sent.length === 0) return result;

    const mail = buildBulkEmail({ from: { email: campaign.sender }, text, recipients });
    for (let attempt = 1; ; attempt += 1) {
      try {
        const { messageId: id } = await postMailSend(sendgrid, mail);
        await writeOutcomes(sent.map((r) => ({ id: r.id, status: 'submitted', carrierId: id ?? null, error: null })), ['submitting']);
        result.submitted += sent.length;
        ctx.heartbeat({ offset: input.toSeq - input.fromSeq + 1 });
        return result;
      } catch (err) {
        const status = (err as { code?: number }).code;
        if (typeof status === 'number' && status >= 400 && status < 500 && status !== 429) {
          if (status === 401 || status === 403) throw err;
          await writeOutcomes(sent.map((r) => ({ id: r.id, status: 'rejected_by_carrier', carrierId: null, error: `sendgrid:${status}` })), ['submitting']);
          result.rejected += sent.length;
          return result;
        }
        const answered = typeof status === 'number'; // 429 / 5xx: refused; otherwise ambiguous
        if (attempt >= retry.attempts || ctx.cancellationSignal.aborted) {
          if (answered) await writeOutcomes(sent.map((r) => ({ id: r.id, status: 'queued', carrierId: null, error: `sendgrid:${status}` })), ['submitting']);
          const detail = `SendGrid did not accept page ${input.fromSeq}-${input.toSeq}: ${String(status ?? (err as Error).message)}`;
          throw failure(FailureType.CarrierUnavailable, detail, { retryable: true });
        }
        if (!answered) {
          // Left 'submitting': the next attempt's reconciliation decides, not a blind resend.
          const detail = `SendGrid request for page ${input.fromSeq}-${input.toSeq} got no answer`;
          throw failure(FailureType.CarrierAmbiguous, detail, { retryable: true });
        }
        ctx.heartbeat({ offset: 0 });
        await sleep(backoffMs(attempt, retry.baseMs, retry.maxMs));
      }
    }
  }

  return {
    sendSmsPage,
    sendEmailPage,
  };
}

export type SendActivities = ReturnType<typeof createSendActivities>;
