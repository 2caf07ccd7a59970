// The audit log (issue #13, Appendix 1): who read or changed what, when, and the reason given,
// from GET /v1/staff/audit with its filters (account, staff member, action prefix, period).
// Reading it is itself audited with the reason asked for the scope "audit".
import { get, qs } from '../api';
import { field, h, table, td } from '../dom';
import { parisMidnight, when } from '../format';
import type { Ctx } from '../main';
import { accountLink } from '../widgets';

interface AuditRow {
  id: string;
  at: string;
  actorType: string;
  actorId: string | null;
  accountId: string | null;
  action: string;
  resource: string | null;
  reason: string | null;
  details: { username?: string } | null;
}

export async function auditPage(ctx: Ctx): Promise<HTMLElement> {
  const q = ctx.query;
  const { items } = await get<{ items: AuditRow[] }>(
    '/v1/staff/audit' +
      qs({
        accountId: q.get('accountId'),
        actorId: q.get('actorId'),
        action: q.get('action'),
        from: q.get('from') ? parisMidnight(q.get('from')!) : undefined,
        to: q.get('to') ? parisMidnight(q.get('to')!) : undefined,
        limit: 500,
      }),
    'audit',
  );
  const input = (name: string, type = 'text') => h('input', { name, type, value: q.get(name) ?? '' });
  const form = h(
    'form',
    {
      class: 'filters',
      'aria-label': 'Filters',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const p = new URLSearchParams();
        for (const [k, v] of new FormData(e.target as HTMLFormElement))
          if (String(v).trim()) p.set(k, String(v).trim());
        ctx.go(`#/audit?${p}`);
      },
    },
    field('Account id', input('accountId')),
    field('Staff member id', input('actorId')),
    field('Action (or its start)', input('action'), 'e.g. staff.case, billing.'),
    field('From', input('from', 'date')),
    field('Before', input('to', 'date')),
    h('button', { type: 'submit', class: 'primary' }, 'Apply'),
  );
  return h(
    'section',
    null,
    h('h1', null, 'Audit log'),
    form,
    table(
      `${items.length} entries, newest first`,
      ['When', 'Who', 'Action', 'Account', 'Resource', 'Reason'],
      items.map((a) =>
        h(
          'tr',
          null,
          td(when(a.at)),
          td(a.details?.username ?? `${a.actorType} ${a.actorId?.slice(0, 8) ?? ''}`),
          td(h('code', null, a.action)),
          td(accountLink(a.accountId)),
          td(a.resource ? h('code', { title: a.resource }, a.resource.slice(0, 12)) : '—'),
          td(a.reason ?? '—'),
        ),
      ),
      'No entry matches.',
    ),
  );
}
