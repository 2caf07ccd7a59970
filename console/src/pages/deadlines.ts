// The deadlines register (issue #13, compliance; docs/contract.md lists each clause's clock):
// every clock of GET /v1/staff/deadlines with its filters (state, kind, clause, account, due
// range, overdue), sorted by due instant in Europe/Paris, overdue rows in red and those due
// within 24 h / 7 days highlighted, counts per kind, the next four weeks as a calendar, CSV.
import { get, qs } from '../api';
import { field, h, select, table, td, badge } from '../dom';
import { parisMidnight, parisText, timeLeft, when } from '../format';
import type { Ctx } from '../main';
import { accountLink, caseLink, csvLink, workflowLink } from '../widgets';

export interface Deadline {
  id: string;
  kind: string;
  accountId: string | null;
  clause: string;
  dueAt: string;
  state: 'open' | 'closed' | 'missed';
  workflowId: string;
  subject?: string;
  outcome?: string;
  openedAt: string | null;
  closedAt: string | null;
  caseId?: string;
  caseKind?: string;
}

const DAY = 86_400_000;
const parisDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' });

function urgency(d: Deadline, now = Date.now()): '' | 'overdue' | 'due-24h' | 'due-7d' {
  if (d.state !== 'open') return '';
  const ms = new Date(d.dueAt).getTime() - now;
  return ms < 0 ? 'overdue' : ms < DAY ? 'due-24h' : ms < 7 * DAY ? 'due-7d' : '';
}

function stateBadge(d: Deadline): HTMLElement {
  const u = urgency(d);
  if (u === 'overdue') return badge('overdue', 'red');
  return badge(d.state, d.state === 'missed' ? 'red' : d.state === 'closed' ? 'grey' : u ? 'amber' : 'blue');
}

export function deadlineRows(ctx: Ctx, items: Deadline[]): HTMLTableRowElement[] {
  return items.map((d) =>
    h(
      'tr',
      { class: urgency(d) },
      td(when(d.dueAt), h('br'), h('small', null, d.state === 'open' ? timeLeft(d.dueAt) : (d.outcome ?? ''))),
      td(d.kind.replace(/_/g, ' ')),
      td(d.clause),
      td(accountLink(d.accountId)),
      td(stateBadge(d)),
      td(
        d.caseId
          ? caseLink(d.caseId, d.accountId ?? undefined, `${d.caseKind ?? 'case'} ${d.caseId.slice(0, 8)}`)
          : '—',
      ),
      td(workflowLink(ctx.me, d.workflowId)),
    ),
  );
}

function calendar(items: Deadline[]): HTMLElement {
  const byDay = new Map<string, number>();
  for (const d of items.filter((x) => x.state === 'open')) {
    const k = parisDay.format(new Date(d.dueAt));
    byDay.set(k, (byDay.get(k) ?? 0) + 1);
  }
  const today = new Date(parisMidnight(parisDay.format(new Date())));
  const monday = new Date(today.getTime() - ((today.getUTCDay() + 6) % 7) * DAY + 12 * 3_600_000);
  const weeks = [0, 1, 2, 3].map((w) =>
    h(
      'tr',
      null,
      [0, 1, 2, 3, 4, 5, 6].map((i) => {
        const day = new Date(monday.getTime() + (w * 7 + i) * DAY);
        const key = parisDay.format(day);
        const n = byDay.get(key) ?? 0;
        return h(
          'td',
          { class: n ? 'busy' : key < parisDay.format(new Date()) ? 'past' : '' },
          h('span', { class: 'day' }, key.slice(8, 10) + '/' + key.slice(5, 7)),
          n ? h('span', { class: 'count' }, `${n} due`) : null,
        );
      }),
    ),
  );
  return h(
    'table',
    { class: 'calendar' },
    h('caption', null, 'Open deadlines due in the next four weeks (Europe/Paris days)'),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((d) => h('th', { scope: 'col' }, d)),
      ),
    ),
    h('tbody', null, weeks),
  );
}

export async function deadlinesPage(ctx: Ctx): Promise<HTMLElement> {
  const q = ctx.query;
  const overdue = q.get('overdue') === '1';
  const state = overdue ? 'open' : (q.get('state') ?? 'open');
  const path =
    '/v1/staff/deadlines' +
    qs({
      state: state === 'all' ? undefined : state,
      kind: q.get('kind'),
      clause: q.get('clause'),
      accountId: q.get('accountId'),
      dueAfter: q.get('from') ? parisMidnight(q.get('from')!) : undefined,
      dueBefore: overdue ? new Date().toISOString() : q.get('to') ? parisMidnight(q.get('to')!) : undefined,
      limit: 1000,
    });
  const { items } = await get<{ items: Deadline[] }>(
    path,
    q.get('accountId') ? `account:${q.get('accountId')}` : 'register',
  );

  const kinds = new Map<string, number>();
  for (const d of items) kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1);
  const input = (name: string, type = 'text') => h('input', { name, type, value: q.get(name) ?? '' });
  const overdueBox = h('input', { type: 'checkbox', name: 'overdue', checked: overdue });
  const form = h(
    'form',
    {
      class: 'filters',
      'aria-label': 'Filters',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const data = new FormData(e.target as HTMLFormElement);
        const p = new URLSearchParams();
        for (const [k, v] of data) if (String(v)) p.set(k, k === 'overdue' ? '1' : String(v));
        ctx.go(`#/deadlines?${p}`);
      },
    },
    field(
      'State',
      select(
        'state',
        [
          ['open', 'Open'],
          ['closed', 'Closed'],
          ['missed', 'Missed'],
          ['all', 'All'],
        ],
        state,
      ),
    ),
    field('Kind', input('kind')),
    field('Clause', input('clause')),
    field('Account id', input('accountId')),
    field('Due from', input('from', 'date')),
    field('Due before', input('to', 'date')),
    h('div', { class: 'field check' }, overdueBox, h('label', { for: (overdueBox.id = 'overdue') }, 'Overdue only')),
    h('button', { type: 'submit', class: 'primary' }, 'Apply'),
  );
  const csv = csvLink(
    'deadlines.csv',
    ['due_utc', 'due_paris', 'kind', 'clause', 'account_id', 'state', 'case_id', 'workflow_id'],
    items.map((d) => [d.dueAt, parisText(d.dueAt), d.kind, d.clause, d.accountId, d.state, d.caseId, d.workflowId]),
  );
  return h(
    'section',
    null,
    h('h1', null, 'Deadlines register'),
    form,
    h(
      'div',
      { class: 'summary' },
      h('h2', { class: 'visually-hidden' }, 'Counts per kind'),
      h(
        'ul',
        { class: 'chips', 'aria-label': 'Counts per kind' },
        [...kinds].map(([k, n]) =>
          h('li', null, h('a', { href: `#/deadlines?state=${state}&kind=${k}` }, `${k.replace(/_/g, ' ')}: ${n}`)),
        ),
      ),
      csv,
    ),
    h(
      'p',
      { class: 'legend' },
      badge('overdue', 'red'),
      ' past due  ',
      h('span', { class: 'swatch due-24h' }),
      ' due within 24 h  ',
      h('span', { class: 'swatch due-7d' }),
      ' due within 7 days',
    ),
    table(
      `${items.length} deadline${items.length === 1 ? '' : 's'}, nearest due first (Europe/Paris; hover for UTC)`,
      ['Due', 'Kind', 'Clause', 'Account', 'State', 'Case', 'Workflow'],
      deadlineRows(ctx, items),
      'No deadline matches these filters.',
    ),
    h('h2', null, 'Next four weeks'),
    calendar(items),
  );
}
