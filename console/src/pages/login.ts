// Staff login (Appendix 1, issue #13): username, password and the 6-digit TOTP code of the
// authenticator app, exchanged for a staff session by POST /v1/staff/sessions. At a member's
// first login (no code yet) the API answers a new TOTP secret instead: its QR code is shown, and
// a code of it confirms the enrolment and opens the session (POST /v1/staff/sessions/enrolment).
import QRCode from 'qrcode';
import { ApiError, send, session } from '../api';
import { clear, field, h, notice } from '../dom';

interface Enrolment {
  enrolmentToken: string;
  totpSecret: string;
  otpauthUri: string;
}

async function enrolForm(e: Enrolment, done: () => Promise<void>): Promise<HTMLElement> {
  const svg = await QRCode.toString(e.otpauthUri, { type: 'svg', margin: 1 });
  const code = h('input', {
    name: 'totp',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    pattern: '[0-9]{6}',
    maxlength: 6,
    required: true,
  });
  const status = h('div', { 'aria-live': 'polite' });
  return h(
    'form',
    {
      class: 'login',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        try {
          const s = await send<{ token: string }, 'post', '/v1/staff/sessions/enrolment'>(
            'post',
            '/v1/staff/sessions/enrolment',
            {},
            {
              enrolmentToken: e.enrolmentToken,
              totp: code.value.trim(),
            },
          );
          session.set(s.token);
          await done();
        } catch (err) {
          status.replaceChildren(notice(err instanceof Error ? err.message : String(err), 'error'));
          code.value = '';
        }
      },
    },
    h('h1', null, 'Set up your authenticator'),
    h(
      'p',
      null,
      'Scan this QR code with your authenticator app, then enter the 6-digit code it shows. This page is shown once.',
    ),
    h('img', {
      src: `data:image/svg+xml;base64,${btoa(svg)}`,
      alt: 'QR code of your new TOTP secret',
      width: 220,
      height: 220,
      class: 'qr',
    }),
    h('p', null, 'Or enter this secret by hand: ', h('code', { 'data-secret': '' }, e.totpSecret)),
    status,
    field('Code from the app', code),
    h('button', { type: 'submit', class: 'primary' }, 'Confirm and log in'),
  );
}

export function loginPage(message: string | undefined, done: () => Promise<void>): HTMLElement {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const totp = h('input', {
    name: 'totp',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    pattern: '[0-9]{6}',
    maxlength: 6,
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
          const code = totp.value.trim();
          const s = await send<{ token?: string; enrolment?: Enrolment }, 'post', '/v1/staff/sessions'>(
            'post',
            '/v1/staff/sessions',
            {},
            {
              username: username.value.trim(),
              password: password.value,
              ...(code ? { totp: code } : {}),
            },
          );
          if (s.enrolment) {
            clear(page, await enrolForm(s.enrolment, done));
            page.querySelector('input')?.focus();
            return;
          }
          session.set(s.token!);
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
    field(
      'One-time code',
      totp,
      '6 digits from your authenticator app; leave it empty at your first login to set it up',
    ),
    submit,
  );
  const page = h('main', { id: 'main', class: 'login-page' }, form);
  return page;
}
