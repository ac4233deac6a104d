// ESLint (flat config): the recommended sets, a few type-aware rules that catch real bugs in async code, a
// 140-character line limit, and the import boundaries between folders (docs/decisions.md, "Linting").
// src/architecture.test.ts checks the same boundaries by resolving every import (dynamic ones included).
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TESTS = ['src/**/*.test.ts', 'src/**/*.case.ts', 'src/**/__fixtures__/**'];
const NOT_SHIPPED = [...TESTS, 'src/test-support/**', 'src/bench/**'];

/** A relative import whose path reaches the folder `folder` (a path under src/, e.g. "report" or "ingest/focus"). */
const into = (folder, message) => ({ regex: `^(\\./|(\\.\\./)+)${folder.replaceAll('/', '\\/')}(/|$)`, message });

const NO_CLI = into('cli', 'Only src/cli/** imports from src/cli/** (commands are the outermost layer).');
const NO_TEST_SUPPORT = into('test-support', 'Shipped code never imports src/test-support/** (it is not in dist/).');
const NO_BENCH = into('bench', 'Shipped code never imports src/bench/** (it is not in dist/).');
const NO_REPORT = into('report', 'src/allocate/** and src/check/** import nothing from src/report/**.');
const NO_SERVER = into('server', 'Only src/cli/** (and src/server/** itself) import from src/server/** (the web server is over src/app).');
const SHIPPED = [NO_CLI, NO_TEST_SUPPORT, NO_BENCH, NO_SERVER];
const INGEST_SOURCES = ['events', 'telemetry', 'focus', 'capacity'];

/** One config object per zone: with flat config the last matching object sets a rule's options, so each lists all its patterns. */
const zone = (files, patterns, ignores = NOT_SHIPPED) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'node_modules/**', '.ci-out/**', 'bench-data/**', 'tokenledger-demo/**', '.tokenledger/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { project: './tsconfig.lint.json', tsconfigRootDir: import.meta.dirname } },
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/max-len': ['error', { code: 140, ignoreUrls: true, ignoreRegExpLiterals: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      // DuckDB values are unions of primitives and value classes with a toString; String(v) and `${v}` are deliberate.
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      // Style rather than bugs; not worth touching files other engineers are editing.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-redundant-type-constituents': 'off',
    },
  },
  {
    // Tests read JSON reports back with JSON.parse (any); the shipped code stays free of unsafe any.
    files: TESTS,
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },

  // Import boundaries. Tests, src/test-support and src/bench may import anything but src/cli.
  zone(['src/**/*.ts'], [NO_CLI], ['src/cli/**']),
  zone(['src/**/*.ts'], SHIPPED),
  zone(['src/cli/**/*.ts'], [NO_TEST_SUPPORT, NO_BENCH]),
  zone(
    ['src/domain/**/*.ts'],
    [{ regex: '^\\.\\./(?!domain/)', message: 'src/domain/** is pure: it imports nothing from the project outside domain.' }, ...SHIPPED],
  ),
  zone(['src/allocate/**/*.ts', 'src/check/**/*.ts'], [NO_REPORT, ...SHIPPED]),
  ...INGEST_SOURCES.map((source) =>
    zone(
      [`src/ingest/${source}/**/*.ts`],
      [
        ...INGEST_SOURCES.filter((other) => other !== source).map((other) =>
          into(other, `src/ingest/${source}/** imports nothing from src/ingest/${other}/** (shared code goes to src/ingest/common/).`),
        ),
        ...SHIPPED,
      ],
    ),
  ),
);
