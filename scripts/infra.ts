// Starts the real components the system runs on, when no external ones are configured:
// embedded PostgreSQL, the Temporal CLI dev server (with its Web UI), and Temporal's Java
// time-skipping test server. Used by `npm start`, the test setup and the benchmarks.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

export const ROOT = resolve(__dirname, __dirname.includes(`${join('dist', 'scripts')}`) ? '../..' : '..');

export interface Running {
  stop(): Promise<void>;
}

/**
 * Node flags of the send worker (npm start and bench:send). Its live set is its pages in flight:
 * a bounded old generation keeps RSS flat; a larger young generation halves the scavenges that a
 * few thousand requests a second cause (about 7% of the worker's CPU per message, measured).
 */
export const SEND_WORKER_NODE_ARGS = ['--max-old-space-size=192', '--max-semi-space-size=16'];

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number, host = '127.0.0.1'): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((res) => {
      const sock = new Socket();
      sock.once('connect', () => {
        sock.destroy();
        res(true);
      });
      sock.once('error', () => {
        sock.destroy();
        res(false);
      });
      sock.connect(port, host);
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function runInstaller(script: string): string | null {
  try {
    return execFileSync('bash', [join(ROOT, 'scripts/tools', script)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  } catch (err) {
    if ((err as { status?: number }).status === 3) return null; // cannot build here: caller falls back
    throw err;
  }
}

/** Temporal CLI path (TEMPORAL_CLI_PATH, PATH, per-user cache, or built once with Go), or null. */
const resolveTemporalCli = () => runInstaller('install-temporal-cli.sh');
/** Wrapper of the Java time-skipping test server (built once with Maven), or null. */
export const resolveTestServer = () => runInstaller('install-test-server.sh');

function track(child: ChildProcess, name: string, logTail: string[]): ChildProcess {
  children.add(child);
  const keep = (d: Buffer) => {
    logTail.push(d.toString());
    if (logTail.length > 100) logTail.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('exit', () => children.delete(child));
  child.on('error', (e) => logTail.push(`${name}: ${e.message}`));
  return child;
}

async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export interface PostgresHandle extends Running {
  url: string;
  /** The pg-server.mjs wrapper (the postmaster's pid is the first line of <dataDir>/postmaster.pid). */
  pid: number;
}

export async function startPostgres(dataDir: string, port?: number): Promise<PostgresHandle> {
  const p = port ?? (await freePort());
  const tail: string[] = [];
  const child = track(
    spawn(process.execPath, [join(ROOT, 'scripts/pg-server.mjs'), dataDir, String(p)], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      cwd: ROOT,
    }),
    'postgres',
    tail,
  );
  const url = await new Promise<string>((res, rej) => {
    child.once('message', (m: { url: string }) => res(m.url));
    child.once('exit', (code) => rej(new Error(`embedded postgres exited (${code}):\n${tail.join('')}`)));
  });
  child.channel?.unref();
  return { url, pid: child.pid!, stop: () => stopChild(child) };
}

export interface TemporalHandle extends Running {
  address: string;
  uiUrl: string | null;
  /** The dev server's process (null when the SDK runs its own download). */
  pid: number | null;
}

/** The Temporal CLI dev server, SQLite-backed when dbFile is given, search attributes registered. */
export async function startTemporalDevServer(opts: {
  dbFile?: string;
  port?: number;
  uiPort?: number;
  headless?: boolean;
}): Promise<TemporalHandle> {
  const port = opts.port ?? (await freePort());
  const uiPort = opts.uiPort ?? (await freePort());
  const cli = resolveTemporalCli();
  const saArgs = SEARCH_ATTRIBUTES.map((a) => `${a.name}=${a.type}`);
  if (!cli) {
    // Connected machine without Go: the SDK downloads the CLI itself.
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        ip: '127.0.0.1',
        port,
        ui: !opts.headless,
        uiPort,
        dbFilename: opts.dbFile,
        searchAttributes: SEARCH_ATTRIBUTES.map((a) => ({ name: a.name, type: a.type.toUpperCase() as never })),
      } as never,
    });
    return {
      address: env.address,
      uiUrl: opts.headless ? null : `http://127.0.0.1:${uiPort}`,
      pid: null,
      stop: () => env.teardown(),
    };
  }
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    'default',
    '--log-level',
    'warn',
  ];
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.headless) args.push('--headless');
  else args.push('--ui-port', String(uiPort), '--ui-ip', '127.0.0.1');
  for (const sa of saArgs) args.push('--search-attribute', sa);
  const tail: string[] = [];
  const child = track(spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] }), 'temporal', tail);
  const exited = new Promise<never>((_, rej) =>
    child.once('exit', (c) => rej(new Error(`temporal dev server exited (${c}):\n${tail.join('')}`))),
  );
  const address = `127.0.0.1:${port}`;
  await Promise.race([
    exited,
    (async () => {
      await waitForPort(port, 60_000);
      const conn = await Connection.connect({ address });
      try {
        for (let i = 0; ; i++) {
          try {
            await conn.workflowService.describeNamespace({ namespace: 'default' });
            break;
          } catch (e) {
            if (i > 100) throw e;
            await new Promise((r) => setTimeout(r, 200));
          }
        }
      } finally {
        await conn.close();
      }
    })(),
  ]);
  if (!opts.headless) await waitForPort(uiPort, 30_000);
  return {
    address,
    uiUrl: opts.headless ? null : `http://127.0.0.1:${uiPort}`,
    pid: child.pid!,
    stop: () => stopChild(child),
  };
}

export interface TestServerHandle extends Running {
  address: string;
}

/**
 * The Java time-skipping test server, started by us and connected to by tests, because the SDK
 * waits only 5 s for a server it spawns and a cold JVM can miss that. Returns null when it cannot
 * be built here (tests then use the SDK's own download on a connected machine).
 */
export async function startTestServer(port?: number): Promise<TestServerHandle | null> {
  const wrapper = process.env.TEMPORAL_TEST_SERVER_PATH ?? resolveTestServer();
  if (!wrapper) return null;
  const p = port ?? (await freePort());
  const tail: string[] = [];
  const child = track(spawn(wrapper, [String(p)], { stdio: ['ignore', 'pipe', 'pipe'] }), 'test-server', tail);
  const exited = new Promise<never>((_, rej) =>
    child.once('exit', (c) => rej(new Error(`test server exited (${c}):\n${tail.join('')}`))),
  );
  await Promise.race([exited, waitForPort(p, 120_000)]);
  return { address: `127.0.0.1:${p}`, stop: () => stopChild(child) };
}
