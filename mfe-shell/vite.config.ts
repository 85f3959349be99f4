import { defineConfig } from "vite";

// The gateway serves this app's HTML for every page and its assets under /shell/.
// React, React DOM and the SDK come from dist/vendor through the import map (see
// vite.vendor.config.ts), so the shell's own bundle stays small and fragments share them.
export default defineConfig({
  base: "/shell/",
  build: {
    target: "es2022",
    sourcemap: true,
    emptyOutDir: true,
    rollupOptions: {
      external: ["react", "react-dom", "react-dom/client", "react/jsx-runtime", "@platform/sdk"],
    },
  },
});
