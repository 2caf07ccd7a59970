// The staff console's shell (issue #13): hash routes, the navigation each role sees (the API
// enforces the roles anyway), login and logout, the session's expiry, and the page frame with a
// skip link and one <h1> per page. Pages are functions of a context that return their element.
import './styles.css';
import { ApiError, get, session, whenUnauthorized, type Me, type Role } from './api';
import { clear, h, notice } from './dom';
import { ReasonCancelled } from './reason';
import { loginPage } from './pages/login';
import { deadlinesPage } from './pages/deadlines';
import { casePage } from './pages/case';
import { billingPage } from './pages/billing';
import { auditPage } from './pages/audit';
import { accountsPage } from './pages/accounts';
import { accountPage } from './pages/account';
import { operationsPage } from './pages/operations';
import { staffPage } from './pages/staff';

export interface Ctx {
  me: Me;
  params: string[];
  query: URLSearchParams;
  can: (role: Role) => boolean;
  go: (hash: string) => void;
  reload: () => void;
}
type Page = (ctx: Ctx) => Promise<HTMLElement>;

const NAV: { hash: string; label: string; roles: Role[] }[] = [
  { hash: '#/deadlines', label: 'Deadlines', roles: ['compliance', 'operations'] },
  { hash: '#/accounts', label: 'Accounts', roles: ['operations', 'compliance', 'billing'] },
  { hash: '#/billing', label: 'Billing', roles: ['billing'] },
  { hash: '#/operations', label: 'Operations', roles: ['operations', 'compliance'] },
  { hash: '#/audit', label: 'Audit log', roles: ['compliance'] },
  { hash: '#/staff', label: 'Staff', roles: ['admin'] },
];

const ROUTES: [RegExp, Page][] = [
  [/^#\/deadlines$/, deadlinesPage],
  [/^#\/cases\/([\w-]+)$/, casePage],
  [/^#\/accounts$/, accountsPage],
  [/^#\/accounts\/([\w-]+)$/, accountPage],
  [/^#\/billing$/, billingPage],
  [/^#\/operations$/, operationsPage],
  [/^#\/audit$/, auditPage],
  [/^#\/staff$/, staffPage],
];

const root = document.getElementById('app')!;
let me: Me | null = null;
let expiryTimer: number | undefined;

function logout(message?: string): void {
  session.clear();
  me = null;
  window.clearTimeout(expiryTimer);
  renderLogin(message);
}

whenUnauthorized(() => logout('Your session has expired. Log in again.'));

function renderLogin(message?: string): void {
  document.title = 'Log in — Tentacle staff console';
  clear(
    root,
    loginPage(message, async () => {
      await start();
      if (!location.hash || location.hash === '#/login') location.hash = home();
      else await render();
    }),
  );
}

const can = (role: Role) => !!me && (me.roles.includes('admin') || me.roles.includes(role));
const home = () => NAV.find((n) => n.roles.some(can))?.hash ?? '#/accounts';

async function start(): Promise<void> {
  me = await get<Me>('/v1/staff/me');
  window.clearTimeout(expiryTimer);
  const ms = new Date(me.expiresAt).getTime() - Date.now();
  expiryTimer = window.setTimeout(() => logout('Your session has expired. Log in again.'), Math.max(ms, 0));
}

/** Each render's number: a slower, older render (a reload racing a navigation) never replaces a newer one. */
let generation = 0;

async function render(): Promise<void> {
  if (!me) return renderLogin();
  const mine = ++generation;
  const hash = location.hash || home();
  const route = ROUTES.find(([re]) => re.test(hash.split('?')[0]));
  const main = h('main', { id: 'main', tabindex: -1 });
  const nav = h(
    'nav',
    { 'aria-label': 'Main' },
    h(
      'ul',
      null,
      NAV.filter((n) => n.roles.some(can)).map((n) =>
        h('li', null, h('a', { href: n.hash, 'aria-current': hash.startsWith(n.hash) ? 'page' : undefined }, n.label)),
      ),
    ),
  );
  const user = me;
  clear(
    root,
    h(
      'a',
      { href: '#main', class: 'skip', onclick: (e: Event) => (e.preventDefault(), main.focus()) },
      'Skip to content',
    ),
    h(
      'header',
      { class: 'top' },
      h('span', { class: 'brand' }, 'Tentacle ', h('span', null, 'staff console')),
      nav,
      h(
        'div',
        { class: 'user' },
        h('span', null, user.username, ' · ', user.roles.join(', ')),
        h(
          'button',
          {
            type: 'button',
            onclick: async () => {
              await fetch('/v1/staff/sessions/current', {
                method: 'DELETE',
                headers: { authorization: `Bearer ${session.token()}` },
              }).catch(() => undefined);
              logout('You are logged out.');
            },
          },
          'Log out',
        ),
      ),
    ),
    main,
  );
  if (!route) {
    clear(main, h('h1', null, 'Not found'), h('p', null, 'No such page.'));
    return;
  }
  const [re, page] = route;
  const [path, search] = hash.split('?');
  const params = (re.exec(path) ?? []).slice(1);
  clear(main, h('p', { class: 'loading', role: 'status' }, 'Loading…'));
  try {
    const el = await page({
      me: user,
      params,
      query: new URLSearchParams(search ?? ''),
      can,
      go: (x) => (location.hash = x),
      // Only while this page is still the one shown (an action's delayed refresh must not redo another page).
      reload: () => {
        if (mine === generation) void render();
      },
    });
    if (mine !== generation) return;
    clear(main, el);
    const title = el.querySelector('h1')?.textContent;
    document.title = `${title ?? 'Console'} — Tentacle staff console`;
  } catch (err) {
    if (mine !== generation) return;
    if (err instanceof ReasonCancelled)
      clear(main, h('h1', null, 'No access'), notice('No reason given: nothing was read.', 'error'));
    else if (err instanceof ApiError && err.status === 401) return;
    else clear(main, h('h1', null, 'Error'), notice(err instanceof Error ? err.message : String(err), 'error'));
  }
}

window.addEventListener('hashchange', () => void render());
if (session.token())
  start().then(
    () => render(),
    () => logout(),
  );
else renderLogin();
