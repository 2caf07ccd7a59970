// docs/configuration.md is generated from lib/config.ts's schema: this fails when the two differ
// (a variable added, renamed or re-described without `npm run config:doc`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '../../lib/config';
import { configMarkdown } from '../../scripts/config-doc';

describe('docs/configuration.md', () => {
  it('When the page is compared with what the config schema generates, then they are identical', () => {
    const page = readFileSync(join(__dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');
    expect(page).toBe(configMarkdown());
  });
  it('When the page is generated, then every variable of the schema has a row with a description', () => {
    const md = configMarkdown();
    for (const name of Object.keys(configSchema.shape)) {
      expect(md).toMatch(new RegExp(`^\\| \`${name}\` \\| [^|]+ \\| \\S.*\\|$`, 'm'));
    }
  });
});
