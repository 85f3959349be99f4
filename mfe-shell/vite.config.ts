import { defineConfig } from "vite";

// The gateway serves this app's HTML for every page and its assets under /shell/.
export default defineConfig({
  base: "/shell/",
  build: { target: "es2022", sourcemap: true },
});
