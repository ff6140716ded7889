import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One worker: the tfjs engine is a process-wide singleton and the machine has 2 cores.
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
