// A campaign (id `campaign:<orderId>`): waits for its scheduled start, then keeps a sliding
// window of page activities in flight on the send task queue (a page = a seq range; no bodies or
// recipients in payloads), honours pause / resume / cancel, re-runs pages held by quiet hours when
// the window opens, continues-as-new every N pages so history stays bounded for any size, and
// finally settles the order (lifecycle queue). A page that fails for good (a non-retryable error)
// stops the campaign: in-flight pages finish, what never reached the carrier is cancelled, and the
// order is settled as 'failed' (patch `campaign-failure-settles`; runs from before it threw).
// The account's suspension holds it and its termination cancels it (6.3.4, 7.3, 10.3: patch
// `campaign-account-hold`): by signal from the account workflow, or when a page finds the account
// not active and sends nothing; staff may hold it too, a hold the customer's resume never lifts.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { PageInput, PageResult, SendActivities } from '../activities/send';
import type { CampaignActivities, CampaignFailure, CampaignSummary } from '../activities/campaigns';
import {
  accountStatusChanged,
  cancelCampaign,
  campaignProgress,
  pauseCampaign,
  resumeCampaign,
  staffHoldCampaign,
  type AccountSendState,
  type CampaignRunStatus,
} from './messages';
import {
  countPage,
  countRefusedPage,
  describeFailure,
  isHeld,
  newCursor,
  progressOf,
  type CampaignCursor,
} from './campaign-progress';
import { SEND_PAGE_NON_RETRYABLE } from './failures';
import { SA } from './search-attributes';

const ACCOUNT_HOLD_PATCH = 'campaign-account-hold';

export interface CampaignInput {
  orderId: string;
  accountId: string;
  channel: 'sms' | 'email';
  purpose: 'marketing' | 'transactional' | string;
  /** Messages of the order (seq 1..total). */
  total: number;
  /** ISO instant; absent or past = now. */
  scheduledAt?: string;
  /** Send task queue; defaults to send-sms / send-email (tests isolate with their own). */
  sendTaskQueue?: string;
  /** Page activities in flight at most. */
  windowSize?: number;
  /** Messages per page: 500 SMS, 1000 e-mails (one SendGrid request). */
  pageSize?: number;
  /** Pages per run before continue-as-new. */
  pagesPerRun?: number;
  /** How soon a page whose worker died is retried elsewhere. */
  heartbeatTimeoutMs?: number;
  /** Carried across continue-as-new. */
  cursor?: CampaignCursor;
}

