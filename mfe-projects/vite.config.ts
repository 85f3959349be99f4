import { readFileSync } from "node:fs";
import { defineConfig } from "vite";

// A fragment is one ES module exporting the mount lifecycle, written to dist/<version>/ so
// every published version keeps its own immutable URL. React and the SDK come from the
// shell's import map, so they stay external. Its CSS is written beside it as entry.css, a
// file the shell links inside the fragment's shadow root: the page's CSP admits no inline
// <style>, so CSS must never be injected from JavaScript.
const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

// `npm run watch` (mode development) rebuilds into dist/dev/ for a local override, never into
// a version's folder: a published version's files must stay the bytes that were published.
export default defineConfig(({ mode }) => ({
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  build: {
    target: "es2022",
    sourcemap: true,
    outDir: mode === "development" ? "dist/dev" : `dist/${version}`,
    emptyOutDir: true,
    lib: { entry: "src/entry.tsx", formats: ["es"], fileName: () => "entry.js", cssFileName: "entry" },
    rollupOptions: {
      external: ["react", "react-dom", "react-dom/client", "react/jsx-runtime", "@platform/sdk"],
      // Vite keeps an ES library readable (whitespace, pure annotations) for bundlers that
      // consume it; this module goes straight to browsers, so it is minified in full.
      output: { minify: true, comments: { legal: true, annotation: false, jsdoc: false } },
    },
  },
}));
