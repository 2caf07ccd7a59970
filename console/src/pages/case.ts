// A case page (issue #13, compliance): a formal notice (10.1), complaint rate (10.3), force majeure
// (11), data breach or data-subject request (Annex 2.3), claim (9) — from GET /v1/staff/cases/:id:
// its timeline of events, its evidence entries and the hash chain's verification shown plainly,
// its deadlines and notices, the actions its state allows and a link to its workflow.
import { get, reasonFor, rememberReason, send } from '../api';
import { badge, field, h, select, table, td } from '../dom';
import { when } from '../format';
import type { Ctx } from '../main';
import { accountLink, actionForm, workflowLink } from '../widgets';
import { deadlineRows, type Deadline } from './deadlines';

interface Evidence {
  id: string;
  seq: number;
  hash: string;
  prevHash: string;
  actor: { type?: string; username?: string; id?: string } | null;
  payload: Record<string, unknown>;
}
type Decision = 'no_action' | 'formal_notice' | 'prohibited_use';
interface Case {
  id: string;
  kind: string;
  accountId: string;
  clause: string;
  state: string;
  workflowId: string;
  details: Record<string, unknown>;
  openedAt: string;
  closedAt: string | null;
  notices: {
    id: string;
    kind: string;
    clause: string;
    subject: string;
    sentAt: string | null;
    acknowledgedAt: string | null;
  }[];
  deadlines: Deadline[];
  evidenceChain: { verified: boolean; entries: number; brokenAtSeq?: number; reason?: string };
  timeline: { at: string; event: string; evidence?: Evidence; state?: string }[];
}

function verification(c: Case): HTMLElement {
  const v = c.evidenceChain;
  return v.verified
    ? h(
        'p',
        { class: 'verdict ok', role: 'status' },
        `Evidence chain verified: ${v.entries} entries, every hash recomputed and linked.`,
      )
    : h(
        'p',
        { class: 'verdict broken', role: 'alert' },
        `Evidence chain BROKEN at entry #${v.brokenAtSeq} (${v.reason}); ${v.entries} entries in the chain.`,
      );
}

function actions(ctx: Ctx, c: Case, reason: string): HTMLElement[] {
  if (c.closedAt || !ctx.can('compliance')) return [];
  const done = (text: string) => {
    setTimeout(ctx.reload, 400);
    return text;
  };
  const note = () => h('textarea', { name: 'note', rows: 2, maxlength: 2000 });
  if (c.kind === 'formal_notice' && c.deadlines.some((d) => d.kind === 'formal_notice_cure' && d.state === 'open')) {
    const n = note();
    return [
      actionForm('Record the cure', [field('What the User did to cure the breach', n)], 'Record cure', async () => {
        await send(
          'post',
          '/v1/staff/cases/{id}/cure',
          { id: c.id },
          n.value.trim() ? { note: n.value.trim() } : {},
          reason,
        );
        return done('Cure recorded: the cure deadline is closed.');
      }),
    ];
  }
  if (c.kind === 'complaint_rate') {
    const n = note();
    const decision = select('decision', [
      ['no_action', 'No action'],
      ['formal_notice', 'Formal notice'],
      ['prohibited_use', 'Prohibited use'],
    ]);
    return [
      actionForm('Review', [field('Decision', decision), field('Note', n)], 'Record review', async () => {
        await send(
          'post',
          '/v1/staff/cases/{id}/review',
          { id: c.id },
          { decision: decision.value as Decision, note: n.value.trim() },
          reason,
        );
        return done('Review recorded.');
      }),
    ];
  }
  if (c.kind === 'data_breach') {
    const n = note();
    return [
      actionForm('Notify the breach', [field('Summary sent to the User', n)], 'Notify', async () => {
        await send('post', '/v1/staff/data-breaches/{id}/notify', { id: c.id }, { summary: n.value.trim() }, reason);
        return done('Breach notified.');
      }),
    ];
  }
  if (c.kind === 'force_majeure')
    return [
      actionForm('End of force majeure', [], 'End force majeure', async () => {
        await send('post', '/v1/staff/force-majeure/{id}/end', { id: c.id }, undefined, reason);
        return done('Force majeure ended.');
      }),
    ];
  return [];
}

export async function casePage(ctx: Ctx): Promise<HTMLElement> {
  const [id] = ctx.params;
  const account = ctx.query.get('account');
  const scope = account ? `account:${account}` : `case:${id}`;
  const c = await get<Case>(`/v1/staff/cases/${id}`, scope);
  const reason = `account:${c.accountId}`;
  const given = reasonFor(scope);
  if (!account && given) rememberReason(reason, given); // the same reason then covers its account
  const events = c.timeline.map((t) =>
    h(
      'li',
      null,
      when(t.at),
      ' ',
      h('strong', null, t.event.replace(/_/g, ' ')),
      t.evidence
        ? h(
            'span',
            { class: 'evidence' },
            ` — evidence #${t.evidence.seq} by ${t.evidence.actor?.username ?? t.evidence.actor?.type ?? 'system'}, hash `,
            h('code', { title: t.evidence.hash }, t.evidence.hash.slice(0, 12)),
          )
        : null,
    ),
  );
  const evidenceRows = c.timeline
    .filter((t) => t.evidence)
    .map((t) =>
      h(
        'tr',
        null,
        td(String(t.evidence!.seq)),
        td(when(t.at)),
        td(t.event.replace(/_/g, ' ')),
        td(t.evidence!.actor?.username ?? t.evidence!.actor?.type ?? '—'),
        td(h('code', { title: t.evidence!.hash }, t.evidence!.hash.slice(0, 16))),
        td(h('code', { title: t.evidence!.prevHash }, t.evidence!.prevHash.slice(0, 16))),
      ),
    );
  const isInstant = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(v);
  const details = Object.entries(c.details ?? {}).map(([k, v]) => [
    h('dt', null, k.replace(/([A-Z])/g, ' $1').toLowerCase()),
    h('dd', null, isInstant(v) ? when(v) : typeof v === 'string' ? v : JSON.stringify(v)),
  ]);
  return h(
    'section',
    null,
    h('h1', null, `Case: ${c.kind.replace(/_/g, ' ')} (clause ${c.clause})`),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'State'),
      h('dd', null, badge(c.state, c.closedAt ? 'grey' : 'blue')),
      h('dt', null, 'Account'),
      h('dd', null, accountLink(c.accountId, c.accountId)),
      h('dt', null, 'Opened'),
      h('dd', null, when(c.openedAt)),
      h('dt', null, 'Closed'),
      h('dd', null, when(c.closedAt)),
      h('dt', null, 'Workflow'),
      h('dd', null, workflowLink(ctx.me, c.workflowId)),
      details,
    ),
    verification(c),
    ...actions(ctx, c, reason),
    table(
      'Deadlines of this case',
      ['Due', 'Kind', 'Clause', 'Account', 'State', 'Case', 'Workflow'],
      deadlineRows(ctx, c.deadlines),
    ),
    h('h2', null, 'Timeline'),
    h('ol', { class: 'timeline' }, events),
    table('Evidence entries (hash chain)', ['#', 'At', 'Event', 'Actor', 'Hash', 'Previous hash'], evidenceRows),
    table(
      'Notices sent',
      ['Sent', 'Kind', 'Clause', 'Subject', 'Acknowledged'],
      c.notices.map((n) =>
        h('tr', null, td(when(n.sentAt)), td(n.kind), td(n.clause), td(n.subject), td(when(n.acknowledgedAt))),
      ),
      'No notice sent yet.',
    ),
  );
}
