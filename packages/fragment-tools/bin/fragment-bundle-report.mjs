#!/usr/bin/env node
// Prints what a first page load downloads (gzip) and fails when a budget is exceeded.
// Run by the shell's and the fragments' builds (`fragment-bundle-report`); it reports
// whichever dist folders exist.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BUDGETS = { shellOwn: 30 * 1024, firstLoad: 150 * 1024 };
// Budgets of single fragments, by registry name; every fragment found is reported.
const FRAGMENT_BUDGETS = { projects: 60 * 1024 };
const FIRST_PAGE = "dashboard";

function jsFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, String(name)))
    .filter((path) => path.endsWith(".js") && statSync(path).isFile());
}

function gzipSize(paths) {
  return paths.reduce((sum, path) => sum + gzipSync(readFileSync(path), { level: 9 }).length, 0);
}

/** The fragments of the workspace: every mfe-<name>/ whose package.json has a "fragment" block. */
function fragments() {
  return readdirSync(ROOT)
    .filter((folder) => folder.startsWith("mfe-") && existsSync(join(ROOT, folder, "package.json")))
    .map((folder) => ({ folder, pkg: JSON.parse(readFileSync(join(ROOT, folder, "package.json"), "utf8")) }))
    .filter(({ pkg }) => pkg.fragment)
    .map(({ folder, pkg }) => ({ name: pkg.fragment.name, files: jsFiles(join(ROOT, folder, "dist", pkg.version)) }));
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1).padStart(7)} KB`;
const shellDist = join(ROOT, "mfe-shell", "dist");
const vendor = join(shellDist, "vendor");
const rows = {
  "shell (own code)": gzipSize(jsFiles(join(shellDist, "assets"))),
  "platform SDK": gzipSize(jsFiles(vendor).filter((p) => p.endsWith("sdk.js"))),
  "React + React DOM": gzipSize(jsFiles(vendor).filter((p) => !p.endsWith("sdk.js"))),
};
for (const { name, files } of fragments()) rows[`${name} fragment`] = gzipSize(files);
const shellOwn = rows["shell (own code)"] + rows["platform SDK"];
// The first page after signing in is the dashboard's.
const firstLoad = shellOwn + rows["React + React DOM"] + (rows[`${FIRST_PAGE} fragment`] ?? 0);

console.log("\nBundle sizes (JavaScript, gzip -9):");
for (const [name, size] of Object.entries(rows)) console.log(`  ${name.padEnd(22)}${kb(size)}`);
const checks = [
  ["shell without React", shellOwn, BUDGETS.shellOwn],
  [`shell + React + ${FIRST_PAGE}`, firstLoad, BUDGETS.firstLoad],
  ...Object.entries(FRAGMENT_BUDGETS)
    .filter(([name]) => `${name} fragment` in rows)
    .map(([name, budget]) => [`${name} fragment`, rows[`${name} fragment`], budget]),
];
let over = false;
for (const [name, size, budget] of checks) {
  const ok = size <= budget;
  over ||= !ok;
  console.log(`  ${ok ? "ok  " : "OVER"} ${name.padEnd(27)}${kb(size)} of ${kb(budget).trim()}`);
}
if (over) {
  console.error("A bundle budget is exceeded (see above).");
  process.exit(1);
}
