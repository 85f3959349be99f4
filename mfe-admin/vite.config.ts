import { defineConfig } from "vite";

// A fragment is one ES module exporting the mount lifecycle; React comes from the
// shell's import map, so it stays external.
export default defineConfig({
  build: {
    target: "es2022",
    sourcemap: true,
    lib: { entry: "src/entry.tsx", formats: ["es"], fileName: "entry" },
    rollupOptions: { external: ["react", "react-dom", "react-dom/client", "react/jsx-runtime"] },
  },
});