const lifecycle = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function campaignWorkflow(input: CampaignInput): Promise<CampaignSummary> {
  const pageSize = input.pageSize ?? (input.channel === 'sms' ? 500 : 1000);
  const windowSize = Math.max(1, input.windowSize ?? 12);
  const pagesPerRun = Math.max(1, input.pagesPerRun ?? 200);
  const pagesTotal = Math.ceil(input.total / pageSize);
  const send = proxyActivities<SendActivities>({
    taskQueue: input.sendTaskQueue ?? (input.channel === 'sms' ? 'send-sms' : 'send-email'),
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: input.heartbeatTimeoutMs ?? 20_000,
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '30 seconds',
      nonRetryableErrorTypes: SEND_PAGE_NON_RETRYABLE,
    },
  });
  const runPage = input.channel === 'sms' ? send.sendSmsPage : send.sendEmailPage;

  const first = input.cursor === undefined;
  const c: CampaignCursor = input.cursor ?? newCursor();
  let cancelled = false;
  let done = false;
  let inFlight = 0;
  let startedThisRun = 0;
  let version = 0; // bumped by every event the main loop waits on
  let failure: unknown = null;
  /** A page failed for good and this run settles instead of throwing: nothing new is scheduled. */
  let failed: CampaignFailure | null = null;
  const scheduledAt = input.scheduledAt ? Date.parse(input.scheduledAt) : NaN;
  let waitingForStart = first && Number.isFinite(scheduledAt) && scheduledAt > Date.now();

  let cancelDetail: string | undefined;
  const held = () => isHeld(c);
  const status = (): CampaignRunStatus =>
    cancelled
      ? 'cancelled'
      : failed
        ? 'failed'
        : done
          ? 'completed'
          : held()
            ? 'paused'
            : waitingForStart
              ? 'scheduled'
              : 'running';
  // Hold projections run one after the other, each writing the status of its own moment.
  let projection: Promise<void> = Promise.resolve();
  const projectHold = () => {
    projection = projection.then(async () => {
      const s = status();
      if (s === 'paused' || s === 'running' || s === 'scheduled') {
        await lifecycle.markCampaignStatus({ orderId: input.orderId, status: s });
      }
    });
    return projection;
  };
  /** News of the account, newest wins: suspended holds, active releases, terminated cancels. */
  const applyAccount = (s: AccountSendState) => {
    if ((c.account && s.stateVersion <= c.account.stateVersion) || !patched(ACCOUNT_HOLD_PATCH)) return;
    const wasHeld = held();
    c.account = { ...s };
    version += 1;
    if (s.status === 'terminated') {
      if (!done && !cancelled && !failed) {
        cancelled = true; // as a cancel: in-flight pages finish, the rest is cancelled and released
        cancelDetail = `account terminated${s.clause ? ` (${s.clause})` : ''}`;
      }
    } else if (!done && !cancelled && !failed && held() !== wasHeld) void projectHold();
  };

  if (first) {
    upsertSearchAttributes([
      { key: SA.AccountId, value: input.accountId },
      { key: SA.CaseKind, value: 'campaign' },
    ]);
  }

  setHandler(campaignProgress, () =>
    progressOf(c, { nowMs: Date.now(), total: input.total, pagesTotal, status: status() }),
  );
  setHandler(pauseCampaign, async () => {
    if (!cancelled && !failed && !done && !c.paused) {
      c.paused = true;
      version += 1;
      await lifecycle.markCampaignStatus({ orderId: input.orderId, status: 'paused' });
    }
    return status();
  });
  setHandler(resumeCampaign, async () => {
    if (!cancelled && !failed && !done && c.paused) {
      c.paused = false;
      version += 1;
      const next = held() ? 'paused' : waitingForStart ? 'scheduled' : 'running';
      await lifecycle.markCampaignStatus({ orderId: input.orderId, status: next });
    }
    return status();
  });
  setHandler(staffHoldCampaign, async ({ hold }) => {
    if (!cancelled && !failed && !done && (c.staffHold === true) !== hold && patched(ACCOUNT_HOLD_PATCH)) {
      const wasHeld = held();
      c.staffHold = hold;
      version += 1;
      if (held() !== wasHeld) await projectHold();
    }
    return status();
  });
  setHandler(accountStatusChanged, applyAccount);
  setHandler(cancelCampaign, () => {
    if (!done && !cancelled && !failed) {
      cancelled = true; // stop scheduling; in-flight pages finish; the rest is marked cancelled
      version += 1;
    }
    return Promise.resolve(status());
  });

  const start = (page: number, priorHeld: number) => {
    inFlight += 1;
    startedThisRun += 1;
    const fromSeq = (page - 1) * pageSize + 1;
    const args: PageInput = { orderId: input.orderId, fromSeq, toSeq: Math.min(input.total, page * pageSize) };
    runPage(args)
      .then(
        (r: PageResult) => {
          if (r.refused && patched(ACCOUNT_HOLD_PATCH)) {
            // The account was not active: the page runs again once the campaign may send.
            countRefusedPage(c, page, priorHeld, r);
            applyAccount(r.refused);
            return;
          }
          countPage(c, page, priorHeld, r);
        },
        (err: unknown) => {
          failure ??= err;
        },
      )
      .finally(() => {
        inFlight -= 1;
        version += 1;
      });
  };

  // Scheduled start: cancellable, and a pause during the wait holds the campaign after it.
  if (waitingForStart) {
    await lifecycle.markCampaignStatus({ orderId: input.orderId, status: held() ? 'paused' : 'scheduled' });
    await condition(() => cancelled, scheduledAt - Date.now());
    waitingForStart = false;
  }
  if (first && !cancelled) {
    c.startedAt = new Date().toISOString();
    await lifecycle.markCampaignStatus({ orderId: input.orderId, status: held() ? 'paused' : 'running' });
  }

  for (;;) {
    if (failure && !failed) {
      // Histories from before the patch threw here (the order stayed reserved): replay them so.
      if (!patched('campaign-failure-settles')) throw failure;
      failed = describeFailure(failure);
    }
    const runFull = startedThisRun >= pagesPerRun || workflowInfo().continueAsNewSuggested;
    while (!cancelled && !failed && !held() && !runFull && inFlight < windowSize && startedThisRun < pagesPerRun) {
      const due = c.retry.shift();
      if (due) start(due.page, due.held);
      else if (c.nextPage <= pagesTotal) start(c.nextPage++, 0);
      else break;
    }
    const workLeft = c.nextPage <= pagesTotal || c.retry.length > 0 || c.held.length > 0;
    if (inFlight === 0) {
      if (cancelled || failed || !workLeft) break;
      if (runFull || startedThisRun >= pagesPerRun) {
        await condition(allHandlersFinished);
        await projection;
        return continueAsNew<typeof campaignWorkflow>({ ...input, cursor: c });
      }
    }
    // Everything left is held by quiet hours: sleep until the window opens (pause/cancel wake us).
    const onlyHeld = c.nextPage > pagesTotal && c.retry.length === 0 && c.held.length > 0 && inFlight === 0;
    const seen = version;
    if (onlyHeld && !held() && !cancelled) {
      const woke = await condition(
        () => version !== seen,
        Math.max(1, Date.parse(c.heldUntil ?? new Date().toISOString()) - Date.now()),
      );
      if (!woke) {
        c.retry.push(...c.held);
        c.held = [];
        c.heldUntil = null;
      }
    } else {
      await condition(() => version !== seen);
    }
  }

  if (failed) {
    // Every page has returned: nothing queued or held can reach the carrier any more.
    await projection;
    await lifecycle.cancelRemainingMessages({
      orderId: input.orderId,
      detail: `campaign failed: ${failed.type ?? 'error'}: ${failed.message}`,
    });
    done = true;
    const summary = await lifecycle.finaliseCampaign({ orderId: input.orderId, outcome: 'failed', error: failed });
    await condition(allHandlersFinished);
    return summary;
  }
  await projection;
  if (cancelled) {
    const detail = cancelDetail ? { detail: cancelDetail } : {};
    await lifecycle.cancelRemainingMessages({ orderId: input.orderId, ...detail });
  }
  done = !cancelled;
  const summary = await lifecycle.finaliseCampaign({
    orderId: input.orderId,
    outcome: cancelled ? 'cancelled' : 'completed',
  });
  await condition(allHandlersFinished);
  return summary;
}
