// Lint rules: typescript-eslint's recommended set, plus rules that keep workflows deterministic and
// promises awaited.
const tseslint = require('typescript-eslint');
const { builtinModules } = require('node:module');

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      // A parameter a signature requires but the body does not read (Express's four-argument error
      // handler, update validators that check state only, router factories) is named `_x`.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The staff console runs in the browser: its own tsconfig (DOM types, bundler resolution).
    files: ['console/**/*.ts'],
    languageOptions: { parserOptions: { project: './console/tsconfig.json', tsconfigRootDir: __dirname } },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox and is replayed: no Node built-ins,
    // no I/O libraries. domain/ is imported by workflows, so the same holds there.
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Workflows and domain/ must stay deterministic: no Node built-ins.',
          })),
          patterns: [
            {
              group: [
                'knex',
                'pg',
                'twilio',
                '@sendgrid/*',
                'undici',
                'express',
                '../lib/*',
                '../activities/*',
                '../api/*',
              ],
              message: 'No I/O in workflows or domain/ (import activity types with `import type`).',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
