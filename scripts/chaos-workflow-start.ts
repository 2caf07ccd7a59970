// The lost-workflow-start fault: facts whose workflow the API starts after committing them are
// committed while Temporal is unreachable (the dev server killed -9), so that each start fails
// after its commit: an account registers (account:<id>), a customer buys a Pack (invoice:<id>),
// staff open a formal notice (formal-notice:<caseId>). Temporal then comes back, and every fact
// found committed in Postgres must get its workflow within the timeout. One result line:
// recipients 0, completed = every workflow found, lost = facts without their workflow.
import { request } from 'undici';
import { authenticator } from 'otplib';
import { createStaffMember } from '../lib/staff';
import { accountWorkflowId, invoiceWorkflowId } from '../workflows/ids';
import { api, registerAccount } from './bench-send-campaign';
import type { ChaosSystem } from './chaos-system';
import type { FaultResult, RunOptions } from './chaos-run';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Status of a request that may fail (the API answers 5xx, or times out, while Temporal is down). */
async function attempt(what: () => Promise<{ status: number }>): Promise<number | string> {
  try {
    return (await what()).status;
  } catch (err) {
    return (err as Error).message;
  }
}

async function staffToken(sys: ChaosSystem): Promise<string> {
  const username = `chaos${Date.now().toString(36)}`;
  const password = 'chaos staff password long enough';
  const { totpSecret } = await createStaffMember(sys.db, {
    username,
    email: `${username}@tentacle.example`,
    password,
    roles: ['compliance'],
  });
  const res = await api(sys.apiUrl, 'POST', '/v1/staff/sessions', {
    username,
    password,
    totp: authenticator.generate(totpSecret),
  });
  if (res.status !== 201) throw new Error(`staff login failed: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json.token as string;
}

async function exists(sys: ChaosSystem, workflowId: string): Promise<boolean> {
  try {
    await sys.temporal.workflow.getHandle(workflowId).describe();
    return true;
  } catch {
    return false;
  }
}

/** `timeoutS`: how long after Temporal is back every workflow may take to appear. */
export async function runLostWorkflowStart(sys: ChaosSystem, o: Pick<RunOptions, 'timeoutS' | 'log'>) {
  await sys.ensureUp(1);
  const customer = await registerAccount(sys.apiUrl, 'chaoswf');
  const staff = await staffToken(sys);

  const tInject = Date.now();
  await sys.temporalServer.kill9();
  const registered = await attempt(() => registerAccount(sys.apiUrl, 'chaoswf').then(() => ({ status: 201 })));
  const pack = await attempt(() => api(sys.apiUrl, 'POST', '/v1/billing/packs', { pack: 'pack-100' }, customer.key));
  const notice = await attempt(() =>
    request(`${sys.apiUrl}/v1/staff/accounts/${customer.accountId}/formal-notices`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${staff}`,
        'x-access-reason': 'chaos suite: lost workflow start',
      },
      body: JSON.stringify({ breach: 'chaos suite: a formal notice opened while Temporal is down' }),
    }).then(async (r) => {
      await r.body.dump();
      return { status: r.statusCode };
    }),
  );
  o.log(
    `lost-workflow-start: with Temporal down for ${Math.round((Date.now() - tInject) / 1000)} s, ` +
      `registration ${registered}, pack ${pack}, formal notice ${notice}`,
  );
  await sleep(2_000);
  await sys.temporalServer.start();
  const tHeal = Date.now();

  // The facts committed in Postgres, and the workflow each one needs.
  const accounts = await sys.db('accounts').where('created_at', '>=', new Date(tInject)).select('id');
  const packs = await sys.db('invoices').where({ account_id: customer.accountId, purpose: 'pack' }).select('id');
  const notices = await sys
    .db('contract_cases')
    .where({ account_id: customer.accountId, kind: 'formal_notice' })
    .select('workflow_id');
  const expected = [
    ...accounts.map((a) => accountWorkflowId(a.id)),
    ...packs.map((i) => invoiceWorkflowId(i.id)),
    ...notices.map((c) => c.workflow_id as string),
  ];
  const found = new Map<string, boolean>(expected.map((id) => [id, false]));
  let tAll: number | null = null;
  while (Date.now() < tHeal + o.timeoutS * 1000) {
    for (const id of expected) if (!found.get(id)) found.set(id, await exists(sys, id));
    if ([...found.values()].every(Boolean)) {
      tAll = Date.now();
      break;
    }
    await sleep(1_000);
  }
  const missing = expected.filter((id) => !found.get(id));
  const result: FaultResult = {
    fault: 'lost-workflow-start',
    recipients: 0,
    completed: missing.length === 0 && expected.length > 0,
    lost: missing.length,
    duplicates: 0,
    stuck: 0,
    ledger_ok: true,
    recovery_s: tAll === null ? null : Math.round((tAll - tInject) / 100) / 10,
    detail: {
      requests: { registration: registered, pack, formalNotice: notice },
      workflows: Object.fromEntries(found),
    },
  };
  return result;
}
