// Customer send routes (ToS 6.1–6.3, 10.3 iv): single sends (sending-single.ts), campaigns — draft,
// recipients as inline JSON or a streamed CSV upload, start, pause / resume / cancel, progress,
// rejections — (sending-campaigns.ts) and message history, on one router that shares one rate limit.
// Money path: the quote is computed from the messages, the Order created and its funds reserved
// in ONE transaction with the messages; only then is the workflow started (lib/workflow-clients/campaign.ts).
import { Router } from 'express';
import type { ApiDeps } from './context';
import { campaignRoutes } from './sending-campaigns';
import { sendingContext } from './sending-common';
import { singleSendRoutes } from './sending-single';
import { describeSendingRoutes } from './openapi/sending';

export function sendingRouter(deps: ApiDeps): Router {
  const r = Router();
  const ctx = sendingContext(deps);
  describeSendingRoutes(ctx.now); // api/openapi/sending.ts
  singleSendRoutes(r, ctx);
  campaignRoutes(r, ctx);
  return r;
}
