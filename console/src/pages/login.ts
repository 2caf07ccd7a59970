// Staff login (Appendix 1, issue #13): username, password and the 6-digit TOTP code of the
// authenticator app, exchanged for a staff session by POST /v1/staff/sessions.
import { ApiError, post, session } from '../api';
import { field, h, notice } from '../dom';

export function loginPage(message: string | undefined, done: () => Promise<void>): HTMLElement {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const totp = h('input', {
    name: 'totp',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    pattern: '[0-9]{6}',
    maxlength: 6,
    required: true,
  });
  const status = h('div', { 'aria-live': 'polite' }, message ? notice(message) : null);
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Log in');
  const form = h(
    'form',
    {
      class: 'login',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        submit.disabled = true;
        try {
          const s = await post<{ token: string }>('/v1/staff/sessions', {
            username: username.value.trim(),
            password: password.value,
            totp: totp.value.trim(),
          });
          session.set(s.token);
          await done();
        } catch (err) {
          const text =
            err instanceof ApiError && err.code === 'login_throttled'
              ? 'Too many attempts: wait a few minutes.'
              : 'Wrong username, password or one-time code.';
          status.replaceChildren(notice(text, 'error'));
          totp.value = '';
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h1', null, 'Tentacle staff console'),
    h('p', null, 'Log in with your password and the 6-digit code of your authenticator app.'),
    status,
    field('Username', username),
    field('Password', password),
    field('One-time code', totp, '6 digits from your authenticator app'),
    submit,
  );
  return h('main', { id: 'main', class: 'login-page' }, form);
}
