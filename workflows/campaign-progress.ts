// The bookkeeping of a campaign workflow, as pure functions over its cursor: the cursor itself
// (carried across continue-as-new), the counts a page's result adds, the holds in force (customer,
// staff, account suspension: 6.3.4, 7.3, 10.3) and the progress the `campaignProgress` query
// answers. Workflow-safe: no I/O, no clock of its own (the workflow passes its deterministic now).
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { PageResult } from '../activities/send';
import type { CampaignFailure } from '../activities/campaigns';
import type { AccountSendState, CampaignHold, CampaignProgress, CampaignRunStatus } from './messages';

export interface CampaignCursor {
  /** Next page never started (1-based). */
  nextPage: number;
  pagesDone: number;
  counts: CampaignProgress['counts'];
  sent: number;
  startedAt: string | null;
  paused: boolean;
  /** Pages with messages held by quiet hours, and how many each held. */
  held: { page: number; held: number }[];
  heldUntil: string | null;
  /** Held pages due again, waiting for a slot in the window. */
  retry: { page: number; held: number }[];
  /** Held by staff (absent in cursors from before patch `campaign-account-hold`). */
  staffHold?: boolean;
  /** The account's status as last known: `suspended` holds the campaign. */
  account?: AccountSendState;
}

/** The cursor of a campaign's first run. */
export function newCursor(): CampaignCursor {
  return {
    nextPage: 1,
    pagesDone: 0,
    counts: { submitted: 0, suppressed: 0, held: 0, rejected: 0 },
    sent: 0,
    startedAt: null,
    paused: false,
    held: [],
    heldUntil: null,
    retry: [],
  };
}

/** The holds in force, in a stable order; the campaign sends nothing while any holds. */
function holdsOf(c: CampaignCursor): CampaignHold[] {
  return [
    ...(c.paused ? ['customer' as const] : []),
    ...(c.staffHold ? ['staff' as const] : []),
    ...(c.account?.status === 'suspended' ? ['account_suspended' as const] : []),
  ];
}

export function isHeld(c: CampaignCursor): boolean {
  return c.paused || c.staffHold === true || c.account?.status === 'suspended';
}

/**
 * A page refused because the account was not active: nothing was submitted (but crash leftovers
 * adopted and final screening outcomes count); the page is queued to run again once it may send.
 */
export function countRefusedPage(c: CampaignCursor, page: number, priorHeld: number, r: PageResult): void {
  c.counts.submitted += r.submitted;
  c.counts.suppressed += r.suppressed;
  c.counts.rejected += r.rejected;
  c.sent += r.submitted;
  c.retry.push({ page, held: priorHeld });
}

/** A page that ran: its counts, and its held messages (re-run when quiet hours end, 6.1). */
export function countPage(c: CampaignCursor, page: number, priorHeld: number, r: PageResult): void {
  c.counts.submitted += r.submitted;
  c.counts.suppressed += r.suppressed;
  c.counts.rejected += r.rejected;
  c.counts.held += r.held - priorHeld;
  c.sent += r.submitted;
  if (priorHeld === 0) c.pagesDone += 1;
  if (r.held > 0) {
    c.held.push({ page, held: r.held });
    if (r.nextAllowedAt && (c.heldUntil === null || r.nextAllowedAt < c.heldUntil)) c.heldUntil = r.nextAllowedAt;
  }
}

/** The answer of the `campaignProgress` query at `nowMs` (the workflow's clock). */
export function progressOf(
  c: CampaignCursor,
  at: { nowMs: number; total: number; pagesTotal: number; status: CampaignRunStatus },
): CampaignProgress {
  const elapsed = c.startedAt ? (at.nowMs - Date.parse(c.startedAt)) / 1000 : 0;
  const rate = elapsed > 0 ? c.sent / elapsed : 0;
  const remaining = Math.max(0, at.total - c.sent - c.counts.suppressed - c.counts.rejected);
  return {
    status: at.status,
    pagesDone: c.pagesDone,
    pagesTotal: at.pagesTotal,
    sent: c.sent,
    counts: { ...c.counts },
    startedAt: c.startedAt,
    ratePerSecond: Math.round(rate * 10) / 10,
    etaSeconds: rate > 0 ? Math.ceil(remaining / rate) : null,
    holds: holdsOf(c),
  };
}

/** The error of a page that failed for good: the activity's application failure, if any. */
export function describeFailure(err: unknown): CampaignFailure {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return { type: cause.type ?? null, message: cause.message };
  return { type: null, message: cause instanceof Error ? cause.message : String(cause) };
}
