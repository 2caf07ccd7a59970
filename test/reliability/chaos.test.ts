// The CI-sized subset of the chaos suite (docs/chaos.md): the same code as `npm run chaos`
// (scripts/chaos*.ts: the system, the faults, the measure), on a few thousand SMS, for a frozen
// send worker, Postgres down, the API down and a lost workflow start. Every component is its own
// process, run from the TypeScript sources (test/support/swc-register.js), against this file's own
// PostgreSQL and Temporal dev server (the faults stop them), not the shared ones of the test setup.
//
// Before the fixes they check, these failed: postgres-down-5s and api-down-5s left messages stuck
// 'submitted' (reports refused while down were lost for good: no 5xx + carrier retry, no status
// reconciliation), lost-workflow-start never started the Pack invoice's and the formal notice's
// workflows (no outbox), and freeze-send-worker doubled messages on larger campaigns (no lease
// fencing; `npm run chaos` shows it at its default size).
import { runFault } from '../../scripts/chaos';
import { startChaosSystem, type ChaosSystem } from '../../scripts/chaos-system';

const RECIPIENTS = 5_000;
const log = (m: string) => process.stderr.write(`[chaos] ${m}\n`);

describe('chaos suite (CI subset): nothing lost, nothing doubled, nothing stuck, the ledger settled', () => {
  let sys: ChaosSystem;

  beforeAll(async () => {
    sys = await startChaosSystem({ log }); // full speed, as in service
  }, 240_000);

  afterAll(async () => {
    await sys?.stop();
  }, 60_000);

  test.each(['freeze-send-worker', 'postgres-down-5s', 'api-down-5s', 'lost-workflow-start'])(
    'When the fault %s hits mid-campaign and recovers, then the carrier accepted every message exactly once, ' +
      'each reached a final status and the order settled to the e4',
    async (fault) => {
      // lost-workflow-start: timeoutS is how long its workflows may take once Temporal is back
      // (the outbox relay runs every second and backs off to 5 min at most).
      const timeoutS = fault === 'lost-workflow-start' ? 75 : 120;
      const result = await runFault(sys, fault, { recipients: RECIPIENTS, timeoutS, graceS: 45, log });
      log(JSON.stringify(result));
      expect(result).toMatchObject({ fault, completed: true, lost: 0, duplicates: 0, stuck: 0, ledger_ok: true });
    },
    300_000,
  );
});
