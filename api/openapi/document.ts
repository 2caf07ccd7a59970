// The OpenAPI 3.1 document, generated from the registry (api/openapi/registry.ts): request and
// response schemas are the routes' own zod schemas turned into JSON Schema 2020-12 by zod itself;
// every problem+json answer is listed by status with the enum of its stable codes.
import { z, type ZodType } from 'zod';
import { describedRoutes, problemStatus, type Access, type ResponseSpec, type RouteSpec } from './registry';

type Json = Record<string, unknown>;

const toSchema = (schema: ZodType, io: 'input' | 'output'): Json => {
  const out: Json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });
  delete out.$schema; // the document's dialect is 2020-12 already
  return out;
};

const SECURITY: Record<Access, Json[]> = {
  public: [],
  customer: [{ apiKey: [] }, { memberSession: [] }],
  member: [{ memberSession: [] }],
  staff: [{ staffSession: [] }],
  metrics: [{ metricsToken: [] }, {}],
  twilio: [{ twilioSignature: [] }],
  sendgrid: [{ sendgridSignature: [] }],
  payment: [{ paymentSignature: [] }],
};

const SECURITY_SCHEMES = {
  apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'tk_…', description: 'API key (POST /v1/api-keys).' },
  memberSession: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'ts_…',
    description: 'Member session (POST /v1/sessions, 12 hours).',
  },
  staffSession: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'ss_…',
    description:
      'Staff session (POST /v1/staff/sessions: password + TOTP, 8 hours). Routes about an account also need ' +
      'the X-Access-Reason header, kept in the audit entry.',
  },
  metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when set (else open on loopback).' },
  twilioSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Twilio-Signature',
    description: 'HMAC-SHA1 of URL + form.',
  },
  sendgridSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Twilio-Email-Event-Webhook-Signature',
    description: 'ECDSA over X-Twilio-Email-Event-Webhook-Timestamp + raw body.',
  },
  paymentSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'Tentacle-Signature',
    description: '`t=<unix s>,v1=<hex HMAC-SHA256 of "t.body">`, within the tolerance window.',
  },
};

const JSON_BODY_PROBLEMS = ['validation_failed', 'malformed_json', 'payload_too_large', 'unsupported_encoding'];

/** The problems a route answers with: its own, plus those of the middlewares in front of it (app.ts). */
function routeProblems(spec: RouteSpec): string[] {
  const all = new Set<string>(spec.problems ?? []);
  if (!spec.early) all.add('invalid_characters'); // api/input-guard.ts, before every route
  if (!spec.early && spec.access !== 'staff' && spec.path !== '/health') all.add('maintenance');
  if (spec.body && !spec.early && !('contentType' in spec.body)) JSON_BODY_PROBLEMS.forEach((c) => all.add(c));
  if (spec.query) all.add('validation_failed');
  // api/auth.ts, api/roles.ts: a member's role (domain/member-roles.ts), TOTP the account requires.
  if (spec.access === 'customer' || spec.access === 'member')
    ['unauthorized', 'account_terminated', 'forbidden_role', 'totp_enrolment_required'].forEach((c) => all.add(c));
  if (spec.access === 'member') all.add('member_session_required');
  if (spec.access === 'staff') ['unauthorized', 'staff_credentials_required'].forEach((c) => all.add(c));
  if (spec.roles) all.add('role_required');
  if (spec.accessReason) all.add('access_reason_required');
  if (spec.access === 'metrics') all.add('unauthorized');
  return [...all];
}

function problemResponse(status: number, codes: string[]): Json {
  const schema = {
    type: 'object',
    required: ['type', 'title', 'status', 'code'],
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { const: status },
      code: { enum: codes.sort() },
      detail: { type: 'string' },
      instance: { type: 'string' },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          properties: { path: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } },
        },
      },
    },
  };
  return { description: codes.join(', '), content: { 'application/problem+json': { schema } } };
}

function successResponse(r: ResponseSpec): Json {
  if (r === null) return { description: 'No content' };
  if ('contentType' in r) {
    const schema = r.schema ? toSchema(r.schema, 'output') : {};
    return { description: r.description ?? r.contentType, content: { [r.contentType]: { schema } } };
  }
  return { description: 'OK', content: { 'application/json': { schema: toSchema(r, 'output') } } };
}

function parameters(spec: RouteSpec): Json[] {
  const out: Json[] = [];
  for (const [name, schema] of Object.entries(spec.params ?? {}))
    out.push({ name, in: 'path', required: true, schema: toSchema(schema, 'input') });
  if (spec.query) {
    const q = toSchema(spec.query, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {}))
      out.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
  }
  for (const [name, h] of Object.entries(spec.headers ?? {}))
    out.push({
      name,
      in: 'header',
      required: h.required ?? false,
      description: h.description,
      schema: toSchema(h.schema, 'input'),
    });
  if (spec.accessReason)
    out.push({
      name: 'X-Access-Reason',
      in: 'header',
      required: true,
      description: 'Why staff access this account’s data (audited).',
      schema: { type: 'string', minLength: 5, maxLength: 500 },
    });
  return out;
}

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
const operationId = (spec: RouteSpec) =>
  spec.method +
  openApiPath(spec.path)
    .split(/[/{}.-]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

function operation(spec: RouteSpec): Json {
  const responses: Json = {};
  for (const [status, r] of Object.entries(spec.responses)) responses[status] = successResponse(r);
  const byStatus = new Map<number, string[]>();
  for (const entry of routeProblems(spec)) {
    const [code, status] = problemStatus(entry);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, codes] of byStatus) responses[String(status)] = problemResponse(status, codes);
  const op: Json = {
    operationId: operationId(spec),
    summary: spec.summary,
    tags: [spec.tag],
    security: SECURITY[spec.access],
    parameters: parameters(spec),
    responses,
  };
  if (spec.roles) op.description = `Staff roles: ${spec.roles.join(', ')} (admin holds every role).`;
  if (spec.body) {
    const b = 'contentType' in spec.body ? spec.body : { contentType: 'application/json', schema: spec.body };
    op.requestBody = {
      required: !spec.optionalBody,
      content: { [b.contentType]: { schema: toSchema(b.schema, 'input') } },
    };
  }
  return op;
}

/** The reference page's order: the customer's surface first. */
const TAGS = [
  'Account',
  'Access',
  'Sending',
  'Billing',
  'Contract',
  'Webhooks',
  'Operations',
  'Documentation',
  'Staff',
];

let cached: Json | null = null;

/** The document (built once: the registry is complete once createApp has run). */
export function openApiDocument(): Json {
  if (cached) return cached;
  const paths: Record<string, Json> = {};
  for (const spec of describedRoutes()) (paths[openApiPath(spec.path)] ??= {})[spec.method] = operation(spec);
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Tentacle API',
      version: '1',
      description:
        'B2B SMS and e-mail platform. Errors are application/problem+json with a stable `code`; each operation ' +
        'lists the codes it answers with, by status.',
    },
    tags: TAGS.map((name) => ({ name })),
    paths,
    components: { securitySchemes: SECURITY_SCHEMES },
  };
  return cached;
}
