// Replays one recorded history per workflow type (test/replay/histories, recorded by the
// workflow tests with keepHistory — RECORD_HISTORIES=1 re-records) against the current workflow
// code: a change that breaks determinism for running workflows fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';

const dir = join(__dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

// Each workflow type the lifecycle worker runs has a recorded history here. The campaign's
// `*-before-failure-patch` histories were recorded by the code before `campaign-failure-settles`
// (one ends failed because a page failed for good): never re-record those.
const EXPECTED = [
  'account-lifecycle', 'account-holds-campaigns', 'campaign-account-hold',
  'campaign-before-failure-patch', 'campaign-page-failed-before-failure-patch', 'campaign-failed', 'data-breach', 'force-majeure', 'formal-notice', 'maintenance', 'pack-validity',
  'subscription-term', 'termination', 'terms-change',
];

describe('replay of recorded histories', () => {
  test('When the recorded histories are listed, then every workflow type has one', () => {
    expect(files.map((f) => f.replace(/\.json$/, ''))).toEqual(expect.arrayContaining(EXPECTED));
  });

  test('When every recorded history is replayed against the current workflow code, then none fails', async () => {
    const histories = files.map((f) => {
      const { workflowId, history } = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      return { workflowId: `${f}:${workflowId}`, history: temporal.api.history.v1.History.fromObject(history) };
    });
    const failures: string[] = [];
    let replayed = 0;
    for await (const r of Worker.runReplayHistories({ workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! } }, histories)) {
      replayed += 1;
      if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  });
});
