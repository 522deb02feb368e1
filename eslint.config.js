// Lint rules, and the layers as a rule: each folder imports only the folders below it
// (README, "How the code is laid out"), so a wrong import fails CI.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import tseslint from 'typescript-eslint';

/** Folder → the folders it may import from (besides itself). */
const LAYERS = {
  common: [],
  config: ['common'],
  machines: ['config', 'common'],
  actors: ['machines', 'config', 'common'],
  rpc: ['actors', 'machines', 'config', 'common'],
  app: ['rpc', 'actors', 'machines', 'config', 'common'],
  cli: ['app', 'rpc', 'listener', 'actors', 'machines', 'config', 'common'],
  listener: ['config', 'common'],
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'docs/', 'native/build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.cts'],
    plugins: { boundaries, 'import-x': importX },
    settings: {
      // Whole paths from the project's root: test/actors/x.test.ts is a test, not part of actors/.
      'boundaries/elements': ['test', 'bench', ...Object.keys(LAYERS)].map((type) => ({
        type,
        pattern: `${type}/**`,
        partialMatch: false,
      })),
      'import/resolver': { typescript: { project: './tsconfig.json' } },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: [
            ...Object.entries(LAYERS).map(([from, allowed]) => ({
              from: { element: { type: from } },
              allow: { to: { element: { types: { anyOf: [from, ...allowed] } } } },
            })),
            { from: { element: { types: { anyOf: ['bench', 'test'] } } }, allow: { to: { element: { type: '*' } } } },
            // Packages are not layers.
            { allow: { to: { module: { origin: 'external' } } } },
            { allow: { to: { module: { origin: 'core' } } } },
          ],
        },
      ],
      'import-x/no-cycle': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // A CommonJS file (the supervisorctl launcher) imports with `import x = require()`: with
    // verbatimModuleSyntax, TypeScript's only form there.
    files: ['**/*.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
