// The SMS page (Twilio, one request per message): render each message with its opt-out mention
// (6.1), reconcile with Twilio what a crashed attempt left 'submitting', screen and mark through the
// page store, then submit with bounded concurrency and the sender's token bucket, retrying refusals
// with backoff and never a message-level error (6.3.1: an obligation of means, no blind resend).
// Outcomes are flushed in bulk; the offset is heartbeated so a retried attempt skips what is done.
// One submit path for both scopes (page-store.ts PageScope): a campaign's page, and a batch of
// single sends (one order each) whose rows each carry their own campaign, sender and account.
import { Context } from '@temporalio/activity';
import type { Config } from '../../lib/config';
import { failure, FailureType } from '../../workflows/failures';
import type { TwilioClient } from '../carriers/twilio-client';
import { twilioStatusCallback, withoutFragment } from '../carriers/twilio-signature';
import { TemplateError } from '../../domain/templating';
import { needsOptOutMention, withOptOutMention, FRANCE_OPT_OUT_POLICY } from '../../domain/opt-out';
import { backoffMs, sleep, type Semaphore, type TokenBucket } from './concurrency';
import type { AccountSendState } from '../../workflows/messages';
import { classifyTwilioError, type CarrierErrorKind } from './carrier-errors';
import { withSubmissionGuard } from '../carriers/submission-guard';
import { loadLeased, type PageLease } from './lease';
import {
  ACTIONABLE,
  emptyPageResult,
  type CampaignInfo,
  type Outcome,
  isBatch,
  scopeLabel,
  type PageInput,
  type PageResult,
  type PageRow,
  type PageScope,
  type PageStore,
} from './page-store';

/** Options of a batch of single sends: its own carrier slots, and the accounts the mark refused. */
export interface SubmitOptions {
  slots?: Semaphore;
  refused?: Map<string, AccountSendState>;
}

export interface SmsPageDeps {
  store: PageStore;
  /** Read at each page (not copied): the worker's deps object, whose client may be swapped or removed. */
  carriers: { twilio: TwilioClient | null };
  config: Pick<Config, 'PUBLIC_BASE_URL' | 'SMS_OPT_OUT_MENTION' | 'TWILIO_ACCOUNT_SID'>;
  retry: { attempts: number; baseMs: number; maxMs: number };
  /** Shared by all pages of the worker: the keep-alive pool's size. */
  slots: Semaphore;
  bucketOf: (sender: string) => TokenBucket | null;
}

