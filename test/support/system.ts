// The system as integration tests use it: the real API over HTTP on a loopback port, a real
// lifecycle worker on its own task queue, the dev server and Postgres from global setup.
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, type LogLevel, type LogMetadata } from '@temporalio/worker';
import type { DestinationStream } from 'pino';
import { createApp } from '../../api/app';
import { createDb } from '../../lib/db';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { createLifecycleActivities } from '../../workers/activities';
import { startRelayLoop } from '../../lib/workflow-clients/outbox-relay';
import { uniqueQueue } from './temporal';
import { driftRecorder } from './openapi-drift';
import { openApiDocument } from '../../api/openapi/document';
export { eventually } from './eventually';

export interface System {
  baseUrl: string;
  db: ReturnType<typeof createDb>;
  client: Client;
  taskQueue: string;
  stop(): Promise<void>;
}

export interface SystemOptions {
  /** Extra environment for the configuration (secrets of the run, …). */
  env?: Record<string, string>;
  /** Every log line of the API (at `logLevel`) and of the lifecycle worker (SDK logger) goes here. */
  logs?: { stream: DestinationStream; level: 'info' | 'debug' | 'trace' };
  /** The API's Temporal client (default: the system's; e.g. one on a closed port, so no kick starts). */
  apiTemporal?: Client;
  /** Fail stop() on answers the OpenAPI document does not list (default on, openapi-drift.ts). */
  checkOpenApi?: boolean;
  /** The lifecycle worker's outbox relay loop (default on, as in workers/lifecycle.ts). */
  relay?: boolean;
}

/** Copies what the Temporal SDK logs in this process (workers, activities, workflows) to `stream`. */
function captureRuntimeLogs(stream: DestinationStream): () => void {
  const logger = Runtime.instance().logger;
  const original = logger.log;
  logger.log = function (level: LogLevel, message: string, meta?: LogMetadata) {
    let m: string;
    try {
      m = JSON.stringify(meta ?? {});
    } catch {
      m = String(meta);
    }
    stream.write(`{"sdk":${JSON.stringify(level)},"msg":${JSON.stringify(message)},"meta":${m}}\n`);
    return original.call(this, level, message, meta);
  };
  return () => {
    logger.log = original;
  };
}

export async function startSystem(opts: SystemOptions = {}): Promise<System> {
  const taskQueue = uniqueQueue('lifecycle');
  const config = loadConfig({ ...process.env, LIFECYCLE_TASK_QUEUE: taskQueue, LOG_LEVEL: 'silent', ...opts.env });
  const restoreRuntimeLogs = opts.logs ? captureRuntimeLogs(opts.logs.stream) : () => undefined;
  const db = createDb(process.env.DATABASE_URL!);
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const client = new Client({ connection, namespace: 'default' });
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! }),
    taskQueue,
    workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
    activities: createLifecycleActivities({ db, config, temporal: client }),
  });
  const running = worker.run();
  const logger = createLogger('api-test', opts.logs?.level ?? 'silent', opts.logs?.stream);
  const relay = opts.relay === false ? null : startRelayLoop({ db, temporal: client, logger });
  const app = createApp({ db, temporal: opts.apiTemporal ?? client, config, logger });
  // Every answer checked against the document (test/support/openapi-drift.ts).
  const recorder = driftRecorder(openApiDocument());
  const server: Server = await new Promise((res) => {
    const s = createServer((req, resp) => {
      recorder.watch(req, resp);
      app(req, resp);
    }).listen(0, '127.0.0.1', () => res(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Every system of the run shares the database and the client IP 127.0.0.1: the failed logins a
  // file provokes (wrong passwords, reset requests, the fuzzers) must not throttle the next file's.
  const [{ now: startedAt }] = (await db.raw('select now()')).rows;
  return {
    baseUrl,
    db,
    client,
    taskQueue,
    async stop() {
      await new Promise((r) => server.close(r));
      await relay?.stop();
      worker.shutdown();
      await running;
      restoreRuntimeLogs();
      await connection.close();
      await db('login_attempts').where('at', '>=', startedAt).delete();
      await db('password_reset_requests').where('at', '>=', startedAt).delete();
      await db.destroy();
      const drift = recorder.drift();
      if (drift.length && opts.checkOpenApi !== false)
        throw new Error(`answers that GET /openapi.json does not describe:\n${drift.join('\n')}`);
    },
  };
}

export interface HttpResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON of any route; each test reads its fields
  body: any;
  headers: Headers;
}

export async function http(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) {
    body = opts.raw;
    headers['content-type'] ??= 'application/json';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(baseUrl + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

let n = 0;
/** A valid registration body; `over` replaces parts of it. */
export function registration(
  over: {
    account?: Record<string, unknown>;
    member?: Record<string, unknown>;
    acceptTerms?: Record<string, unknown>;
  } = {},
) {
  const u = `user${process.pid}x${Date.now().toString(36)}x${++n}`;
  return {
    account: {
      legalForm: 'company',
      legalName: 'Acme SAS',
      country: 'FR',
      siren: '732829320',
      vatNumber: 'FR44732829320',
      billingAddress: { line1: '1 rue de la Paix', postalCode: '75002', city: 'Paris', country: 'FR' },
      proofOfPowerRef: 'kbis-2026-001',
      formula: 'subscription',
      ...over.account,
    },
    member: {
      username: u,
      email: `${u}@acme.example`,
      fullName: 'Alice Martin',
      password: 'correct horse battery staple',
      ...over.member,
    },
    acceptTerms: { version: '2026-01', accepted: true, ...over.acceptTerms },
  };
}

/** Registers an account, logs in, creates an API key. */
export async function onboard(sys: System, over?: Parameters<typeof registration>[0]) {
  const reg = registration(over);
  const created = await http(sys.baseUrl, 'POST', '/v1/accounts', { body: reg });
  if (created.status !== 201) throw new Error(`registration failed: ${JSON.stringify(created.body)}`);
  const login = await http(sys.baseUrl, 'POST', '/v1/sessions', {
    body: { username: reg.member.username, password: reg.member.password },
  });
  const key = await http(sys.baseUrl, 'POST', '/v1/api-keys', { token: login.body.token, body: { name: 'test' } });
  return {
    accountId: created.body.account.id as string,
    memberId: created.body.member.id as string,
    session: login.body.token as string,
    apiKey: key.body.key as string,
    reg,
  };
}
