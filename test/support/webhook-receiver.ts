// A customer's webhook receiver on loopback for tests and the benchmark: records every request
// (headers, raw body) and answers as `respond` decides — a status, or 'hang' (never answers,
// so that the sender times out); `down()` closes the port for a while, `up()` reopens it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  path: string;
}

export type Respond = (r: Received, nth: number) => number | 'hang';

export interface WebhookReceiver {
  url: (path?: string) => string;
  received: Received[];
  respond: Respond;
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

export async function startWebhookReceiver(respond: Respond = () => 200): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const seen = new Map<string, number>();
  const hung = new Set<ServerResponse>();
  let port = 0;
  let server: Server;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = {
        id: String(req.headers['webhook-id'] ?? ''),
        timestamp: String(req.headers['webhook-timestamp'] ?? ''),
        signature: String(req.headers['webhook-signature'] ?? ''),
        body: Buffer.concat(chunks).toString('utf8'),
        path: req.url ?? '/',
      };
      received.push(r);
      const nth = (seen.get(r.id) ?? 0) + 1;
      seen.set(r.id, nth);
      const answer = rx.respond(r, nth);
      if (answer === 'hang') {
        hung.add(res);
        return;
      }
      res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : `refused ${answer}`);
    });
  };
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer({ keepAlive: true }, handler);
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const close = async () => {
    for (const res of hung) res.destroy();
    hung.clear();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };
  await listen();
  const rx: WebhookReceiver = {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    received,
    respond,
    down: close,
    up: listen,
    stop: close,
  };
  return rx;
}
