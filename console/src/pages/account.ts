// An account page (issue #13): identity, formula, contract state and suspensions, its open cases
// and deadlines, invoices, campaigns — each from its staff route, read with the reason given once
// for this account — and the measures the member's roles allow: suspend / lift (6.3.4), formal
// notice (10.1), prohibited use (10.3), the platform's termination notice (3.2 i).
import { get, call, send } from '../api';
import { field, h, select, table, td, badge } from '../dom';
import { euros, when } from '../format';
import type { Ctx } from '../main';
import { actionForm, caseLink, workflowLink } from '../widgets';
import { deadlineRows, type Deadline } from './deadlines';
import { statusBadge } from './accounts';
import { billingMeasures, type Invoice } from './account-billing';

interface Account {
  id: string;
  legalName: string;
  legalForm: string;
  country: string;
  siren?: string;
  formula: string;
  termsVersion: string;
  effectiveDate: string;
  status: string;
  suspensions: { kind: string; ref: string; reason?: string; since: string }[];
}
interface Requests {
  dataSubjectRequests: {
    id: string;
    kind: string;
    subjectContact: string;
    state: string;
    receivedAt: string;
    resolution: string | null;
  }[];
  claims: {
    id: string;
    eventAt: string;
    notifiedAt: string;
    description: string;
    accepted: boolean;
    refusal: string | null;
    capCents: number;
  }[];
}
interface CaseRow {
  id: string;
  kind: string;
  clause: string;
  state: string;
  openedAt: string;
  closedAt: string | null;
  workflowId: string;
}
interface Campaign {
  id: string;
  channel: string;
  status: string;
  total: number;
  counts: Record<string, number>;
}

function measures(ctx: Ctx, a: Account, reason: string): HTMLElement[] {
  const out: HTMLElement[] = [];
  const refresh = (t: string) => (setTimeout(ctx.reload, 500), t);
  const text = (name: string) => h('textarea', { name, rows: 2, required: true, minlength: 5 });
  if (ctx.can('compliance') || ctx.can('operations')) {
    const why = text('reason');
    out.push(
      actionForm('Suspend the account', [field('Reason given to the User (6.3.4)', why)], 'Suspend', async () => {
        await send(
          'post',
          '/v1/staff/accounts/{id}/suspensions',
          { id: a.id },
          { kind: 'staff', reason: why.value.trim() },
          reason,
        );
        return refresh('Account suspended.');
      }),
    );
  }
  if (ctx.can('compliance')) {
    const breach = text('breach');
    const suspend = h('input', { type: 'checkbox', name: 'suspend', id: 'fn-suspend' });
    out.push(
      actionForm(
        'Formal notice (10.1)',
        [
          field('Breach', breach),
          h('div', { class: 'field check' }, suspend, h('label', { for: 'fn-suspend' }, 'Suspend at once (6.3.4)')),
        ],
        'Send formal notice',
        async () => {
          const r = await send<{ caseId: string }, 'post', '/v1/staff/accounts/{id}/formal-notices'>(
            'post',
            '/v1/staff/accounts/{id}/formal-notices',
            { id: a.id },
            { breach: breach.value.trim(), suspend: suspend.checked },
            reason,
          );
          setTimeout(() => ctx.go(`#/cases/${r.caseId}?account=${a.id}`), 500);
          return 'Formal notice sent.';
        },
      ),
    );
    const behaviour = text('behaviour');
    const action = select('action', [
      ['suspend', 'Suspend'],
      ['terminate', 'Terminate with immediate effect'],
    ]);
    out.push(
      actionForm(
        'Prohibited use (10.3)',
        [field('Behaviour found', behaviour), field('Measure', action)],
        'Apply measure',
        async () => {
          await send(
            'post',
            '/v1/staff/accounts/{id}/prohibited-use',
            { id: a.id },
            { action: action.value as 'suspend' | 'terminate', behaviour: behaviour.value.trim() },
            reason,
          );
          return refresh('Measure applied.');
        },
      ),
    );
  }
  if ((ctx.can('compliance') || ctx.can('admin')) && a.formula === 'subscription')
    out.push(
      actionForm('Termination notice (3.2 i)', [], 'Give termination notice', async () => {
        const r = await send<{ endsAt: string }, 'post', '/v1/staff/accounts/{id}/termination-notice'>(
          'post',
          '/v1/staff/accounts/{id}/termination-notice',
          { id: a.id },
          undefined,
          reason,
        );
        return refresh(`Notice given: the contract ends at ${r.endsAt}.`);
      }),
    );
  return out;
}

