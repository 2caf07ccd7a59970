// The staff console in a real browser (issue #13): Debian's Chromium driven by playwright-core
// against the real API (test/support/system.ts). A compliance member logs in with TOTP, filters
// the deadlines register to what is overdue, opens a formal-notice case (10.1) — timeline,
// evidence chain verified — records the cure and sees its deadline close; a billing member
// resolves a dispute (7.3) with a credit note; an operations member sees no billing page nor
// action; the audit log shows each read with its reason. axe-core finds no serious violation.
// Screenshots of the main pages go to docs/console/ (README) with CONSOLE_SCREENSHOTS=1.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { authenticator } from 'otplib';
import { recordDeadline } from '../../lib/deadlines';
import { formalNoticeWorkflowId } from '../../workflows/ids';
import { eventually, http, onboard, startSystem, type System } from '../support/system';
import { staffLogin } from '../support/staff';
import { buildConsole, giveReason, launchChromium, logIn, seriousViolations, staffUser } from '../support/browser';

let sys: System;
let browser: Browser;
// CONSOLE_SCREENSHOTS=1 refreshes the README's screenshots; otherwise they go to a temporary
// directory, so that a test run leaves the clone unchanged.
const SHOTS =
  process.env.CONSOLE_SCREENSHOTS === '1'
    ? join(__dirname, '../../docs/console')
    : mkdtempSync(join(tmpdir(), 'console-'));
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const REASON = 'ticket 5150: weekly compliance review';
const TEMPORAL_UI = 'http://temporal-ui.test:8233';
const BILLING_REASON = 'ticket 5151: dispute on the pack invoice';

