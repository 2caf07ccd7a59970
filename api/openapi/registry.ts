// The one registry of the API's operations: each route file describes its routes here, next to
// them, with the SAME zod schemas the route parses with; api/openapi/document.ts turns it into
// the OpenAPI 3.1 document (GET /openapi.json). A route mounted without a description, or one
// answering a status or problem code not listed, fails test/integration/openapi-coverage.test.ts.
import { z, type ZodType } from 'zod';

/** Who may call: the security requirement, and the problems its middleware answers with. */
export type Access =
  | 'public' // no credentials (registration, logins, /health, a notice's token link)
  | 'customer' // Bearer tk_… (API key) or Bearer ts_… (member session), api/auth.ts
  | 'member' // Bearer ts_… only: acts that need a person (requireMemberSession)
  | 'staff' // Bearer ss_… (staff session: password + TOTP at login), api/staff-auth.ts
  | 'metrics' // Bearer METRICS_TOKEN when set, else open on loopback
  | 'twilio' // X-Twilio-Signature over the URL and form
  | 'sendgrid' // X-Twilio-Email-Event-Webhook-Signature (ECDSA) over timestamp + raw body
  | 'payment'; // Tentacle-Signature: t=…,v1=… (HMAC-SHA256 over timestamp + raw body)

/** A success (or webhook-specific) response: a zod schema of JSON, or another media type. */
export type ResponseSpec = ZodType | { contentType: string; schema?: ZodType; description?: string } | null;

export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** The Express path, as mounted: `/v1/campaigns/:id/start`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  /** Staff roles that may call (admin always may): adds 403 role_required. */
  roles?: readonly string[];
  /** Needs the X-Access-Reason header (staff reads and acts on an account's data). */
  accessReason?: boolean;
  /** Path parameters (each a string in the path). */
  params?: Record<string, ZodType>;
  /** The query string's schema (an object schema), as the route parses it. */
  query?: ZodType;
  /** Request headers the route reads, by name. */
  headers?: Record<string, { schema: ZodType; required?: boolean; description?: string }>;
  /** The JSON body's schema, as the route parses it, or another media type. */
  body?: ZodType | { contentType: string; schema: ZodType; description?: string };
  /** The body may be left out (the route parses `req.body ?? {}`). */
  optionalBody?: boolean;
  /** Responses by status (2xx and any other non-problem answer). null: no content. */
  responses: Record<number, ResponseSpec>;
  /** The problem+json codes the route itself (or its middlewares beyond `access`) answers with. */
  problems?: readonly string[];
  /** Mounted before the JSON parser, input guard and maintenance gate (webhooks, /metrics). */
  early?: boolean;
}

/**
 * Each stable problem code and its usual HTTP status (api/errors.ts Problem). A route answering a
 * code with another status lists it as `code@status` (account_terminated@409).
 */
const PROBLEM_STATUS: Record<string, number> = {
  validation_failed: 400,
  malformed_json: 400,
  invalid_characters: 400,
  access_reason_required: 400,
  invalid_idempotency_key: 400,
  invalid_mid: 400,
  invalid_csv_header: 400,
  malformed_csv: 400,
  unauthorized: 401,
  invalid_signature: 401,
  insufficient_balance: 402,
  member_session_required: 403,
  staff_credentials_required: 403,
  role_required: 403,
  account_suspended: 403,
  account_terminated: 403,
  not_found: 404,
  username_taken: 409,
  idempotency_key_reused: 409,
  campaign_not_editable: 409,
  campaign_not_ready: 409,
  campaign_not_running: 409,
  campaign_finished: 409,
  invalid_transition: 409,
  invoice_deemed_accepted: 409,
  dispute_already_resolved: 409,
  legal_rate_exists: 409,
  terms_version_exists: 409,
  case_closed: 409,
  clock_not_running: 409,
  refused: 409,
  contract_ended: 409,
  case_not_awaiting_cure: 409,
  termination_right_not_open: 409,
  data_return_window_closed: 409,
  already_notified: 409,
  prices_changed: 409,
  account_not_terminated: 409,
  no_subscription: 409,
  not_a_pack_account: 409,
  not_a_subscription_account: 409,
  already_partly_credited: 409,
  credit_exceeds_invoice: 409,
  account_not_found: 409,
  data_destroyed: 410,
  payload_too_large: 413,
  unsupported_encoding: 415,
  unsupported_media_type: 415,
  invalid_sender: 422,
  sender_conflict: 422,
  too_many_recipients: 422,
  missing_data: 422,
  invalid_template: 422,
  subject_required: 422,
  subject_not_allowed: 422,
  not_an_invoice: 422,
  price_not_found: 422,
  unknown_account: 422,
  event_in_future: 422,
  start_in_future: 422,
  window_invalid: 422,
  not_a_subscription: 422,
  billing_suspension: 422,
  terms_version_not_current: 422,
  missing_variable: 422,
  recipient_suppressed: 422,
  invalid_phone: 422,
  invalid_email: 422,
  malformed_row: 422,
  no_price: 422,
  invalid_amount: 422,
  invoice_not_found: 422,
  order_too_large: 422,
  login_throttled: 429,
  rate_limited: 429,
  internal_error: 500,
  webhook_not_configured: 503,
  report_not_applied: 503,
  invoice_workflow_unavailable: 503,
  maintenance: 503,
  intake_busy: 503,
  invalid_reset_token: 400,
  invalid_totp_code: 400,
  invalid_cursor: 400,
  totp_required: 401,
  wrong_password: 403,
  forbidden_role: 403,
  totp_enrolment_required: 403,
  suppression_from_stop: 409,
  totp_already_enabled: 409,
  totp_not_started: 409,
  totp_not_enrolled: 409,
  last_owner: 409,
  already_member: 409,
  webhook_endpoint_disabled: 409,
  invitation_expired: 410,
  empty_import: 422,
  too_many_rows: 422,
  invalid_rows: 422,
  webhook_url_invalid: 422,
  webhook_url_insecure: 422,
  webhook_url_forbidden: 422,
  reset_throttled: 429,
};

/** `code` or `code@status` → [code, status]. */
export function problemStatus(entry: string): [string, number] {
  const [code, status] = entry.split('@');
  const s = status ? Number(status) : PROBLEM_STATUS[code];
  if (!s) throw new Error(`unknown problem code ${entry}`);
  return [code, s];
}

/** What api/contract-clock.ts clockUpdate answers with: a clock's refusal, or no clock running. */
export const CLOCK_REFUSALS = [
  'refused',
  'clock_not_running',
  'contract_ended',
  'case_not_awaiting_cure',
  'case_closed',
  'termination_right_not_open',
  'data_return_window_closed',
  'already_notified',
] as const;

const routes = new Map<string, RouteSpec>();

/** Describes one route (called next to it; createApp may run more than once: the last wins). */
export function describeRoute(spec: RouteSpec): void {
  for (const entry of spec.problems ?? []) problemStatus(entry); // a typo fails at start-up
  routes.set(`${spec.method.toUpperCase()} ${spec.path}`, spec);
}

export const describedRoutes = (): RouteSpec[] => [...routes.values()];

/** A JSON object response whose fields this document does not spell out (yet). */
export const jsonObject = z.looseObject({});

/** A notice's e-mailed link: `?token=` (43 base64url characters) is the credential. */
export const noticeTokenQuery = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });
