// The e-mail page (SendGrid, one request per page carrying one personalization per message):
// reconcile a batch a crashed attempt left 'submitting' (adopted if an event webhook has already
// moved one of its messages on), screen and mark through the page store, render every subject and
// body check, then post the batch, retrying refusals with backoff (6.3.1: an obligation of means)
// and never resending blindly a request that got no answer.
import { Context } from '@temporalio/activity';
import { failure, FailureType } from '../../workflows/failures';
import {
  buildBulkEmail,
  postMailSend,
  type BulkEmailRecipient,
  type SendGridClient,
} from '../carriers/sendgrid-client';
import { templateVariables, TemplateError } from '../../domain/templating';
import { backoffMs, sleep } from './concurrency';
import { classifySendGridError } from './carrier-errors';
import { loadLeased, type PageLease } from './lease';
import {
  emptyPageResult,
  type Outcome,
  type PageInput,
  type PageResult,
  type PageRow,
  type PageStore,
} from './page-store';

export interface EmailPageDeps {
  store: PageStore;
  /** Read at each page (not copied): the worker's deps object, whose client may be swapped or removed. */
  carriers: { sendgrid: SendGridClient | null };
  retry: { attempts: number; baseMs: number; maxMs: number };
}

/** {{ name }} → {{name}}: SendGrid substitutes keys literally, so the keys must match exactly. */
function canonicalTemplate(template: string): { text: string; names: string[] } {
  const names = templateVariables(template);
  return { text: template.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_m, n: string) => `{{${n}}}`), names };
}

export function createEmailPage(deps: EmailPageDeps) {
  const { store, retry } = deps;
  const { campaignOf, writeOutcomes, screen, markSubmitting, acceptedCarrierIdOf } = store;

  async function emailPage(input: PageInput, lease: PageLease): Promise<PageResult> {
    const ctx = Context.current();
    const campaign = await campaignOf(input.orderId);
    if (campaign.channel !== 'email')
      throw failure(FailureType.WrongChannel, `order ${input.orderId} is not an e-mail campaign`);
    if (!deps.carriers.sendgrid) throw failure(FailureType.NoCarrier, 'no SendGrid client configured on this worker');
    const sendgrid = deps.carriers.sendgrid;
    const result = emptyPageResult();
    // Rows another attempt left 'submitting' are taken over once its lease expired.
    const { rows, skipped } = await loadLeased(lease, store);
    result.skipped = skipped;

    // 2. A batch left 'submitting' is one request whose answer was lost. SendGrid offers no lookup
    // by custom_args (short of the paid Email Activity API), so: if an event webhook has already
    // moved any message of the page on, the request was accepted and the rest are adopted;
    // otherwise it is resent (a duplicate is possible only if SendGrid accepted it and no event
    // has arrived yet).
    let pending = rows;
    const ambiguous = rows.filter((r) => r.status === 'submitting');
    if (ambiguous.length > 0) {
      const carrierId = await acceptedCarrierIdOf(input);
      if (carrierId !== null) {
        await writeOutcomes(
          ambiguous.map((r) => ({ id: r.id, status: 'submitted', carrierId, error: null })),
          ['submitting'],
          lease.token,
        );
        result.adopted = ambiguous.length;
        result.submitted += ambiguous.length;
        pending = rows.filter((r) => r.status !== 'submitting');
      }
    }

    const screened = await screen(() => campaign, pending, result, lease);
    pending = await markSubmitting(campaign.accountId, screened, result, lease);
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
    await writeOutcomes(outcomes, ['submitting'], lease.token);
    if (sent.length === 0) return result;
    for (const o of outcomes) lease.release(o.id);

    const mail = buildBulkEmail({ from: { email: campaign.sender }, text, recipients });
    for (let attempt = 1; ; attempt += 1) {
      // The lease is checked immediately before each request (first and after each backoff):
      // past it, the batch stays 'submitting' for the attempt that takes it over to reconcile.
      if (!lease.allows()) throw lease.failure();
      try {
        const { messageId: id } = await postMailSend(sendgrid, mail);
        await writeOutcomes(
          sent.map((r) => ({ id: r.id, status: 'submitted', carrierId: id ?? null, error: null })),
          ['submitting'],
          lease.token,
        );
        result.submitted += sent.length;
        ctx.heartbeat({ offset: input.toSeq - input.fromSeq + 1 });
        return result;
      } catch (err) {
        const { kind, code } = classifySendGridError(err);
        if (kind === 'fatal') throw err;
        if (kind === 'permanent') {
          await writeOutcomes(
            sent.map((r) => ({ id: r.id, status: 'rejected_by_carrier', carrierId: null, error: `sendgrid:${code}` })),
            ['submitting'],
            lease.token,
          );
          result.rejected += sent.length;
          return result;
        }
        const answered = kind === 'refused'; // 429 / 5xx: refused; otherwise ambiguous
        if (attempt >= retry.attempts || ctx.cancellationSignal.aborted) {
          if (answered)
            await writeOutcomes(
              sent.map((r) => ({ id: r.id, status: 'queued', carrierId: null, error: `sendgrid:${code}` })),
              ['submitting'],
              lease.token,
            );
          const detail = `SendGrid did not accept page ${input.fromSeq}-${input.toSeq}: ${code}`;
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

  return emailPage;
}
