// The Express application: security headers, request ids, JSON logs, body limits, routes,
// problem+json for every error.
import { randomUUID } from 'node:crypto';
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { ApiDeps } from './context';
import { errorHandler, notFound } from './errors';
import { healthRouter } from './health';
import { accountsRouter } from './accounts';
import { sessionsRouter } from './sessions';
import { apiKeysRouter } from './api-keys';
import { staffAuthRouter } from './staff-auth';

export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(pinoHttp({
    logger: deps.logger,
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: { ignore: (req) => req.url === '/health' },
  }));
  app.use(express.json({ limit: deps.config.BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] }));

  app.use(healthRouter(deps));
  app.use(accountsRouter(deps));
  app.use(sessionsRouter(deps));
  app.use(apiKeysRouter(deps));
  app.use(staffAuthRouter(deps));

  app.use(() => { throw notFound('route'); });
  app.use(errorHandler);
  return app;
}
