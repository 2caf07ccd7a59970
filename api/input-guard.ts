// Text PostgreSQL cannot take, refused at the edge: a NUL character (text and jsonb refuse it) and
// a UTF-16 surrogate without its pair (JSON.stringify writes it as a "\ud800" escape, which jsonb
// refuses; as text it would be silently replaced). express.json turns "\u0000" and "\ud800"
// escapes into such strings, a query string or a path segment "%00" into a NUL. One predicate for
// JSON bodies, query strings, path segments, CSV cells and webhook payloads; one 400 answer.
import type { RequestHandler } from 'express';
import { Problem } from './errors';

const UNSAFE = /[\u0000]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSAFE_G = new RegExp(UNSAFE.source, 'g');

/** True when `s` holds a NUL or an unpaired surrogate. */
export function hasUnsafeText(s: string): boolean {
  return UNSAFE.test(s);
}

/** `s` with each NUL / unpaired surrogate replaced by U+FFFD: to keep a refused value for display. */
export function replaceUnsafeText(s: string): string {
  return s.replace(UNSAFE_G, '\ufffd');
}

/**
 * The path of the first string (value or object key) in `value` that holds unsafe text, or null.
 * Iterative, so that a deeply nested body cannot overflow the stack.
 */
export function findUnsafeText(value: unknown): (string | number)[] | null {
  // Each entry links to its parent: the path is built only for a hit, so the walk stays linear.
  type Entry = { v: unknown; key: string | number | null; up: Entry | null };
  const pathOf = (e: Entry | null, last?: string): (string | number)[] => {
    const out: (string | number)[] = last === undefined ? [] : [last];
    for (let x = e; x && x.key !== null; x = x.up) out.push(x.key);
    return out.reverse();
  };
  const stack: Entry[] = [{ v: value, key: null, up: null }];
  while (stack.length) {
    const e = stack.pop()!;
    const v = e.v;
    if (typeof v === 'string') {
      if (hasUnsafeText(v)) return pathOf(e);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], key: i, up: e });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (hasUnsafeText(k)) return pathOf(e, k);
        stack.push({ v: x, key: k, up: e });
      }
    }
  }
  return null;
}

const UNSAFE_MESSAGE = 'NUL characters and unpaired UTF-16 surrogates are not accepted.';

/** 400 invalid_characters naming where the value was (`body.to`, `query.after`, `path`, …). */
export function invalidCharacters(path: (string | number)[], message = UNSAFE_MESSAGE): Problem {
  return new Problem(400, 'invalid_characters', 'Invalid characters', message, {
    errors: [{ path: path.join('.'), code: 'invalid_characters', message }],
  });
}

/** Throws invalid_characters when `value` holds unsafe text anywhere; `where` prefixes the path. */
export function assertSafeText(value: unknown, where: string): void {
  const path = findUnsafeText(value);
  if (path) throw invalidCharacters([where, ...path]);
}

/**
 * Mounted after the JSON parser, before every route: the path (percent-decoded as the router
 * will decode its parameters: a malformed escape such as %FF is refused here, not a 500 there),
 * the query string and the parsed body.
 */
export const rejectUnsafeInput: RequestHandler = (req, _res, next) => {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    throw invalidCharacters(['path'], 'The path is not valid percent-encoded UTF-8.');
  }
  if (hasUnsafeText(path)) throw invalidCharacters(['path']);
  assertSafeText(req.query, 'query');
  assertSafeText(req.body, 'body');
  next();
};
