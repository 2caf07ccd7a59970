// What the staff console's browser tests (test/browser/) need: the console built from its sources
// (scripts/console-build.js), Debian's Chromium driven by playwright-core (headless; no sandbox
// as root, as in CI), a staff member to log in as (password + a TOTP code of their secret), the
// login itself through the page, and axe-core's serious or critical violations of a page.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { authenticator } from 'otplib';
import { createStaffMember, type StaffRole } from '../../lib/staff';
import type { System } from './system';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Builds the console when its sources changed (as `npm test` does first), so one file runs alone too. */
export function buildConsole(): void {
  execFileSync(process.execPath, [join(__dirname, '../../scripts/console-build.js')], { stdio: 'ignore' });
}

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: run scripts/tools/install-chromium.sh as root, or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

export interface StaffUser {
  username: string;
  password: string;
  totpSecret: string;
  id: string;
}

let n = 0;
export async function staffUser(sys: System, roles: StaffRole[]): Promise<StaffUser> {
  const username = `${roles.join('-')}${process.pid}x${Date.now().toString(36)}x${++n}`;
  const password = 'console test password';
  const { id, totpSecret } = await createStaffMember(sys.db, {
    username,
    email: `${username}@tentacle.example`,
    password,
    roles,
  });
  return { username, password, totpSecret, id };
}

/** Logs in through the login page (a fresh TOTP code) and waits for the first page. */
export async function logIn(page: Page, baseUrl: string, u: StaffUser, hash = ''): Promise<void> {
  await page.goto(`${baseUrl}/console/${hash}`);
  await page.getByLabel('Username').fill(u.username);
  await page.getByLabel('Password').fill(u.password);
  await page.getByLabel('One-time code').fill(authenticator.generate(u.totpSecret));
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

/** Fills the access-reason dialog when the page asks for it. */
export async function giveReason(page: Page, reason: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Reason for access' });
  await dialog.waitFor();
  await dialog.getByLabel(/Reason/).fill(reason);
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await dialog.waitFor({ state: 'detached' });
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const source = readFileSync(join(require.resolve('axe-core'), '..', 'axe.min.js'), 'utf8');
  await page.evaluate(source);
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as AxeResult;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((x) => x.target.join(' ')).join(', ')})`);
}
