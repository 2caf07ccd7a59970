// The one way a workflow is started from outside Temporal: by function reference (typed
// arguments), with its business-key id and reuse policy REJECT_DUPLICATE, so that starting twice
// is harmless and a workflow that has closed is never started again. Every workflow's client
// module (this folder, one per file of workflows/) starts through here. Client-side only: never
// imported by workflow code (the workflow bundle is built from workflows/index.ts).
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  type Client,
  type WorkflowStartOptions,
} from '@temporalio/client';
import type { SearchAttributePair, Workflow } from '@temporalio/common';
import type { Config } from '../config';

export interface WorkflowClientDeps {
  temporal: Client;
  config: Pick<Config, 'LIFECYCLE_TASK_QUEUE'>;
}

/** `started` false: a workflow with this id already existed (running or closed). */
export interface Started {
  workflowId: string;
  started: boolean;
}

export interface StartOnceOptions<W extends Workflow> {
  workflowId: string;
  args: Parameters<W>;
  searchAttributes: SearchAttributePair[];
  /** Defaults to the lifecycle task queue, where every workflow runs. */
  taskQueue?: string;
}

/** Starts the workflow unless one with this id exists (running or closed): `started` says which. */
export async function startOnce<W extends Workflow>(
  deps: WorkflowClientDeps,
  workflow: W,
  o: StartOnceOptions<W>,
): Promise<Started> {
  try {
    // `args` is typed by StartOnceOptions; WorkflowStartOptions' conditional type does not resolve for a generic W.
    await deps.temporal.workflow.start(workflow, {
      taskQueue: o.taskQueue ?? deps.config.LIFECYCLE_TASK_QUEUE,
      workflowId: o.workflowId,
      args: o.args,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: o.searchAttributes,
    } as unknown as WorkflowStartOptions<W>);
    return { workflowId: o.workflowId, started: true };
  } catch (err) {
    const already =
      err instanceof WorkflowExecutionAlreadyStartedError ||
      (err as Error).name === 'WorkflowExecutionAlreadyStartedError';
    if (already) {
      return { workflowId: o.workflowId, started: false };
    }
    throw err;
  }
}
