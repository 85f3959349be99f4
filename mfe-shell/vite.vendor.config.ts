import { createRequire } from "node:module";
import { defineConfig, type Plugin } from "vite";

// The shared libraries every fragment imports through the import map, one ES module per
// specifier in dist/vendor/. Each module keeps the others external, so React is loaded once.
const SHARED = {
  react: "react",
  "react-dom": "react-dom",
  "react-dom-client": "react-dom/client",
  "react-jsx-runtime": "react/jsx-runtime",
} as const;

const require = createRequire(import.meta.url);
const SPECIFIERS: string[] = Object.values(SHARED);
const WRAPPER = "\0vendor:";
const SHIM = "\0shared:";

// Two jobs. (1) React ships CommonJS, and `export * from "react"` would only re-export its
// default: each vendor entry lists the named exports the package really has. (2) Inside the
// bundles, a shared specifier (react-dom's `require("react")`, the SDK's react-dom/client)
// goes through an ES module that imports it by its bare name, which stays external and is
// resolved by the import map at run time; a CommonJS require of an external would not work.
function sharedModules(): Plugin {
  return {
    name: "shared-modules",
    enforce: "pre",
    resolveId(id, importer) {
      // Vite resolves lib entries against the root: keep only what follows the marker.
      if (id.includes("vendor:")) return `\0${id.slice(id.indexOf("vendor:"))}`;
      if (!SPECIFIERS.includes(id) || !importer || importer === `${WRAPPER}${id}`) return undefined;
      return importer.startsWith(SHIM) ? { id, external: true } : `${SHIM}${id}`;
    },
    load(id) {
      if (id.startsWith(SHIM)) {
        const specifier = id.slice(SHIM.length);
        return `export * from "${specifier}";\nexport { default } from "${specifier}";`;
      }
      if (!id.startsWith(WRAPPER)) return undefined;
      const specifier = id.slice(WRAPPER.length);
      const names = Object.keys(require(specifier) as object).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
      return [
        `import * as module from "${specifier}";`,
        `const value = module.default ?? module;`,
        `export default value;`,
        `export const { ${names.join(", ")} } = value;`,
      ].join("\n");
    },
  };
}

export default defineConfig({
  plugins: [sharedModules()],
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  build: {
    target: "es2022",
    outDir: "dist/vendor",
    emptyOutDir: false,
    minify: true,
    lib: {
      entry: {
        ...Object.fromEntries(Object.entries(SHARED).map(([file, specifier]) => [file, `vendor:${specifier}`])),
        // The SDK is the workspace package @platform/sdk (packages/sdk/), built from its source.
        sdk: require.resolve("@platform/sdk"),
      },
      formats: ["es"],
      fileName: (_format, name) => `${name}.js`,
    },
    rollupOptions: {
      // `minify: true` above leaves an ES library's whitespace for bundlers that consume it;
      // these modules go straight to browsers, so the output is minified in full.
      output: { chunkFileNames: "chunk-[hash].js", minify: true, comments: { legal: true, annotation: false, jsdoc: false } },
    },
  },
});
