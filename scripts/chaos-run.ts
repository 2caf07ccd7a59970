// One chaos run: a fresh funded account and a fresh SMS campaign through the API, the fault
// injected once a share of the campaign has been accepted by the carrier, then recovery,
// completion, a grace period for delivery reports and reconciliation, and the measure
// (chaos-measure.ts) as one result line.
//
// recovery_s: seconds from the injection to the first carrier acceptance of the campaign after the
// fault is over (chaos-faults.ts: the process started again, resumed, reconnected, the carrier
// back to normal); when nothing was left to send by then, to the campaign's completion. Null when
// neither happened within the timeout.
import { BENCH_FUNDS_CENTS, api, fundedAccount, uploadCampaign } from './bench-send-campaign';
import type { CampaignFault } from './chaos-faults';
import { measureCampaign, stuckCount } from './chaos-measure';
import type { ChaosSystem } from './chaos-system';

export interface FaultResult {
  fault: string;
  recipients: number;
  completed: boolean;
  lost: number;
  duplicates: number;
  stuck: number;
  ledger_ok: boolean;
  recovery_s: number | null;
  /** 1…N when the fault is repeated. */
  run?: number;
  /** What the numbers come from: statuses of the campaign's messages, ledger problems, workflows… */
  detail: Record<string, unknown>;
}

export interface RunOptions {
  recipients: number;
  /** Longest wait for the campaign to complete after the fault (s). */
  timeoutS: number;
  /** Longest wait, after completion, for every message to reach a final status (s). */
  graceS: number;
  log: (m: string) => void;
}

/** A line passes when nothing is lost, doubled or stuck, the ledger settled and it completed. */
export const passed = (r: FaultResult) =>
  r.completed && r.lost === 0 && r.duplicates === 0 && r.stuck === 0 && r.ledger_ok;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** Polls until check() is true (errors count as false: a component may be down) or the deadline. */
async function until(check: () => Promise<boolean>, deadline: number, everyMs = 250): Promise<boolean> {
  for (;;) {
    try {
      if (await check()) return true;
    } catch {
      /* down for now */
    }
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

let runs = 0;

export async function runCampaignFault(sys: ChaosSystem, fault: CampaignFault, o: RunOptions): Promise<FaultResult> {
  const { recipients, log } = o;
  runs += 1;
  await sys.ensureUp(fault.sendWorkers);
  await sys.sim.reset(); // this run's record only
  const { accountId, key } = await fundedAccount(sys.apiUrl, sys.db, 'chaos');
  // Distinct numbers per run (+336 and 8 digits).
  const { id: orderId } = await uploadCampaign(sys.apiUrl, key, 'sms', recipients, runs * 100_000);
  const accepted = async () => (await sys.sim.stats()).accepted.sms;
  const started = await api(sys.apiUrl, 'POST', `/v1/campaigns/${orderId}/start`, {}, key);
  if (started.status !== 202) throw new Error(`start failed: ${started.status} ${JSON.stringify(started.json)}`);

  const trigger = Math.ceil(recipients * 0.3);
  if (!(await until(async () => (await accepted()) >= trigger, Date.now() + o.timeoutS * 1000, 20)))
    throw new Error(`${fault.name}: the campaign never reached ${trigger} acceptances before the fault`);
  const tInject = Date.now();
  log(`${fault.name}: injecting at ${await accepted()}/${recipients} accepted`);
  await fault.inject(sys);
  const tHeal = Date.now();
  const atHeal = await accepted();
  log(`${fault.name}: fault over after ${seconds(tHeal - tInject)} s at ${atHeal}/${recipients} accepted`);

  const deadline = Date.now() + o.timeoutS * 1000;
  const final = async () => {
    const row = await sys.db('campaigns').where({ order_id: orderId }).first('status');
    return ['completed', 'cancelled', 'failed'].includes(row?.status);
  };
  let tProgress: number | null = null;
  if (atHeal < recipients) {
    if (await until(async () => (await accepted()) > atHeal || (await final()), deadline)) tProgress = Date.now();
  }
  const done = await until(final, deadline, 500);
  const tDone = Date.now();
  if (tProgress === null && atHeal >= recipients && done) tProgress = tDone;
  const status = (await sys.db('campaigns').where({ order_id: orderId }).first('status'))?.status as string;
  log(`${fault.name}: campaign ${status} ${seconds(tDone - tInject)} s after the fault began`);

  // Delivery reports and any reconciliation get their grace period, then the measure.
  await until(async () => (await stuckCount(sys.db, orderId)) === 0, Date.now() + o.graceS * 1000, 1_000);
  const m = await measureCampaign(sys.db, sys.sim, { orderId, accountId, fundsE4: BENCH_FUNDS_CENTS * 100 });
  return {
    fault: fault.name,
    recipients,
    completed: done && status === 'completed',
    lost: m.lost,
    duplicates: m.duplicates,
    stuck: m.stuck,
    ledger_ok: m.ledgerOk,
    recovery_s: tProgress === null ? null : seconds(tProgress - tInject),
    detail: {
      campaign: status,
      statuses: m.statuses,
      ...(m.ledgerProblems.length > 0 ? { ledger: m.ledgerProblems } : {}),
    },
  };
}
