import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The web page's .tsx compiles with Hono's JSX runtime. Vite 8 (oxc) reads it from tsconfig.json
  // too; stated here as well so moving tsconfig can't silently switch to oxc's default, React.
  oxc: { jsx: { runtime: 'automatic', importSource: 'hono/jsx' } },
  test: {
    include: [
      'services/**/*.test.{ts,tsx}',
      'test/**/*.test.{ts,tsx}',
      'local/**/*.test.ts',
      'statemachine/**/*.test.ts',
      'infra/**/*.test.ts',
    ],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
