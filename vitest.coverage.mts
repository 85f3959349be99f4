// Coverage settings every workspace's vitest.config.ts shares. Measured only when asked
// (`vitest run --coverage`, as `make test` does); reports go to the git-ignored
// test-artifacts/coverage/<workspace>/ (HTML) and a summary to the terminal.
// An .mts file imported with its extension (tsconfig.base.json allows it): an ES module
// whatever the root package.json says, resolved as Node's own loader would, so Vite's config
// loader has nothing to warn about.
import path from "node:path";
import type { CoverageOptions } from "vitest/node";

const ROOT = path.dirname(new URL(import.meta.url).pathname);

export function coverage(workspace: string, floor: number): CoverageOptions {
  return {
    provider: "v8",
    include: ["src/**/*.{ts,tsx}"],
    exclude: ["src/**/*.test.{ts,tsx}", "src/**/*.d.ts"],
    reporter: ["text-summary", "html"],
    reportsDirectory: path.join(ROOT, "test-artifacts/coverage", workspace),
    thresholds: { lines: floor, statements: floor, functions: floor, branches: floor },
  };
}
