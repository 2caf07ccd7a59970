// A worker's metrics server (lib/metrics/worker.ts): its own registry then the SDK exporter's text
// on one URL, and a port already taken costs a warn and a free port, not the worker.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { startMetricsServer } from '../../lib/metrics/worker';
import { createLogger } from '../../lib/logger';

const listening = (handler: Parameters<typeof createServer>[1]) =>
  new Promise<Server>((resolve) => {
    const s = createServer(handler);
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
const portOf = (s: Server) => (s.address() as AddressInfo).port;

test('When the metrics port is taken, then the worker serves on a free port, says so at warn, and appends the SDK metrics', async () => {
  const core = await listening((_req, res) =>
    res.end('# TYPE temporal_worker_start_total counter\ntemporal_worker_start_total 1\n'),
  );
  const taken = await listening((_req, res) => res.end());
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(
    'metrics-test',
    'info',
    new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    }),
  );
  const metrics = await startMetricsServer(
    { METRICS_HOST: '127.0.0.1', METRICS_TOKEN: undefined },
    portOf(taken),
    `http://127.0.0.1:${portOf(core)}/metrics`,
    logger,
  );
  try {
    expect(metrics.url).not.toBe(`http://127.0.0.1:${portOf(taken)}/metrics`);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        port: portOf(taken),
        metrics: metrics.url,
        msg: expect.stringMatching(/in use/),
      }),
    ]);
    const res = await fetch(metrics.url);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^temporal_worker_start_total 1$/m);
    expect((await fetch(metrics.url.replace('/metrics', '/other'))).status).toBe(404);
  } finally {
    await metrics.close();
    core.close();
    taken.close();
  }
});
