import { defineConfig } from "vitest/config";
import { coverage } from "../vitest.coverage.mts";

export default defineConfig({
  test: {
    environment: "node",
    include: ["src/**/*.test.{ts,tsx}"],
    coverage: coverage("mfe-shell", 90),
  },
});
