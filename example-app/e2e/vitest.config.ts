import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    // One browser and a few servers at a time: the files share the machine's two cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A failure is a failure: no retries that could hide a flaky app.
    retry: 0,
  },
});
