// A worker's metrics: the Temporal Runtime installed with its Prometheus exporter on a loopback
// port of its own, and one HTTP server on the worker's metrics port whose GET /metrics serves
// this process's registry followed by the SDK's metrics (fetched from that exporter at each
// scrape), so that Prometheus has one URL per process.
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { DefaultLogger, Runtime, type LogLevel, type LogMetadata } from '@temporalio/worker';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { registry } from './definitions';
import { metricsAuthorized } from './http';

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

// The send worker registers no workflow on purpose: the SDK's warning about it is start-up noise.
const EXPECTED = new Set(['No workflows registered, not polling for workflow tasks']);

class WorkerSdkLogger extends DefaultLogger {
  override log(level: LogLevel, message: string, meta?: LogMetadata): void {
    if (!EXPECTED.has(message)) super.log(level, message, meta);
  }
}

/**
 * Runtime.install for a worker process: the SDK's logger at WARN (DEBUG with LOG_LEVEL debug or
 * trace) and its metrics (durations in seconds, counters with _total, as prom-client names them).
 * Returns the exporter's URL.
 */
export async function installWorkerRuntime(config: Pick<Config, 'LOG_LEVEL'>): Promise<string> {
  const bindAddress = `127.0.0.1:${await freeLoopbackPort()}`;
  Runtime.install({
    logger: new WorkerSdkLogger(config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'DEBUG' : 'WARN'),
    telemetryOptions: {
      metrics: {
        prometheus: { bindAddress, useSecondsForDurations: true, countersTotalSuffix: true, unitSuffix: true },
      },
    },
  });
  return `http://${bindAddress}/metrics`;
}

export interface MetricsServer {
  /** Where Prometheus scrapes this process. */
  url: string;
  close(): Promise<void>;
}

/**
 * GET /metrics on `port` (0: any free one) of METRICS_HOST, behind METRICS_TOKEN when set. A port
 * already taken (a second worker of the host on the default) costs a warn and a free port, never
 * the worker: its job is sending, not being scraped.
 */
export async function startMetricsServer(
  config: Pick<Config, 'METRICS_HOST' | 'METRICS_TOKEN'>,
  port: number,
  coreMetricsUrl: string,
  logger: Logger,
): Promise<MetricsServer> {
  const core = async (): Promise<string> => {
    try {
      const res = await fetch(coreMetricsUrl, { signal: AbortSignal.timeout(2_000) });
      return res.ok ? await res.text() : '';
    } catch {
      return ''; // the SDK's exporter did not answer: this process's own metrics still go out
    }
  };
  const server: Server = createHttpServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    if (!metricsAuthorized(config.METRICS_TOKEN, req)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
      return;
    }
    void Promise.all([registry.metrics(), core()]).then(
      ([own, sdk]) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(`${own}\n${sdk}`),
      () => res.writeHead(500).end(),
    );
  });
  const listen = (p: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, config.METRICS_HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
  const host = config.METRICS_HOST.includes(':') ? `[${config.METRICS_HOST}]` : config.METRICS_HOST;
  const urlOf = () => `http://${host}:${(server.address() as AddressInfo).port}/metrics`;
  try {
    await listen(port);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    await listen(0);
    logger.warn({ port, metrics: urlOf() }, 'metrics port in use: serving on a free port instead');
  }
  return {
    url: urlOf(),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
