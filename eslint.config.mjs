// ESLint (flat config) over the TypeScript sources, run by `npm test` (pnpm lint). Deliberately
// small and syntactic (no type-aware rules, so it runs in seconds): the checks the code's own
// `eslint-disable` comments refer to, and that every such comment still suppresses something.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.cache/**', 'reports/**', '**/*.d.ts'] },
  {
    files: ['**/*.ts', '**/*.mts'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `any` switches type checking off: where a dynamic import really is untyped, say so with a disable comment.
      '@typescript-eslint/no-explicit-any': 'error',
      // @ts-ignore / @ts-nocheck hide errors silently; @ts-expect-error needs a description.
      '@typescript-eslint/ban-ts-comment': 'error',
      'no-debugger': 'error',
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
);
