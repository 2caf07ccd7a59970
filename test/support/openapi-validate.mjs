// Validates the OpenAPI document read on stdin; prints {version, valid, errors}. A child process
// of test/integration/openapi-coverage.test.ts because the validator is an ES module.
import { Validator } from '@seriousme/openapi-schema-validator';

let text = '';
process.stdin.on('data', (d) => (text += d));
process.stdin.on('end', async () => {
  const v = new Validator();
  const r = await v.validate(JSON.parse(text));
  process.stdout.write(JSON.stringify({ version: v.version, valid: r.valid, errors: r.errors ?? null }));
});
