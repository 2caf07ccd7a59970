// Lets a child process run TypeScript sources directly (`node -r ./test/support/swc-register.js
// workers/send.ts`) with the same @swc/core transform jest uses: reliability tests kill and
// restart real worker processes without a build step or a stale dist/.
'use strict';
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTs(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
