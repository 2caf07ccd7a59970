// A send worker as a real child process (workers/send.ts through test/support/swc-register.js: no
// build step, never a stale dist/), pointed at the carrier simulator and the test system's API,
// so that a reliability test can kill it (SIGKILL) or freeze it (SIGSTOP); and waiting on a
// condition with a deadline.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { COMPRESSED_RETRIES, startCarrierSimulator, type CarrierSimulator } from '../../simulator';
import { startSystem, type System } from './system';

const ROOT = join(__dirname, '..', '..');

export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface SendWorkerProcess {
  child: ChildProcess;
  /** What the worker wrote to stderr so far (also echoed to the test's stderr). */
  stderr: () => string;
}

class SendWorkerProcesses {
  private readonly children: ChildProcess[] = [];

  constructor(private readonly target: () => { sim: CarrierSimulator; baseUrl: string }) {}

  start(queue: string, env: Record<string, string> = {}): SendWorkerProcess {
    const { sim, baseUrl } = this.target();
    const child = spawn(
      process.execPath,
      ['-r', join(ROOT, 'test/support/swc-register.js'), join(ROOT, 'workers/send.ts')],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          SEND_TASK_QUEUES: queue,
          SINGLE_SEND_TASK_QUEUE: `${queue}-single`, // not the default lane other files share
          SEND_CONCURRENCY: '32',
          LOG_LEVEL: 'warn',
          SEND_WORKER_METRICS_PORT: '0',
          TWILIO_BASE_URL: sim.url,
          TWILIO_ACCOUNT_SID: sim.twilio.accountSid,
          TWILIO_AUTH_TOKEN: sim.twilio.authToken,
          PUBLIC_BASE_URL: baseUrl,
          ...env,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    this.children.push(child);
    let err = '';
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString('utf8');
      process.stderr.write(b);
    });
    return { child, stderr: () => err };
  }

  /** Kills every worker still alive (a frozen one is woken first so that it can die). */
  stopAll(): void {
    for (const c of this.children) {
      if (c.exitCode !== null || c.signalCode !== null) continue;
      c.kill('SIGCONT');
      c.kill('SIGKILL');
    }
  }
}

export interface SendWorkerHarness {
  sim: CarrierSimulator;
  sys: System;
  workers: SendWorkerProcesses;
}

/**
 * The reliability tests' setup: the carrier simulator (20 ms latency, delivery callbacks with
 * compressed carrier retries), the test system, and send worker processes stopped after the file.
 * Its fields are set once beforeAll has run.
 */
export function sendWorkerHarness(): SendWorkerHarness {
  const h = {} as SendWorkerHarness;
  h.workers = new SendWorkerProcesses(() => ({ sim: h.sim, baseUrl: h.sys.baseUrl }));
  beforeAll(async () => {
    h.sim = await startCarrierSimulator({ config: { latency: { fixedMs: 20 } } });
    process.env.TWILIO_ACCOUNT_SID = h.sim.twilio.accountSid;
    process.env.TWILIO_AUTH_TOKEN = h.sim.twilio.authToken;
    h.sys = await startSystem();
    h.sim.configure({ callbacks: { enabled: true, ...COMPRESSED_RETRIES } });
  });
  afterAll(async () => {
    h.workers.stopAll();
    await h.sys?.stop();
    await h.sim?.stop();
  });
  return h;
}
