// Accounts (issue #13): find an account by name or id, or list them by state (suspended ones
// with the suspensions and why: 6.3.4, 7.3, 10.3), from GET /v1/staff/accounts.
import { get, qs } from '../api';
import { field, h, select, table, td, badge } from '../dom';
import { when } from '../format';
import type { Ctx } from '../main';
import { accountLink } from '../widgets';

export interface AccountRow {
  id: string;
  legalName: string;
  formula: string;
  status: string;
  suspensions: { kind: string; ref?: string; reason?: string; since: string }[];
  createdAt: string;
}

export const statusBadge = (s: string) => badge(s, s === 'active' ? 'green' : s === 'suspended' ? 'amber' : 'grey');

export function accountRows(items: AccountRow[]): HTMLTableRowElement[] {
  return items.map((a) =>
    h(
      'tr',
      null,
      td(accountLink(a.id, a.legalName)),
      td(a.formula),
      td(statusBadge(a.status)),
      td(
        a.suspensions?.length
          ? h(
              'ul',
              { class: 'plain' },
              a.suspensions.map((s) =>
                h('li', null, `${s.kind}${s.reason ? `: ${s.reason}` : ''} (since `, when(s.since), ')'),
              ),
            )
          : '—',
      ),
      td(when(a.createdAt)),
    ),
  );
}

export async function accountsPage(ctx: Ctx): Promise<HTMLElement> {
  const status = ctx.query.get('status') ?? '';
  const text = ctx.query.get('q') ?? '';
  const { items } = await get<{ items: AccountRow[] }>(`/v1/staff/accounts${qs({ status, q: text })}`, 'accounts');
  const search = h('input', { name: 'q', type: 'search', value: text });
  const state = select(
    'status',
    [
      ['', 'Any'],
      ['active', 'Active'],
      ['suspended', 'Suspended'],
      ['terminated', 'Terminated'],
    ],
    status,
  );
  return h(
    'section',
    null,
    h('h1', null, 'Accounts'),
    h(
      'form',
      {
        class: 'filters',
        role: 'search',
        onsubmit: (e: Event) => {
          e.preventDefault();
          ctx.go(`#/accounts${qs({ q: search.value.trim(), status: state.value })}`);
        },
      },
      field('Name or account id', search),
      field('State', state),
      h('button', { type: 'submit', class: 'primary' }, 'Search'),
    ),
    table(
      `${items.length} account(s)`,
      ['Account', 'Formula', 'State', 'Suspensions', 'Registered'],
      accountRows(items),
    ),
  );
}
