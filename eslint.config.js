// ESLint flat config: typescript-eslint's recommended rules over every TypeScript source, test and
// benchmark, plus the few rules that guard this codebase's own conventions. Formatting is Prettier's
// job (.prettierrc.json), so no stylistic rule is enabled here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'benchmarks/out/**', 'benchmarks/tmp/**', 'test-artifacts/**', 'docs/api/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // TypeScript checks undefined names itself (and knows DOM and Node globals by lib/types).
      'no-undef': 'off',
      // `_`-prefixed names are deliberately unused (tuple positions, interface-shaped callbacks).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // type-only imports stay type-only, so the core's declarations never pull a value across layers
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // `cond && act()` and `a ? f() : g()` as statements are an idiom here (short dispatch lines)
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      // escaping and input validation match control characters on purpose
      'no-control-regex': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
