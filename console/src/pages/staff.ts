// Staff members (issue #13, admin): create a member with roles; the new member's TOTP secret is
// shown once as a QR code (and its otpauth URI) to enrol in an authenticator app.
import QRCode from 'qrcode';
import { send } from '../api';
import { field, h, notice } from '../dom';
import type { Ctx } from '../main';

const ROLES = ['operations', 'compliance', 'billing', 'admin'] as const;

export async function staffPage(_ctx: Ctx): Promise<HTMLElement> {
  const username = h('input', {
    name: 'username',
    required: true,
    pattern: '[A-Za-z0-9._\\-]{3,64}',
    autocomplete: 'off',
  });
  const email = h('input', { name: 'email', type: 'email', required: true, autocomplete: 'off' });
  const password = h('input', {
    name: 'password',
    type: 'password',
    required: true,
    minlength: 14,
    autocomplete: 'new-password',
  });
  const boxes = ROLES.map((r) => h('input', { type: 'checkbox', name: 'roles', value: r, id: `role-${r}` }));
  const out = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    {
      class: 'action',
      'aria-labelledby': 'new-staff',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        try {
          const m = await send<
            { username: string; totpSecret: string; otpauthUri: string },
            'post',
            '/v1/staff/members'
          >(
            'post',
            '/v1/staff/members',
            {},
            {
              username: username.value.trim(),
              email: email.value.trim(),
              password: password.value,
              roles: boxes.filter((b) => b.checked).map((b) => b.value as (typeof ROLES)[number]),
            },
          );
          const svg = await QRCode.toString(m.otpauthUri, { type: 'svg', margin: 1 });
          const img = h('img', {
            src: `data:image/svg+xml;base64,${btoa(svg)}`,
            alt: `TOTP QR code for ${m.username}`,
            width: 200,
            height: 200,
          });
          out.replaceChildren(
            notice(`${m.username} created. Hand over this QR code once: it is not shown again.`),
            img,
            h('p', null, 'Secret: ', h('code', null, m.totpSecret)),
          );
          form.reset();
        } catch (err) {
          out.replaceChildren(notice(err instanceof Error ? err.message : String(err), 'error'));
        }
      },
    },
    h('h2', { id: 'new-staff' }, 'New staff member'),
    field('Username', username),
    field('E-mail', email),
    field('Initial password', password, 'At least 14 characters'),
    h(
      'fieldset',
      null,
      h('legend', null, 'Roles'),
      boxes.map((b) => h('div', { class: 'field check' }, b, h('label', { for: b.id }, b.value))),
    ),
    h('button', { type: 'submit', class: 'primary' }, 'Create'),
  );
  return h('section', null, h('h1', null, 'Staff'), form, out);
}