export async function accountPage(ctx: Ctx): Promise<HTMLElement> {
  const [id] = ctx.params;
  const reason = `account:${id}`;
  const a = await get<Account>(`/v1/staff/accounts/${id}`, reason);
  const clocks = ctx.can('compliance') || ctx.can('operations');
  const [deadlines, cases, invoices, campaigns, requests] = await Promise.all([
    clocks ? get<{ items: Deadline[] }>(`/v1/staff/deadlines?accountId=${id}&state=open`, reason) : null,
    clocks ? get<{ items: CaseRow[] }>(`/v1/staff/accounts/${id}/cases`, reason) : null,
    ctx.can('billing') ? get<{ invoices: Invoice[] }>(`/v1/staff/billing/accounts/${id}/invoices`, reason) : null,
    clocks ? get<{ items: Campaign[] }>(`/v1/staff/campaigns?accountId=${id}`, reason) : null,
    ctx.can('compliance') ? get<Requests>(`/v1/staff/accounts/${id}/requests`, reason) : null,
  ]);
  const closeDsr = (d: Requests['dataSubjectRequests'][number]) => {
    if (d.state === 'closed') return d.resolution ?? '';
    const resolution = h('input', { name: 'resolution', 'aria-label': `Resolution of the ${d.kind} request` });
    return h(
      'form',
      {
        class: 'inline',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          await send(
            'post',
            '/v1/staff/data-subject-requests/{id}/close',
            { id: d.id },
            { resolution: resolution.value.trim() },
            reason,
          );
          ctx.reload();
        },
      },
      resolution,
      h('button', { type: 'submit' }, 'Close'),
    );
  };
  const lift = (s: Account['suspensions'][number]) =>
    s.kind !== 'late_payment' && clocks
      ? h(
          'button',
          {
            type: 'button',
            onclick: async () => {
              await call('DELETE', `/v1/staff/accounts/${id}/suspensions/${s.kind}/${encodeURIComponent(s.ref)}`, {
                reason,
              });
              ctx.reload();
            },
          },
          `Lift ${s.kind} suspension`,
        )
      : null;
  return h(
    'section',
    null,
    h('h1', null, a.legalName),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Account id'),
      h('dd', null, h('code', null, a.id)),
      h('dt', null, 'Legal form'),
      h('dd', null, `${a.legalForm}, ${a.country}${a.siren ? `, SIREN ${a.siren}` : ''}`),
      h('dt', null, 'Formula'),
      h('dd', null, a.formula),
      h('dt', null, 'Terms'),
      h('dd', null, `${a.termsVersion}, in force since `, when(a.effectiveDate)),
      h('dt', null, 'Contract state'),
      h('dd', null, statusBadge(a.status)),
      h('dt', null, 'Workflow'),
      h('dd', null, workflowLink(ctx.me, `account:${a.id}`)),
    ),
    table(
      'Suspensions',
      ['Kind', 'Reason', 'Since', ''],
      (a.suspensions ?? []).map((s) =>
        h('tr', null, td(badge(s.kind, 'amber')), td(s.reason ?? '—'), td(when(s.since)), td(lift(s))),
      ),
      'Not suspended.',
    ),
    cases
      ? table(
          'Cases',
          ['Opened', 'Kind', 'Clause', 'State', 'Case'],
          cases.items.map((c) =>
            h(
              'tr',
              null,
              td(when(c.openedAt)),
              td(c.kind.replace(/_/g, ' ')),
              td(c.clause),
              td(badge(c.state, c.closedAt ? 'grey' : 'blue')),
              td(caseLink(c.id, id)),
            ),
          ),
          'No case.',
        )
      : null,
    deadlines
      ? table(
          'Open deadlines',
          ['Due', 'Kind', 'Clause', 'Account', 'State', 'Case', 'Workflow'],
          deadlineRows(ctx, deadlines.items),
          'No open deadline.',
        )
      : null,
    invoices
      ? table(
          'Invoices and credit notes',
          ['Issued', 'Number', 'Kind', 'Total', 'Outstanding'],
          invoices.invoices.map((i) =>
            h(
              'tr',
              null,
              td(when(i.issuedAt)),
              td(i.number),
              td(i.kind.replace(/_/g, ' ')),
              td(euros(i.totalCents)),
              td(i.payment ? euros(i.payment.outstandingCents) : '—'),
            ),
          ),
          'No invoice.',
        )
      : null,
    campaigns
      ? table(
          'Campaigns in progress',
          ['Campaign', 'Channel', 'Status', 'Recipients', 'Delivered'],
          campaigns.items.map((c) =>
            h(
              'tr',
              null,
              td(h('code', null, c.id.slice(0, 8))),
              td(c.channel),
              td(c.status),
              td(String(c.total)),
              td(String(c.counts.delivered ?? 0)),
            ),
          ),
          'No campaign in progress.',
        )
      : null,
    requests
      ? [
          table(
            'Data-subject requests (Annex 2.3)',
            ['Received', 'Kind', 'Subject', 'State', 'Resolution'],
            requests.dataSubjectRequests.map((d) =>
              h(
                'tr',
                null,
                td(when(d.receivedAt)),
                td(d.kind),
                td(d.subjectContact),
                td(badge(d.state, d.state === 'closed' ? 'grey' : 'amber')),
                td(closeDsr(d)),
              ),
            ),
            'No data-subject request.',
          ),
          table(
            'Liability claims (9)',
            ['Notified', 'Event', 'Description', 'Outcome', 'Cap'],
            requests.claims.map((c) =>
              h(
                'tr',
                null,
                td(when(c.notifiedAt)),
                td(when(c.eventAt)),
                td(c.description),
                td(c.accepted ? badge('accepted', 'green') : [badge('refused', 'red'), ' ', c.refusal ?? '']),
                td(euros(c.capCents)),
              ),
            ),
            'No claim.',
          ),
        ]
      : null,
    h('h2', null, 'Measures'),
    ...measures(ctx, a, reason),
    ...(invoices ? billingMeasures(ctx, a.id, invoices.invoices, reason) : []),
  );
}
