#!/usr/bin/env node
// Prints what a first page load downloads (gzip) and fails when a budget is exceeded.
// Run by the shell's and the fragments' builds (`fragment-bundle-report`); it reports
// whichever dist folders exist. A fragment sets its own budget in its package.json
// ("bundleBudgetKb": 60); the first page after signing in is the first navigation entry a
// member sees (lowest fragment.nav.order), so no fragment is named here.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BUDGETS = { shellOwn: 30 * 1024, firstLoad: 150 * 1024 };

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
    .map(({ folder, pkg }) => ({
      name: pkg.fragment.name,
      files: jsFiles(join(ROOT, folder, "dist", pkg.version)),
      budget: pkg.bundleBudgetKb && pkg.bundleBudgetKb * 1024,
      navOrder: pkg.fragment.nav && (pkg.fragment.roles ?? []).includes("member") ? (pkg.fragment.nav.order ?? 100) : Infinity,
    }));
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1).padStart(7)} KB`;
const shellDist = join(ROOT, "mfe-shell", "dist");
const vendor = join(shellDist, "vendor");
const rows = {
  "shell (own code)": gzipSize(jsFiles(join(shellDist, "assets"))),
  "platform SDK": gzipSize(jsFiles(vendor).filter((p) => p.endsWith("sdk.js"))),
  "React + React DOM": gzipSize(jsFiles(vendor).filter((p) => !p.endsWith("sdk.js"))),
};
const found = fragments();
for (const { name, files } of found) rows[`${name} fragment`] = gzipSize(files);
const shellOwn = rows["shell (own code)"] + rows["platform SDK"];
// The shell lands a signed-in user on its first navigation link.
const firstPage = found.filter((f) => f.navOrder !== Infinity).sort((a, b) => a.navOrder - b.navOrder)[0]?.name ?? "no fragment";
const firstLoad = shellOwn + rows["React + React DOM"] + (rows[`${firstPage} fragment`] ?? 0);

console.log("\nBundle sizes (JavaScript, gzip -9):");
for (const [name, size] of Object.entries(rows)) console.log(`  ${name.padEnd(22)}${kb(size)}`);
const checks = [
  ["shell without React", shellOwn, BUDGETS.shellOwn],
  [`shell + React + ${firstPage}`, firstLoad, BUDGETS.firstLoad],
  ...found.filter((f) => f.budget).map(({ name, budget }) => [`${name} fragment`, rows[`${name} fragment`], budget]),
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
