// `npm run chaos [-- --recipients N --only f1,f2 --repeat N --timeout S --grace S --rate R]`:
// the chaos suite (docs/chaos.md). Starts every component of the system as its own process on
// embedded defaults (chaos-system.ts), then for each fault (chaos-faults.ts, and
// chaos-workflow-start.ts for lost-workflow-start) runs a fresh campaign, injects the fault
// mid-campaign, lets it recover and measures it against the carrier simulator's record
// (chaos-run.ts, chaos-measure.ts). Prints ONE JSON line per fault run on stdout
// ({fault, recipients, completed, lost, duplicates, stuck, ledger_ok, recovery_s, …}; progress goes
// to stderr). Exit 0 when every line passes, 3 when any fails, 1 when the harness itself fails.
import { CAMPAIGN_FAULTS, DEFAULT_FAULTS, REPEATED_FAULTS } from './chaos-faults';
import { passed, runCampaignFault, type FaultResult, type RunOptions } from './chaos-run';
import { startChaosSystem, type ChaosSystem } from './chaos-system';
import { runLostWorkflowStart } from './chaos-workflow-start';

export const EXIT_FAULT_FAILED = 3;

/** Runs one fault by name: the one implementation behind `npm run chaos` and the CI subset. */
export async function runFault(sys: ChaosSystem, name: string, o: RunOptions): Promise<FaultResult> {
  if (name === 'lost-workflow-start') return runLostWorkflowStart(sys, o);
  const fault = CAMPAIGN_FAULTS.find((f) => f.name === name);
  if (!fault) throw new Error(`unknown fault ${name}`);
  return runCampaignFault(sys, fault, o);
}

export const KNOWN_FAULTS = [...CAMPAIGN_FAULTS.map((f) => f.name), 'lost-workflow-start'];

const arg = (name: string, d: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : d;
};

async function main(): Promise<void> {
  const recipients = Number(arg('recipients', '20000'));
  const repeat = Math.max(1, Number(arg('repeat', '5')));
  const only = arg('only', '').split(',').filter(Boolean);
  const names = only.length > 0 ? only : DEFAULT_FAULTS;
  const unknown = names.filter((n) => !KNOWN_FAULTS.includes(n));
  if (unknown.length > 0) {
    console.error(`unknown fault(s) ${unknown.join(', ')}; known: ${KNOWN_FAULTS.join(', ')}`);
    process.exit(2);
  }
  const log = (m: string) => process.stderr.write(`[chaos] ${m}\n`);
  const opts: RunOptions = {
    recipients,
    timeoutS: Number(arg('timeout', '300')),
    graceS: Number(arg('grace', '90')),
    log,
  };
  const sys = await startChaosSystem({ smsPerSecond: Number(arg('rate', '0')), log });
  let failed = 0;
  const stop = (code: number) => {
    void sys.stop(code !== 0).finally(() => process.exit(code));
  };
  process.once('SIGINT', () => stop(130));
  process.once('SIGTERM', () => stop(143));
  try {
    for (const name of names) {
      const times = REPEATED_FAULTS.includes(name) ? repeat : 1;
      for (let run = 1; run <= times; run += 1) {
        const started = Date.now();
        const result = await runFault(sys, name, opts);
        if (times > 1) result.run = run;
        if (!passed(result)) failed += 1;
        process.stdout.write(`${JSON.stringify(result)}\n`);
        log(
          `${name}${times > 1 ? ` #${run}` : ''}: ${passed(result) ? 'ok' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`,
        );
      }
    }
  } catch (err) {
    console.error(err);
    log(`component logs kept in ${sys.dir}/logs`);
    await sys.stop(true);
    process.exit(1);
  }
  if (failed > 0) log(`${failed} run(s) failed; component logs kept in ${sys.dir}/logs`);
  await sys.stop(failed > 0);
  process.exit(failed > 0 ? EXIT_FAULT_FAILED : 0);
}

if (require.main === module) void main();
