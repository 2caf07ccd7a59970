// 10.2: writes a streamed export to the response. Once the first line is out the status is sent,
// so a failure can only cut the stream short (the reader sees no manifest line: incomplete);
// a client that goes away stops the export (its read transaction ends with it).
import type { Writable } from 'node:stream';
import type { Response } from 'express';
import type { ApiDeps } from './context';

export async function streamExport(
  deps: Pick<ApiDeps, 'logger'>,
  res: Response,
  produce: (out: Writable) => Promise<unknown>,
): Promise<void> {
  try {
    await produce(res);
    res.end();
  } catch (err) {
    if (!res.headersSent) throw err; // nothing out yet: the usual problem+json answer
    const gone = res.destroyed || (err as Error).message === 'export_output_closed';
    if (!gone) deps.logger.error({ err }, 'export stream failed');
    res.destroy();
  }
}
