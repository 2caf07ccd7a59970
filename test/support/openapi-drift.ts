// Drift between the API and its document, caught in every integration test that uses
// startSystem: each response is matched to its operation in GET /openapi.json's document and
// its status (and, for problem+json, its `code`) must be one the operation lists. stop() throws
// with the list, so the test file that exercised an undocumented answer fails (a 500 is never
// documented: an unexpected error fails the file that caused it, too).
import type { IncomingMessage, ServerResponse } from 'node:http';

type Json = Record<string, unknown>;
interface Operation {
  key: string;
  method: string;
  re: RegExp;
  literal: number;
  responses: Record<string, Json>;
}

function operations(doc: Json): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    const re = new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+').replace(/\./g, '\\.')}/?$`, 'i');
    const literal = path.replace(/\{\w+\}/g, '').length;
    for (const [method, op] of Object.entries(item))
      out.push({
        key: `${method.toUpperCase()} ${path}`,
        method,
        re,
        literal,
        responses: op.responses as Operation['responses'],
      });
  }
  return out.sort((a, b) => b.literal - a.literal); // /v1/account/export before /v1/accounts/{id}
}

function documentedCodes(response: Json | undefined): string[] | null {
  const content = response?.content as Record<string, { schema?: Json }> | undefined;
  const schema = content?.['application/problem+json']?.schema as { properties?: { code?: { enum?: string[] } } };
  return schema?.properties?.code?.enum ?? null;
}

export interface DriftRecorder {
  watch(req: IncomingMessage, res: ServerResponse): void;
  /** "METHOD /path → status code" for every undocumented answer, each once. */
  drift(): string[];
}

export function driftRecorder(doc: Json): DriftRecorder {
  const ops = operations(doc);
  const found = new Set<string>();
  return {
    drift: () => [...found],
    watch(req, res) {
      const path = (req.url ?? '/').split('?')[0]; // raw, as Express matches it (%2F is no separator)
      const method = req.method === 'HEAD' ? 'get' : (req.method ?? 'GET').toLowerCase();
      let code: string | undefined;
      const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
      res.end = ((...args: unknown[]) => {
        const type = String(res.getHeader('content-type') ?? '');
        if (type.startsWith('application/problem+json') && args[0] !== undefined && typeof args[0] !== 'function') {
          try {
            code = JSON.parse(String(args[0])).code;
          } catch {
            code = '(unparsable problem)';
          }
        }
        return end(...args);
      }) as typeof res.end;
      res.on('finish', () => {
        if (path.startsWith('/docs/')) return; // the renderer's static assets (swagger-ui-dist)
        if (path === '/console' || path.startsWith('/console/')) return; // the staff console's files (api/console.ts)
        if (req.method === 'OPTIONS') return; // Express's automatic answer (Allow), no route's
        const op = ops.find((o) => o.method === method && o.re.test(path));
        const status = res.statusCode;
        if (!op) {
          // No such route: the app-wide 404 (or a path the input guard refuses) is expected.
          if ((status === 404 && code === 'not_found') || (status === 400 && code === 'invalid_characters')) return;
          found.add(`${req.method} ${path} → ${status} ${code ?? ''} (no operation in the document)`);
          return;
        }
        const response = op.responses[String(status)];
        if (!response) {
          found.add(`${op.key} → ${status} ${code ?? ''} (status not documented)`);
          return;
        }
        const codes = documentedCodes(response);
        if (code !== undefined && !codes?.includes(code))
          found.add(`${op.key} → ${status} ${code} (code not documented)`);
      });
    },
  };
}
