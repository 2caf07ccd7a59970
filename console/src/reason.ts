// The access-reason dialog of the staff console (Appendix 1, issue #13): before the first read of
// an account's data (or of a register across accounts) the staff member states why; the reason
// is sent as X-Access-Reason and kept for that scope for the session (api.ts).
import { field, h } from './dom';

export class ReasonCancelled extends Error {}

const describe = (scope: string) =>
  scope.startsWith('account:')
    ? `account ${scope.slice(8, 16)}…`
    : ({
        register: 'the deadlines register',
        billing: 'the billing registers',
        audit: 'the audit log',
        operations: 'the operations registers',
        accounts: 'the list of accounts',
      }[scope] ?? scope);

export function askReason(scope: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = h('textarea', { name: 'reason', required: true, minlength: 5, maxlength: 500, rows: 3 });
    const error = h('p', { class: 'notice error', role: 'alert', hidden: true });
    const dialog = h('dialog', { class: 'reason', 'aria-labelledby': 'reason-title' });
    const done = (value: string | null) => {
      dialog.close();
      dialog.remove();
      if (value) resolve(value);
      else reject(new ReasonCancelled('No reason given.'));
    };
    const form = h(
      'form',
      {
        onsubmit: (e: Event) => {
          e.preventDefault();
          const v = input.value.trim();
          if (v.length < 5) {
            error.textContent = 'State the reason in at least 5 characters.';
            error.hidden = false;
            return;
          }
          done(v);
        },
      },
      h('h2', { id: 'reason-title' }, 'Reason for access'),
      h('p', null, `Reading ${describe(scope)} is recorded in the audit log with the reason you give.`),
      field('Reason (e.g. ticket number and purpose)', input),
      error,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, 'Continue'),
        h('button', { type: 'button', onclick: () => done(null) }, 'Cancel'),
      ),
    );
    dialog.append(form);
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      done(null);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}
