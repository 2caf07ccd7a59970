// Small pieces the console's pages share (issue #13): links to an account, a case and a workflow
// in the Temporal UI, the state badges, a CSV download built from the rows on screen, and a
// form whose submission calls the staff API and reports the outcome in a live region.
import type { Me } from './api';
import { h, notice } from './dom';
import { shortId } from './format';

export const accountLink = (id: string | null | undefined, label?: string) =>
  id ? h('a', { href: `#/accounts/${id}`, title: id }, label ?? shortId(id)) : '—';

export const caseLink = (id: string, accountId?: string, label?: string) =>
  h('a', { href: `#/cases/${id}${accountId ? `?account=${accountId}` : ''}`, title: id }, label ?? shortId(id));

export function workflowLink(me: Me, workflowId: string | null | undefined): HTMLElement | string {
  if (!workflowId) return '—';
  if (!me.temporalWorkflowsUrl) return h('code', null, workflowId);
  return h(
    'a',
    {
      href: me.temporalWorkflowsUrl + encodeURIComponent(workflowId),
      target: '_blank',
      rel: 'noopener',
      title: `Open ${workflowId} in the Temporal UI (new tab)`,
    },
    h('code', null, workflowId),
  );
}

export function csvLink(filename: string, header: string[], rows: (string | number | null | undefined)[][]) {
  const cell = (v: string | number | null | undefined) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n;]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const text = [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  return h('a', { href: url, download: filename, class: 'button' }, `Export CSV (${rows.length} rows)`);
}

/** A form that runs `act` on submit; the outcome is announced in its status line. */
export function actionForm(
  title: string,
  fields: HTMLElement[],
  submitLabel: string,
  act: () => Promise<string>,
): HTMLElement {
  const status = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'primary' }, submitLabel);
  const id = `act-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return h(
    'form',
    {
      class: 'action',
      'aria-labelledby': id,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        button.disabled = true;
        try {
          status.replaceChildren(notice(await act()));
        } catch (err) {
          status.replaceChildren(notice(err instanceof Error ? err.message : String(err), 'error'));
        } finally {
          button.disabled = false;
        }
      },
    },
    h('h3', { id }, title),
    ...fields,
    button,
    status,
  );
}
