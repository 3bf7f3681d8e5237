// Where code may run is enforced here: shared/ is pure, electron/core/ is Node without
// Electron, renderer/ is DOM only. A forbidden import fails `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'net', 'http'];

const corePatterns = [
  {
    group: ['electron', 'electron/*'],
    message: 'electron/core runs in plain Node: never import electron.',
  },
  { group: ['**/renderer/**'], message: 'The core never imports the renderer.' },
];

const rendererImportLimits = [
  {
    group: ['electron', 'electron/*'],
    message: 'The renderer is untrusted: it talks only to window.vault.',
  },
  { group: nodeBuiltins, message: 'The renderer is DOM only.' },
  { group: ['**/electron/**'], message: 'The renderer never imports main-process code.' },
  {
    group: ['libsodium-wrappers-sumo', 'better-sqlite3'],
    message: 'Keys and the vault live in main.',
  },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'shared/ is pure: no Electron.' },
            { group: nodeBuiltins, message: 'shared/ is pure: no Node built-ins.' },
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'shared/ imports only shared/.',
            },
            {
              group: ['libsodium-wrappers-sumo', 'better-sqlite3', 'react', 'react-dom'],
              message: 'shared/ is pure.',
            },
            // Of the packages, only these pure-JS ones: zod for the contract, and zxcvbn-ts so the
            // passphrase meter and main give one estimate (issue 15).
            {
              regex: '^(?!\\.|zod$|@zxcvbn-ts/(core|language-common|language-en)$)',
              message: 'shared/ imports only shared/, zod and the zxcvbn-ts estimator.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer'],
    },
  },
  {
    files: ['electron/core/**/*.ts', 'migrations/**/*.ts'],
    ignores: ['electron/core/platform/crypto.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...corePatterns,
            {
              group: ['libsodium-wrappers-sumo'],
              message: 'Only electron/core/platform/crypto.ts calls libsodium.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/core/platform/crypto.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: corePatterns }] },
  },
  {
    // One owner per table: only a store (and the database module, which opens and migrates the
    // file) writes SQL. Everything else asks the store that owns the table.
    files: ['electron/core/**/*.ts'],
    // vault-lock.ts holds its own side file (never the vault's tables) in an exclusive lock.
    ignores: [
      'electron/core/**/*-store.ts',
      'electron/core/platform/db.ts',
      'electron/core/platform/vault-lock.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(prepare|pragma)$/]',
          message:
            'Only *-store.ts files and platform/db.ts run SQL: ask the store that owns the table.',
        },
        {
          // `.exec` on the database only: a RegExp's exec is no SQL.
          selector:
            "CallExpression[callee.property.name='exec']:matches([callee.object.name=/^db$/i], [callee.object.property.name=/^db$/i])",
          message:
            'Only *-store.ts files and platform/db.ts run SQL: ask the store that owns the table.',
        },
      ],
    },
  },
  {
    // The offline audit tool: may use electron/core (the bundle format, hashes, signatures through
    // platform/crypto.ts), never Electron, the renderer or libsodium directly.
    files: ['cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'cli/ runs in plain Node: never import electron.' }],
          patterns: [
            { regex: '^electron/', message: 'cli/ runs in plain Node: never import electron.' },
            {
              regex: '^(\\.\\./)+electron/(?!core/)',
              message: 'cli/ may use electron/core, never the Electron shell.',
            },
            { group: ['**/renderer/**'], message: 'cli/ never imports the renderer.' },
            {
              group: ['libsodium-wrappers-sumo'],
              message: 'cli/ hashes and verifies through electron/core/platform/crypto.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: rendererImportLimits,
        },
      ],
    },
  },
  {
    // components/ holds parts any screen may use: they know no feature and no store.
    files: ['renderer/components/**/*.ts', 'renderer/components/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...rendererImportLimits,
            {
              group: ['**/features/**', '**/app/**'],
              message: 'A generic component imports no feature and no app wiring.',
            },
          ],
        },
      ],
    },
  },
  {
    // Screens read stores; only a store asks main, so what the page asks for is in one place.
    files: ['renderer/**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='window'][property.name='vault']",
          message: 'Only stores call window.vault: a .tsx file asks a store.',
        },
      ],
    },
  },
  {
    files: [
      'electron/**/*.ts',
      'tests/**/*.ts',
      'scripts/**/*.{ts,mjs,js}',
      'bin/**/*.mjs',
      '*.config.{ts,js}',
    ],
    ignores: ['electron/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/renderer/**'], message: 'Main never imports the renderer.' }] },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.mjs', '*.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
