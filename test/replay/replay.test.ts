// Replays the recorded histories (test/replay/histories, recorded by the workflow tests with
// keepHistory — written when absent; RECORD_HISTORIES=1 re-records) against the current workflow
// code: a change that breaks determinism for running workflows fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import * as workflows from '../../workflows';

const dir = join(__dirname, 'histories');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const recorded = files.map((file) => {
  const { workflowId, history } = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const decoded = temporal.api.history.v1.History.fromObject(history);
  // The workflow type is the one the history was started with (its first event).
  const started = decoded.events?.[0]?.workflowExecutionStartedEventAttributes;
  const type = started?.workflowType?.name ?? `(no start event)`;
  return { file, workflowId: `${file}:${workflowId}`, history: decoded, type };
});

// Every workflow type the lifecycle worker runs: the functions workflows/index.ts exports.
const exportedTypes = Object.entries(workflows)
  .filter(([, v]) => typeof v === 'function')
  .map(([name]) => name)
  .sort();

// Histories recorded by the code before a patch cannot be recorded again, so never re-record or
// delete them: the campaign's before `campaign-failure-settles` (one ends failed because a page
// failed for good), the termination's before `data-return-full-export`, and the Pack clock's
// before `pack-validity-last-use-from-db`.
const BEFORE_PATCH = [
  'campaign-before-failure-patch.json',
  'campaign-page-failed-before-failure-patch.json',
  'pack-validity.json',
  'termination-before-full-export-patch.json',
];

describe('replay of recorded histories', () => {
  test(
    'When the types exported by workflows/index.ts are listed, then each has a recorded history and ' +
      'every history is of an exported type',
    () => {
      expect(exportedTypes.length).toBeGreaterThan(0);
      const recordedTypes = new Set(recorded.map((r) => r.type));
      expect(exportedTypes.filter((t) => !recordedTypes.has(t))).toEqual([]);
      expect(recorded.filter((r) => !exportedTypes.includes(r.type)).map((r) => `${r.file}: ${r.type}`)).toEqual([]);
    },
  );

  test('When the histories recorded before a patch are looked for, then all are there', () => {
    expect(BEFORE_PATCH.filter((f) => !files.includes(f))).toEqual([]);
    const types = recorded.filter((r) => BEFORE_PATCH.includes(r.file)).map((r) => r.type);
    expect(types).toEqual(['campaignWorkflow', 'campaignWorkflow', 'packValidityWorkflow', 'terminationWorkflow']);
  });

  test('When every recorded history is replayed against the current workflow code, then none fails', async () => {
    const failures: string[] = [];
    let replayed = 0;
    const histories = recorded.map(({ workflowId, history }) => ({ workflowId, history }));
    const bundle = { workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! } };
    for await (const r of Worker.runReplayHistories(bundle, histories)) {
      replayed += 1;
      if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  });
});
