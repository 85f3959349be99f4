import { readFileSync } from "node:fs";
import { defineConfig } from "vite";

// A fragment is one ES module exporting the mount lifecycle, written to dist/<version>/ so
// every published version keeps its own immutable URL. React and @platform/sdk come from the
// shell's import map, so they stay external. CSS is written beside it as entry.css, which the
// shell links inside the fragment's shadow root (the page's CSP admits no inline <style>).
// `npm run dev` serves index.html instead: the fragment mounted with a stand-in context.
// `npm run watch` (mode development) rebuilds into dist/dev/ for a local override, never into
// a version's folder: a published version's files must stay the bytes that were published.
const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

export default defineConfig(({ mode }) => ({
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  build: {
    target: "es2022",
    sourcemap: true,
    outDir: mode === "development" ? "dist/dev" : `dist/${version}`,
    emptyOutDir: true,
    lib: { entry: "src/__FRAGMENT_ENTRY__", formats: ["es"], fileName: () => "entry.js", cssFileName: "entry" },
    rollupOptions: {
      external: ["react", "react-dom", "react-dom/client", "react/jsx-runtime", "@platform/sdk"],
      output: { minify: true, comments: { legal: true, annotation: false, jsdoc: false } },
    },
  },
}));
