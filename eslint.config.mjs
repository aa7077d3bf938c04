// ESLint (flat config): typescript-eslint's recommended rules on every TypeScript file, plus the
// type-aware rules that are cheap and that the house style asks for. `npm run lint`, and a phase
// of `npm test`. Import boundaries between the floors are dependency-cruiser's job
// (.dependency-cruiser.cjs); formatting is Prettier's.
import { builtinModules } from 'node:module';
import eslint from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Every Node built-in, bare (`fs`, `fs/promises`) and prefixed (`node:…`, as a pattern below). */
const NODE_BUILTINS = builtinModules.filter((name) => !name.startsWith('_'));

/**
 * Every cached workflow shares one evaluation of the workflow and domain modules
 * (runtime/workflow-bundle.ts preloads them), so state kept at module level would leak from one
 * workflow to the next. The sandbox freezes what those modules export, not what they keep unexported,
 * and a freeze does not protect a Map's or a Set's entries: these rules refuse the common forms of
 * module state, a module-level variable and a module-level Map or Set. Constants stay read-only by
 * convention.
 */
const MODULE_STATE = ['Program > VariableDeclaration', 'Program > ExportNamedDeclaration > VariableDeclaration'].map((at) => ({
  selector: `${at}[kind!='const']`,
  message: 'Workflow and domain modules are shared by every workflow: keep state inside the workflow function, not in a module-level let or var.',
}));
const MODULE_COLLECTIONS = ['Program > VariableDeclaration', 'Program > ExportNamedDeclaration > VariableDeclaration'].map((at) => ({
  selector: `${at} > VariableDeclarator > NewExpression[callee.name=/^(Map|Set|WeakMap|WeakSet)$/]`,
  message: 'Workflow modules are shared by every workflow: a module-level Map or Set would carry entries from one workflow to the next.',
}));

export default defineConfig([
  globalIgnores(['node_modules/', '.tools/', '.data/', 'dist/', 'coverage/', 'deploy/', 'console/dist/', 'console/.api/', 'console/src/api/schema.d.ts']),

  eslint.configs.recommended,
  tseslint.configs.recommended,

  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      // Type information from tsconfig.json, through the project service (one TypeScript program).
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // House style: no floating promises. Every promise is awaited, returned, or handed to
      // something that handles its rejection; `void promise` marks a deliberate fire-and-forget.
      '@typescript-eslint/no-floating-promises': 'error',
      // Cheap once the types are loaded, and clean today: a promise where a callback returns
      // void (an Express handler, a timer), and `await` on something that is not a promise.
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // House pattern: a leading underscore marks a binding kept on purpose but unused (an
      // Express error handler's `_next`, a field dropped by destructuring `{ closedAt: _closedAt, ...rest }`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },

  {
    // Workflows run in Temporal's deterministic sandbox: no Node built-in (no clock, no I/O,
    // no randomness of their own). dependency-cruiser checks the same floor (`workflows-only-domain`);
    // this rule says it in the editor, on the line.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.map((name) => ({
            name,
            message: 'Workflows run in the Temporal sandbox: no Node built-ins. Do the I/O in an activity.',
          })),
          patterns: [
            {
              group: ['node:*'],
              message: 'Workflows run in the Temporal sandbox: no Node built-ins. Do the I/O in an activity.',
            },
          ],
        },
      ],
      'no-restricted-syntax': ['error', ...MODULE_STATE, ...MODULE_COLLECTIONS],
    },
  },

  {
    // domain/ is shared by all workflows too (runtime/workflow-bundle.ts): no module-level variable.
    // Its module-level Sets and Maps are read-only lookups (and one memo of Intl formats).
    files: ['domain/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...MODULE_STATE] },
  },

  {
    // The few CommonJS configuration files (jest.config.js, .dependency-cruiser.cjs).
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' },
    },
  },
]);