export function createSmsPage(deps: SmsPageDeps) {
  const { store, config, retry, bucketOf } = deps;
  const { campaignOf, writeOutcomes, screen, markSubmitting } = store;
  const statusCallback = (id: string) => twilioStatusCallback(config.PUBLIC_BASE_URL, id);

  function smsBody(campaign: CampaignInfo, r: PageRow): string {
    const body = campaign.render(r.vars ?? {});
    return needsOptOutMention({ purpose: campaign.purpose, channel: 'sms', country: r.country }, FRANCE_OPT_OUT_POLICY)
      ? withOptOutMention(body, config.SMS_OPT_OUT_MENTION)
      : body;
  }

  function twilioOf(): TwilioClient {
    if (!deps.carriers.twilio) throw failure(FailureType.NoCarrier, 'no Twilio client configured on this worker');
    return deps.carriers.twilio;
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
    const list = (
      JSON.parse(res.body) as { messages: { sid: string; body: string; status_callback?: string | null }[] }
    ).messages;
    // Without the fragment: messages sent before the connection overrides were added match too.
    const callback = withoutFragment(statusCallback(r.id));
    const exact = list.find((m) => m.status_callback && withoutFragment(m.status_callback) === callback);
    if (exact) return exact.sid;
    // Exact ids known: not ours.
    if (list.some((m) => m.status_callback !== undefined && m.status_callback !== null)) return null;
    return list.find((m) => m.body === body)?.sid ?? null;
  }

  async function smsPage(
    input: PageInput,
    progress: { offset: number; total: number },
    lease: PageLease,
  ): Promise<PageResult> {
    const campaign = await campaignOf(input.orderId);
    if (campaign.channel !== 'sms')
      throw failure(FailureType.WrongChannel, `order ${input.orderId} is not an SMS campaign`);
    return submitSms(input, () => campaign, progress, lease);
  }

  /** Everything after the campaign look-up, for a page (one campaign) or a batch (one per row). */
  async function submitSms(
    input: PageScope,
    campaignOfRow: (r: PageRow) => CampaignInfo,
    progress: { offset: number; total: number },
    lease: PageLease,
    opts: SubmitOptions = {},
  ): Promise<PageResult> {
    const ctx = Context.current();
    const client = twilioOf();
    const slots = opts.slots ?? deps.slots;
    const senderParam = (sender: string) =>
      sender.startsWith('MG') ? { messagingServiceSid: sender } : { from: sender };
    const result = emptyPageResult();
    const resumedFrom = progress.offset;

    const t0 = Date.now();
    // 1. Rows another attempt left 'submitting' are taken over once its lease expired.
    const { rows, skipped } = await loadLeased(lease, store);
    const t1 = Date.now();
    result.skipped = skipped;
    let pending = rows;
    if (resumedFrom > 0) ctx.log.info('page resumed', { ...lease.logFields(), resumedFrom, remaining: rows.length });

    // Render once; a message whose variables are missing never reaches the carrier.
    const bodies = new Map<string, string>();
    const unrenderable: Outcome[] = [];
    for (const r of pending) {
      try {
        bodies.set(r.id, smsBody(campaignOfRow(r), r));
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        unrenderable.push({ id: r.id, status: 'rejected_by_carrier', carrierId: null, error: err.code });
      }
    }
    if (unrenderable.length > 0) {
      await writeOutcomes(unrenderable, ACTIONABLE, lease.token);
      result.rejected += unrenderable.length;
      const bad = new Set(unrenderable.map((o) => o.id));
      pending = pending.filter((r) => !bad.has(r.id));
    }

    // 2. Reconcile what a crashed attempt left ambiguous (now leased to this one), before anything
    // is resubmitted.
    const ambiguous = pending.filter((r) => r.status === 'submitting');
    if (ambiguous.length > 0) {
      const adopted: Outcome[] = [];
      await Promise.all(
        ambiguous.map((r) =>
          slots.run(async () => {
            const sid = await findAccepted(r, bodies.get(r.id)!, new Date(r.updated_at));
            if (sid) adopted.push({ id: r.id, status: 'submitted', carrierId: sid, error: null });
          }),
        ),
      );
      await writeOutcomes(adopted, ['submitting'], lease.token);
      result.adopted = adopted.length;
      result.submitted += adopted.length;
      const done = new Set(adopted.map((o) => o.id));
      pending = pending.filter((r) => !done.has(r.id));
      ctx.log.info('page reconciled', { ...lease.logFields(), ambiguous: ambiguous.length, adopted: adopted.length });
    }

    // 3. Suppression and quiet hours; 4. the mark.
    const screened = await screen(campaignOfRow, pending, result, lease);
    pending = await markSubmitting((r) => campaignOfRow(r).accountId, screened, result, lease, opts.refused);
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
      // Written rows need no lease any more; until then it is renewed, so no retry takes them over.
      flushing = flushing
        .catch(() => undefined)
        .then(() => writeOutcomes(batch, ['submitting'], lease.token))
        .then(() => batch.forEach((o) => lease.release(o.id)));
      return flushing;
    };
    const heartbeat = () => {
      progress.offset = resumedFrom + resolved;
      progress.total = total;
      ctx.heartbeat({ ...progress });
    };
    const unresolved: { row: PageRow; code: string; ambiguous: boolean }[] = [];
    let fatal: Error | null = null;
    // Read, not listened to: a dispatch activity runs many batches on one signal (no listener per batch).
    const cancelled = () => ctx.cancellationSignal.aborted;

    const submitOne = async (r: PageRow): Promise<void> => {
      const body = bodies.get(r.id)!;
      const { sender } = campaignOfRow(r);
      const bucket = bucketOf(sender);
      let last: { kind: CarrierErrorKind; code: string } = { kind: 'refused', code: 'not_attempted' };
      let maybeAccepted = false;
      for (let attempt = 1; attempt <= retry.attempts; attempt += 1) {
        if (cancelled() || fatal || lease.fenced) break;
        if (maybeAccepted) {
          if (!lease.allows()) break;
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
        // The lease is checked immediately before each request: past it, another attempt may own it.
        if (!lease.allows()) break;
        try {
          const c0 = Date.now();
          // Checked again when the request is written (a wait for a connection, a freeze).
          const msg = await withSubmissionGuard(
            () => lease.allows(),
            () =>
              client.messages.create({
                to: r.recipient,
                body,
                statusCallback: statusCallback(r.id),
                ...senderParam(sender),
              }),
          );
          latency.sum += Date.now() - c0;
          latency.n += 1;
          buffer.push({ id: r.id, status: 'submitted', carrierId: msg.sid, error: null });
          result.submitted += 1;
          return;
        } catch (err) {
          // Never written (submission-guard.ts): the message stays for the attempt that owns it now.
          if (lease.fenced) break;
          last = classifyTwilioError(err);
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
    await Promise.all(
      pending.map((r) =>
        slots.run(async () => {
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
        }),
      ),
    );
    try {
      await flush();
    } catch (err) {
      fatal ??= err as Error;
    }

    if (unresolved.length > 0 && !lease.fenced) {
      // Never answered with acceptance: back to 'queued' when the carrier surely refused or we never
      // tried; left 'submitting' (reconciled by the next attempt) when it may have been accepted.
      await writeOutcomes(
        unresolved
          .filter((u) => !u.ambiguous)
          .map((u) => ({ id: u.row.id, status: 'queued', carrierId: null, error: u.code })),
        ['submitting'],
        lease.token,
      );
      heartbeat();
    }
    // Fenced: what it did not submit stays 'submitting', for the next attempt to reconcile.
    if (lease.fenced) throw lease.failure();
    if (fatal) throw fatal;
    if (unresolved.length > 0) {
      if (cancelled()) throw failure(FailureType.PageCancelled, 'page cancelled', { retryable: true });
      const detail =
        `${unresolved.length} messages of ${isBatch(input) ? scopeLabel(input) : `page ${input.fromSeq}-${input.toSeq}`} ` +
        `not accepted ` +
        `after ${retry.attempts} tries (last ${unresolved[0].code})`;
      throw failure(FailureType.CarrierUnavailable, detail, { retryable: true });
    }
    if (process.env.SEND_PAGE_TIMING)
      process.stderr.write(
        `[${isBatch(input) ? scopeLabel(input) : `page ${input.fromSeq}`}] load ${t1 - t0} screen+mark ${t2 - t1} submit ${Date.now() - t2} ms, ` +
          `carrier call ${Math.round(latency.sum / Math.max(1, latency.n))} ms avg\n`,
      );
    return result;
  }

  return { smsPage, submitSms };
}