beforeAll(async () => {
  buildConsole();
  sys = await startSystem({ env: { TEMPORAL_UI_URL: TEMPORAL_UI } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

async function seed() {
  const a = await onboard(sys, { account: { legalName: 'Lumière Marketing SAS' } });
  const p = await onboard(sys, { account: { formula: 'pack', legalName: 'Boulangerie Dupont SARL' } });
  const admin = await staffLogin(sys, ['admin']);
  const headers = { 'x-access-reason': 'seeding the browser test' };
  const notice = await http(sys.baseUrl, 'POST', `/v1/staff/accounts/${a.accountId}/formal-notices`, {
    token: admin.token,
    headers,
    body: { breach: 'Marketing SMS sent without consent to 1,200 recipients' },
  });
  expect(notice.status).toBe(201);
  const caseId = notice.body.caseId as string;
  await eventually(
    () =>
      sys
        .db('deadlines')
        .where({ workflow_id: formalNoticeWorkflowId(caseId), kind: 'formal_notice_cure' })
        .first(),
    Boolean,
  );
  const dsr = await http(sys.baseUrl, 'POST', '/v1/staff/data-subject-requests', {
    token: admin.token,
    headers,
    body: { accountId: a.accountId, kind: 'erasure', subjectContact: 'jeanne@example.org' },
  });
  expect(dsr.status).toBe(201);
  // A clock that ran out (as a workflow would leave it): overdue in the register.
  await recordDeadline(sys.db, {
    workflowId: `browser-test:${randomUUID()}`,
    kind: 'data_return',
    accountId: a.accountId,
    clause: '3.4',
    dueAt: new Date(Date.now() - 3 * 3_600_000),
    state: 'open',
  });
  const invoice = (
    await http(sys.baseUrl, 'POST', '/v1/billing/packs', { token: p.apiKey, body: { pack: 'pack-100' } })
  ).body.id as string;
  const dispute = await eventually(
    () =>
      http(sys.baseUrl, 'POST', `/v1/billing/invoices/${invoice}/disputes`, {
        token: p.apiKey,
        body: { reason: 'We ordered the small pack, not this one' },
      }),
    (r) => r.status !== 503,
  );
  expect(dispute.status).toBe(201);
  return { a, p, caseId, disputeId: dispute.body.id as string };
}

test('compliance, billing and operations members do their work in the console; the audit log shows each read with its reason', async () => {
  const { a, p, caseId, disputeId } = await seed();
  const compliance = await staffUser(sys, ['compliance']);
  const billing = await staffUser(sys, ['billing']);
  const operations = await staffUser(sys, ['operations']);
  const problems: string[] = [];
  const check = async (page: Page, name: string) => {
    for (const v of await seriousViolations(page)) problems.push(`${name}: ${v}`);
  };

  // ---- compliance: login with TOTP, the register filtered to what is overdue ----------------------
  const cPage = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
  cPage.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // The CSP ('self' only) must never have to refuse anything the console itself loads or runs.
  cPage.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  await cPage.goto(`${sys.baseUrl}/console/`);
  await cPage.getByRole('heading', { name: 'Tentacle staff console' }).waitFor();
  await check(cPage, 'login');
  await shot(cPage, 'login');
  await logIn(cPage, sys.baseUrl, compliance, '#/deadlines');
  await giveReason(cPage, REASON);
  await cPage.getByRole('heading', { name: 'Deadlines register' }).waitFor();
  await expect(
    cPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }).count(),
  ).resolves.toBe(0);
  await cPage.getByLabel('Account id').fill(a.accountId);
  await cPage.getByRole('button', { name: 'Apply' }).click();
  await giveReason(cPage, REASON); // this account's data: its own reason, asked once
  await cPage.locator(`tbody a[href^="#/cases/${caseId}"]`).first().waitFor();
  await cPage.getByLabel('Overdue only').check();
  await cPage.getByRole('button', { name: 'Apply' }).click();
  await cPage.getByText('1 deadline, nearest due first', { exact: false }).waitFor();
  const register = cPage.locator('table:not(.calendar) tbody tr');
  expect([await register.count(), await register.locator('text=data return').count()]).toEqual([1, 1]);
  expect(await cPage.locator('table:not(.calendar) tbody tr.overdue').count()).toBe(1);
  await cPage.goto(`${sys.baseUrl}/console/#/deadlines`);
  await cPage.locator(`tbody a[href^="#/cases/${caseId}"]`).first().waitFor();
  await check(cPage, 'deadlines');
  await shot(cPage, 'deadlines');

  // ---- the formal-notice case: timeline, evidence verified, cure recorded, deadline closed --------
  await cPage.locator(`a[href^="#/cases/${caseId}"]`).first().click();
  await cPage.getByRole('heading', { name: /Case: formal notice/ }).waitFor();
  await cPage.getByText(/Evidence chain verified: \d+ entries/).waitFor();
  expect(await cPage.locator('ol.timeline li').count()).toBeGreaterThanOrEqual(2);
  await cPage.getByText('breach case opened').first().waitFor();
  const workflow = cPage.getByRole('link', { name: `formal-notice:${caseId}` }).first();
  expect(await workflow.getAttribute('href')).toBe(
    `${TEMPORAL_UI}/namespaces/default/workflows/${encodeURIComponent(`formal-notice:${caseId}`)}`,
  );
  await check(cPage, 'case');
  await shot(cPage, 'case');
  await cPage.getByLabel('What the User did to cure the breach').fill('Consent records produced; list purged');
  await cPage.getByRole('button', { name: 'Record cure' }).click();
  await cPage.getByText('Cure recorded').waitFor();
  await eventually(
    () =>
      sys
        .db('deadlines')
        .where({ workflow_id: formalNoticeWorkflowId(caseId), kind: 'formal_notice_cure' })
        .first(),
    (d) => d?.state === 'closed',
  );
  await cPage.reload();
  await cPage.getByRole('table', { name: 'Deadlines of this case' }).getByText('closed', { exact: true }).waitFor();
  await expect(cPage.getByRole('button', { name: 'Record cure' }).count()).resolves.toBe(0);

  // ---- the account page: its data-subject request closed (Annex 2.3) ------------------------------
  await cPage.goto(`${sys.baseUrl}/console/#/accounts/${a.accountId}`);
  const requests = cPage.getByRole('table', { name: /Data-subject requests/ });
  await requests.getByLabel('Resolution of the erasure request').fill('Erased by the User on 8 Dec');
  await requests.getByRole('button', { name: 'Close' }).click();
  await requests.getByText('Erased by the User on 8 Dec').waitFor();

  // ---- billing: the dispute resolved with a credit note -------------------------------------------
  const bPage = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
  await logIn(bPage, sys.baseUrl, billing, '#/billing');
  await giveReason(bPage, BILLING_REASON);
  await bPage.getByRole('heading', { name: 'Invoice disputes' }).waitFor();
  const form = bPage.locator('form.action').filter({ hasText: 'Resolve dispute' }).last();
  await form.getByLabel('Outcome').selectOption('credit_note');
  await form.getByLabel('Resolution note').fill('Pack changed at the customer’s request');
  await check(bPage, 'billing');
  await shot(bPage, 'billing');
  await form.getByRole('button', { name: 'Resolve' }).click();
  await form.getByText('Dispute resolved with a credit note.').waitFor();
  const resolved = await sys.db('invoice_disputes').where({ id: disputeId }).first();
  expect([resolved.status, typeof resolved.credit_note_id]).toEqual(['credited', 'string']);

  await bPage.goto(`${sys.baseUrl}/console/#/accounts/${p.accountId}`);
  await giveReason(bPage, BILLING_REASON);
  const pay = bPage.locator('form.action').filter({ hasText: 'Record an offline payment' });
  await pay.getByLabel('Method').selectOption('cheque');
  await pay.getByLabel('Reference').fill('CHQ 0042');
  await pay.getByLabel('Amount in euros').fill('12,50');
  await pay.getByRole('button', { name: 'Record payment' }).click();
  await pay.getByText('Payment recorded.').waitFor();
  const cheque = await sys.db('payments').where({ account_id: p.accountId, reference: 'CHQ 0042' }).first();
  expect([cheque.method, Number(cheque.amount_cents)]).toEqual(['cheque', 1250]);

  // ---- operations: no billing page or action; the API refuses anyway -------------------------------
  const oPage = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
  await logIn(oPage, sys.baseUrl, operations, `#/accounts/${a.accountId}`);
  await giveReason(oPage, 'ticket 5152: suspended campaign question');
  await oPage.getByRole('heading', { name: 'Lumière Marketing SAS' }).waitFor();
  const nav = oPage.getByRole('navigation', { name: 'Main' });
  expect(await nav.getByRole('link').allTextContents()).toEqual(['Deadlines', 'Accounts', 'Operations']);
  expect(await oPage.getByRole('heading', { name: 'Formal notice (10.1)' }).count()).toBe(0);
  expect(await oPage.getByRole('heading', { name: 'Suspend the account' }).count()).toBe(1);
  expect(await oPage.getByRole('table', { name: 'Invoices and credit notes' }).count()).toBe(0);
  await check(oPage, 'account');
  await shot(oPage, 'account');
  await oPage.goto(`${sys.baseUrl}/console/#/operations`);
  await giveReason(oPage, 'ticket 5152: campaigns review');
  await oPage.getByRole('table', { name: /Maintenance windows/ }).waitFor();
  await check(oPage, 'operations');
  await shot(oPage, 'operations');
  await oPage.goto(`${sys.baseUrl}/console/#/billing`);
  await giveReason(oPage, 'trying the billing page');
  await oPage
    .getByRole('alert')
    .getByText(/requires one of the roles: billing/)
    .waitFor();
  expect(await oPage.getByRole('button', { name: 'Resolve' }).count()).toBe(0);

  // ---- the audit log: every read with its reason ---------------------------------------------------
  await cPage.goto(`${sys.baseUrl}/console/#/audit`);
  await giveReason(cPage, 'ticket 5153: audit review');
  await cPage.getByRole('heading', { name: 'Audit log' }).waitFor();
  const rows = cPage.getByRole('table').locator('tbody tr');
  const text = async (action: string) => (await rows.filter({ hasText: action }).allTextContents()).join('\n');
  expect(await text('staff.deadlines.list')).toContain(REASON);
  expect(await text('staff.case.read')).toContain(REASON);
  expect(await text('staff.formal_notice.cure')).toContain(REASON);
  expect(await text('billing.disputes.read')).toContain(BILLING_REASON);
  expect(await text('billing.dispute.resolve')).toContain(BILLING_REASON);
  expect(await text('staff.account.read')).toContain('ticket 5152');
  await check(cPage, 'audit');
  await shot(cPage, 'audit');

  // ---- logout ends the session -----------------------------------------------------------------------
  await cPage.getByRole('button', { name: 'Log out' }).click();
  await cPage.getByText('You are logged out.').waitFor();
  expect(problems).toEqual([]);
});

test('an admin creates a member in the console; their first login enrols TOTP by QR code', async () => {
  const admin = await staffUser(sys, ['admin']);
  const page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
  await logIn(page, sys.baseUrl, admin, '#/staff');
  await page.getByRole('heading', { name: 'New staff member' }).waitFor();
  const username = `newbie${Date.now().toString(36)}`;
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('E-mail').fill(`${username}@tentacle.example`);
  await page.getByLabel('Initial password').fill('first password 2026');
  await page.getByLabel('compliance').check();
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByText(`${username} created`).waitFor();

  const first = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
  await first.goto(`${sys.baseUrl}/console/`);
  await first.getByLabel('Username').fill(username);
  await first.getByLabel('Password').fill('first password 2026');
  await first.getByRole('button', { name: 'Log in' }).click();
  await first.getByRole('heading', { name: 'Set up your authenticator' }).waitFor();
  await first.getByRole('img', { name: 'QR code of your new TOTP secret' }).waitFor();
  expect(await seriousViolations(first)).toEqual([]);
  await shot(first, 'enrolment');
  const secret = (await first.locator('[data-secret]').textContent())!;
  await first.getByLabel('Code from the app').fill(authenticator.generate(secret));
  await first.getByRole('button', { name: 'Confirm and log in' }).click();
  await first.getByRole('button', { name: 'Log out' }).waitFor();
  expect(await first.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual([
    'Deadlines',
    'Accounts',
    'Operations',
    'Audit log',
  ]);
});
