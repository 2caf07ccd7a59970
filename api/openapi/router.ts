// GET /openapi.json (the document) and GET /docs (Swagger UI, its assets served from
// node_modules: nothing is loaded from elsewhere at run time).
import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { z } from 'zod';
import { openApiDocument } from './document';
import { describeRoute } from './registry';

export function openApiRouter(): Router {
  const r = Router();
  describeRoute({
    method: 'get',
    path: '/openapi.json',
    summary: 'This document (OpenAPI 3.1)',
    tag: 'Documentation',
    access: 'public',
    early: true,
    responses: { 200: z.looseObject({ openapi: z.literal('3.1.0') }) },
  });
  r.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  describeRoute({
    method: 'get',
    path: '/docs',
    summary: 'Interactive reference of this API (Swagger UI)',
    tag: 'Documentation',
    access: 'public',
    early: true,
    responses: {
      200: { contentType: 'text/html', description: 'The reference page' },
      301: null, // to /docs/: its assets are relative links
    },
  });
  const page = swaggerUi.setup(undefined, { customSiteTitle: 'Tentacle API', swaggerUrl: '/openapi.json' });
  r.use('/docs', swaggerUi.serve);
  r.get('/docs', (req, res, next) => {
    if (!req.originalUrl.split('?')[0].endsWith('/')) return res.status(301).location('/docs/').end();
    page(req, res, next);
  });
  return r;
}
