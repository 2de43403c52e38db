import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Removes the temporary folders each test file made (test/helpers/temp.ts).
    setupFiles: ['test/setup/temp-cleanup.ts'],
    // One release tarball per run, shared by the release and fleet tests (built by the first that asks).
    globalSetup: ['test/setup/release-dir.ts'],
    disableConsoleIntercept: true,
    restoreMocks: true,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
})
