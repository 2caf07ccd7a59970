// API process entry point.
import { loadConfig, requireDatabaseUrl } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createDb } from '../lib/db';
import { connectClient } from '../lib/temporal';
import { createApp } from './app';

async function main() {
  const config = loadConfig();
  const logger = createLogger('api', config.LOG_LEVEL);
  const db = createDb(requireDatabaseUrl(config));
  const temporal = await connectClient(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
  const app = createApp({ db, temporal, config, logger });
  const server = app.listen(config.API_PORT, '127.0.0.1', () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.API_PORT;
    logger.info({ port, metrics: `http://127.0.0.1:${port}/metrics` }, 'api listening');
  });
  const stop = () => {
    logger.info('api shutting down');
    server.close(() => {
      void db
        .destroy()
        .then(() => temporal.connection.close())
        .then(() => process.exit(0));
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
