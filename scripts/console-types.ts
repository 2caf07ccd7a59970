// Writes console/src/api-types.ts, the staff console's types of the API (issue #13), from the
// OpenAPI document the routes' zod schemas generate (GET /openapi.json) with openapi-typescript:
// the console's requests are typed by the document, so a changed body schema fails the console's
// typecheck. `npm run console:types` after changing a route; `--check` (test/unit/console-types.test.ts)
// fails while the file differs from what this generates.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';
import { createApp } from '../api/app';
import { openApiDocument } from '../api/openapi/document';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';

const TYPES_FILE = join(__dirname, __dirname.includes('dist') ? '../..' : '..', 'console/src/api-types.ts');

/** The text of console/src/api-types.ts. */
async function consoleTypes(): Promise<string> {
  // The routers describe themselves when created (api/openapi/registry.ts); nothing is served.
  createApp({
    db: {} as never,
    temporal: {} as never,
    config: loadConfig({ ...process.env, LOG_LEVEL: 'silent' }),
    logger: createLogger('console-types', 'silent'),
  });
  // The staff routes only: the console calls nothing else.
  const doc = openApiDocument() as { paths: Record<string, unknown> };
  const paths = Object.fromEntries(Object.entries(doc.paths).filter(([p]) => p.startsWith('/v1/staff/')));
  const ast = await openapiTS({ ...doc, paths } as unknown as Parameters<typeof openapiTS>[0]);
  const header =
    '// Generated from the staff routes of the OpenAPI document (GET /openapi.json) by `npm run console:types`\n' +
    '// (scripts/console-types.ts, openapi-typescript); do not edit by hand.\n';
  return format(header + astToString(ast), { ...(await resolveConfig(TYPES_FILE)), filepath: TYPES_FILE });
}

// `--check`: exit 1 when the file differs from what the document generates (test/unit/console-types.test.ts).
if (require.main === module)
  consoleTypes().then(
    (text) => {
      if (process.argv.includes('--check')) {
        const same = existsSync(TYPES_FILE) && readFileSync(TYPES_FILE, 'utf8') === text;
        if (!same) console.error(`${TYPES_FILE} differs from the OpenAPI document: run npm run console:types`);
        process.exit(same ? 0 : 1);
      }
      writeFileSync(TYPES_FILE, text);
      console.log(`wrote ${TYPES_FILE}`);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
