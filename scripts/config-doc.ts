// Writes docs/configuration.md from the zod schema of lib/config.ts (each field's default and
// `.describe()`), so the page cannot drift from the code: `npm run config:doc` after changing the
// schema; test/unit/config-doc.test.ts fails while the page differs from what this generates.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { configSchema } from '../lib/config';

interface Field {
  description?: string;
  default?: unknown;
  enum?: unknown[];
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The Markdown of docs/configuration.md. */
export function configMarkdown(): string {
  const { properties } = z.toJSONSchema(configSchema, { io: 'input' }) as { properties: Record<string, Field> };
  const rows = Object.entries(properties).map(([name, f]) => {
    if (!f.description) throw new Error(`lib/config.ts: ${name} has no .describe()`);
    const dflt = f.default === undefined ? 'unset' : `\`${String(f.default)}\``;
    const values = f.enum ? ` One of ${f.enum.map((v) => `\`${String(v)}\``).join(', ')}.` : '';
    return `| \`${name}\` | ${cell(dflt)} | ${cell(f.description + values)} |`;
  });
  return [
    '# Configuration',
    '',
    '<!-- Generated from the zod schema of lib/config.ts by `npm run config:doc`; do not edit by hand. -->',
    '',
    'Every process (API, lifecycle worker, send worker) reads these environment variables once at start',
    '(`loadConfig`, lib/config.ts) and refuses to start when one is invalid. `npm start` sets the',
    'database, Temporal and carrier variables to its embedded servers and the carrier simulator; the',
    'ports of `npm start` itself are in README.md.',
    '',
    '| variable | default | description |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

if (require.main === module) {
  const file = join(process.cwd(), 'docs', 'configuration.md');
  writeFileSync(file, configMarkdown());
  console.log(`wrote ${file}`);
}
