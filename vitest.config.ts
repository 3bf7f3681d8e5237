import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'tests/unit/**/*.test.ts',
      'tests/migrations/**/*.test.ts',
      'tests/attacks/**/*.test.ts',
      'tests/e2e/**/*.test.ts',
      'tests/electron/**/*.test.ts',
      'tests/attacks/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Argon2id at 64 MiB on 2 cores: keep parallelism low so timings stay sane.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
