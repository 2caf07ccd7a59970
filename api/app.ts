// The Express application: security headers, request ids, JSON logs, body limits, routes,
// problem+json for every error.
import { randomUUID } from 'node:crypto';
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { redactRequest } from '../lib/logger';
import type { ApiDeps } from './context';
import { errorHandler, notFound } from './errors';
import { healthRouter } from './health';
import { accountsRouter } from './accounts';
import { sessionsRouter } from './sessions';
import { apiKeysRouter } from './api-keys';
import { membersRouter } from './members';
import { memberCredentialsRouter } from './member-credentials';
import { staffAuthRouter } from './staff-auth';
import { carrierWebhooksRouter } from './carrier-webhooks';
import { sendingRouter } from './sending';
import { customerListsRouter } from './customer-lists';
import { suppressionsRouter } from './suppressions';
import { dataProtectionRouter } from './data-protection';
import { maintenanceGate } from './maintenance';
import { contractNoticesRouter } from './contract-notices';
import { contractDataRouter } from './contract-data';
import { contractForceMajeureRouter } from './contract-force-majeure';
import { staffDeadlinesRouter } from './staff-deadlines';
import { staffNoticesRouter } from './staff-notices';
import { staffTermsRouter } from './staff-terms';
import { staffForceMajeureRouter } from './staff-force-majeure';
import { staffDataProtectionRouter } from './staff-data-protection';
import { staffMaintenanceRouter } from './staff-maintenance';
import { staffCampaignsRouter } from './staff-campaigns';
import { billingRouter } from './billing';
import { staffBillingRouter } from './staff-billing';
import { staffBillingRegistersRouter } from './staff-billing-registers';
import { paymentWebhooksRouter } from './payment-webhooks';
import { rejectUnsafeInput } from './input-guard';
import { metricsRouter } from './metrics';
import { webhookEndpointsRouter } from './webhook-endpoints';
import { webhookOperationsRouter } from './webhook-operations';
import { httpMetrics } from '../lib/metrics/http';
import { openApiRouter } from './openapi/router';
import { consoleRouter } from './console';
import { staffAccountsRouter } from './staff-accounts';
import { staffEnrolmentRouter } from './staff-enrolment';

export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Only the configured proxies' X-Forwarded-For sets req.ip (none by default, lib/config.ts).
  app.set('trust proxy', deps.config.TRUST_PROXY.length > 0 ? deps.config.TRUST_PROXY : false);
  app.use(httpMetrics); // every request's duration (lib/metrics/http.ts)
  // Carrier webhooks come first: thousands a second during a campaign, machine to machine, so no
  // per-request log line or browser headers; forms, and SendGrid signs the raw bytes (no JSON parser).
  app.use(carrierWebhooksRouter(deps));
  app.use(metricsRouter(deps)); // GET /metrics, before the request logger: no line per scrape
  app.use(helmet());
  app.use(openApiRouter()); // GET /openapi.json, GET /docs: served during maintenance too
  app.use(consoleRouter()); // the staff console's static files under /console (api/console.ts)
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/health' },
      // A notice's ?token=, a pasted key: never in the logs. Of the answer, its status: the security
      // headers every answer carries would make each line ~1.5 kB of the same text.
      serializers: { req: redactRequest, res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
    }),
  );
  app.use(paymentWebhooksRouter(deps)); // before the JSON parser: the HMAC covers the raw bytes
  app.use(
    express.json({ limit: deps.config.BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] }),
  );
  app.use(rejectUnsafeInput); // NUL / lone surrogates in path, query or body: 400 before any route

  app.use(maintenanceGate(deps)); // 6.4.3: 503 during a window; never /health nor /v1/staff
  app.use(healthRouter(deps));
  app.use(accountsRouter(deps));
  app.use(sessionsRouter(deps));
  app.use(apiKeysRouter(deps));
  app.use(membersRouter(deps));
  app.use(memberCredentialsRouter(deps));
  app.use(staffAuthRouter(deps));
  app.use(staffEnrolmentRouter(deps));
  app.use(staffAccountsRouter(deps));
  app.use(sendingRouter(deps));
  app.use(customerListsRouter(deps));
  app.use(suppressionsRouter(deps));
  app.use(dataProtectionRouter(deps));
  // The contract's clocks, customer side then staff side, in one route order (docs/contract.md).
  app.use(contractNoticesRouter(deps));
  app.use(contractDataRouter(deps));
  app.use(contractForceMajeureRouter(deps));
  app.use(staffDeadlinesRouter(deps));
  app.use(staffNoticesRouter(deps));
  app.use(staffTermsRouter(deps));
  app.use(staffForceMajeureRouter(deps));
  app.use(staffDataProtectionRouter(deps));
  app.use(staffMaintenanceRouter(deps));
  app.use(staffCampaignsRouter(deps));
  app.use(billingRouter(deps));
  app.use(staffBillingRouter(deps));
  app.use(staffBillingRegistersRouter(deps));
  app.use(webhookEndpointsRouter(deps));
  app.use(webhookOperationsRouter(deps));

  app.use(() => {
    throw notFound('route');
  });
  app.use(errorHandler);
  return app;
}
