// The staff console's client of the staff API (issue #13): the same routes as any other client
// (/v1/staff/...), the session token (POST /v1/staff/sessions) kept in this tab's sessionStorage,
// and the X-Access-Reason of Appendix 1: asked once per scope (an account, or a register across
// accounts) and kept for the session, so that the API's audit entry carries it. Problems
// (application/problem+json) are thrown as ApiError with their stable code.
import type { paths } from './api-types';
import { askReason } from './reason';

export type Role = 'operations' | 'compliance' | 'billing' | 'admin';
export interface Me {
  id: string;
  username: string;
  roles: Role[];
  expiresAt: string;
  temporalWorkflowsUrl: string | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN = 'tentacle.staff.token';
const REASONS = 'tentacle.staff.reasons';

export const session = {
  token: () => sessionStorage.getItem(TOKEN),
  set: (token: string) => sessionStorage.setItem(TOKEN, token),
  clear: () => {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(REASONS);
  },
};

function reasons(): Record<string, string> {
  try {
    return JSON.parse(sessionStorage.getItem(REASONS) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}
export function rememberReason(scope: string, reason: string): void {
  sessionStorage.setItem(REASONS, JSON.stringify({ ...reasons(), [scope]: reason }));
}
export const reasonFor = (scope: string): string | undefined => reasons()[scope];

/** The reason for a scope, asked once even when a page's parallel calls all need it. */
const asking = new Map<string, Promise<string>>();
function reasonOnce(scope: string): Promise<string> {
  let p = asking.get(scope);
  if (!p) {
    p = askReason(scope).then((r) => {
      rememberReason(scope, r);
      return r;
    });
    p.finally(() => asking.delete(scope)).catch(() => undefined);
    asking.set(scope, p);
  }
  return p;
}

/** Called on 401: the session expired or was revoked. */
let onUnauthorized: () => void = () => undefined;
export const whenUnauthorized = (f: () => void) => (onUnauthorized = f);

interface Options {
  body?: unknown;
  /** The data read or changed is an account's (or a register's): the reason asked for this scope. */
  reason?: string;
}

export async function call<T>(method: string, path: string, opts: Options = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.reason) {
    headers['x-access-reason'] = reasonFor(opts.reason) ?? (await reasonOnce(opts.reason));
  }
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    cache: 'no-store', // customer data stays out of the browser's cache (and no 304 revalidation)
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  if (res.status === 204) return undefined as T;
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const p = json as { code?: string; detail?: string; title?: string; errors?: { message: string }[] };
    if (res.status === 401 && path !== '/v1/staff/sessions') onUnauthorized();
    const detail = p.errors?.length ? p.errors.map((e) => e.message).join('; ') : (p.detail ?? p.title);
    throw new ApiError(res.status, p.code ?? 'error', detail ?? `HTTP ${res.status}`);
  }
  return json as T;
}

export const get = <T>(path: string, reason?: string) => call<T>('GET', path, { reason });

type Method = 'post' | 'put' | 'delete';
/** The staff paths (as the OpenAPI document writes them: `/v1/staff/cases/{id}/cure`) with this method. */
type PathOf<M extends Method> = { [P in keyof paths]: paths[P][M] extends object ? P : never }[keyof paths];
/** The JSON body the OpenAPI document gives that operation (console/src/api-types.ts, generated). */
type BodyOf<P extends keyof paths, M extends Method> =
  NonNullable<paths[P][M]> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : undefined;

/**
 * A change through the staff API, typed by the OpenAPI document: the path template, its
 * parameters and a body of the operation's schema (a changed schema fails the console's build).
 */
export function send<T, M extends Method, P extends PathOf<M>>(
  method: M,
  template: P,
  params: Record<string, string>,
  body: BodyOf<P, M>,
  reason?: string,
): Promise<T> {
  const path = String(template).replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params[k]));
  return call<T>(method.toUpperCase(), path, { body, reason });
}

/** A query string from the defined values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
