// Operations (issue #13): campaigns running, scheduled or held across accounts (progress, rate
// of delivery so far, held ones: 6.3.4 / 10.3), the accounts suspended and why, and each
// campaign's workflow in the Temporal UI; a staff hold or release per campaign (6.3.4, 10.3);
// the maintenance windows not yet over (6.4.3), which operations may cancel.
import { call, get, send } from '../api';
import { h, table, td, badge } from '../dom';
import { when } from '../format';
import type { Ctx } from '../main';
import { accountLink, workflowLink } from '../widgets';
import { accountRows, type AccountRow } from './accounts';

interface Campaign {
  id: string;
  accountId: string;
  legalName: string;
  accountStatus: string;
  channel: string;
  status: string;
  total: number;
  counts: Record<string, number>;
  startedAt: string | null;
  workflowId: string;
}

interface Window {
  id: string;
  startsAt: string;
  endsAt: string;
  emergency: boolean;
  reason: string;
  state: string;
  workflowId: string;
}

const DONE = ['delivered', 'undelivered', 'failed', 'rejected_by_carrier', 'suppressed', 'cancelled'];

function progress(c: Campaign): string {
  const done = DONE.reduce((n, s) => n + (c.counts[s] ?? 0), 0);
  if (!c.total) return '—';
  const pct = Math.round((100 * done) / c.total);
  if (!c.startedAt || done === 0 || c.status !== 'running') return `${done}/${c.total} (${pct} %)`;
  const perMin = done / Math.max((Date.now() - new Date(c.startedAt).getTime()) / 60_000, 1 / 60);
  const eta = Math.ceil((c.total - done) / perMin);
  return `${done}/${c.total} (${pct} %), ${Math.round(perMin)}/min, ETA ${eta} min`;
}

export async function operationsPage(ctx: Ctx): Promise<HTMLElement> {
  const [{ items: campaigns }, { items: suspended }, { items: windows }] = await Promise.all([
    get<{ items: Campaign[] }>('/v1/staff/campaigns', 'operations'),
    get<{ items: AccountRow[] }>('/v1/staff/accounts?status=suspended', 'operations'),
    get<{ items: Window[] }>('/v1/staff/maintenance-windows'),
  ]);
  const cancel = (w: Window) =>
    w.state === 'cancelled' || !ctx.can('operations')
      ? null
      : h(
          'button',
          {
            type: 'button',
            onclick: async () => {
              await call('DELETE', `/v1/staff/maintenance-windows/${w.id}`);
              ctx.reload();
            },
          },
          'Cancel window',
        );
  const hold = (c: Campaign, action: 'pause' | 'resume') =>
    h(
      'button',
      {
        type: 'button',
        onclick: async () => {
          await send(
            'post',
            `/v1/staff/accounts/{id}/campaigns/{campaignId}/${action}`,
            { id: c.accountId, campaignId: c.id },
            undefined,
            `account:${c.accountId}`,
          );
          ctx.reload();
        },
      },
      action === 'pause' ? 'Hold' : 'Release hold',
    );
  return h(
    'section',
    null,
    h('h1', null, 'Operations'),
    table(
      'Campaigns scheduled, running or held, across accounts',
      ['Account', 'Channel', 'Status', 'Progress', 'Started', 'Workflow', ''],
      campaigns.map((c) =>
        h(
          'tr',
          null,
          td(accountLink(c.accountId, c.legalName)),
          td(c.channel),
          td(
            badge(c.status, c.status === 'paused' ? 'amber' : 'blue'),
            c.accountStatus === 'suspended' ? h('small', null, ' account suspended') : null,
          ),
          td(progress(c)),
          td(when(c.startedAt)),
          td(workflowLink(ctx.me, c.workflowId)),
          td(c.status === 'running' ? hold(c, 'pause') : c.status === 'paused' ? hold(c, 'resume') : null),
        ),
      ),
      'No campaign in progress.',
    ),
    table(
      'Suspended accounts',
      ['Account', 'Formula', 'State', 'Suspensions', 'Registered'],
      accountRows(suspended),
      'No suspended account.',
    ),
    table(
      'Maintenance windows not yet over (6.4.3)',
      ['Starts', 'Ends', 'Kind', 'Reason', 'State', 'Workflow', ''],
      windows.map((w) =>
        h(
          'tr',
          null,
          td(when(w.startsAt)),
          td(when(w.endsAt)),
          td(w.emergency ? badge('emergency', 'red') : 'planned'),
          td(w.reason),
          td(badge(w.state, w.state === 'cancelled' ? 'grey' : 'blue')),
          td(workflowLink(ctx.me, w.workflowId)),
          td(cancel(w)),
        ),
      ),
      'No maintenance window planned.',
    ),
  );
}
