// Prints what a first page load downloads (gzip) and fails when a budget is exceeded.
// Run by every package's build; it reports whichever dist folders exist.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BUDGETS = { shellOwn: 30 * 1024, firstLoad: 150 * 1024, projects: 60 * 1024 };

function jsFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, String(name)))
    .filter((path) => path.endsWith(".js") && statSync(path).isFile());
}

function gzipSize(paths) {
  return paths.reduce((sum, path) => sum + gzipSync(readFileSync(path), { level: 9 }).length, 0);
}

/** The newest version folder of a fragment's dist (the one its package.json names). */
function fragmentFiles(name) {
  const pkg = join(ROOT, name, "package.json");
  const { version } = JSON.parse(readFileSync(pkg, "utf8"));
  return jsFiles(join(ROOT, name, "dist", version));
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1).padStart(7)} KB`;
const shellDist = join(ROOT, "mfe-shell", "dist");
const vendor = join(shellDist, "vendor");
const rows = {
  "shell (own code)": gzipSize(jsFiles(join(shellDist, "assets"))),
  "platform SDK": gzipSize(jsFiles(vendor).filter((p) => p.endsWith("sdk.js"))),
  "React + React DOM": gzipSize(jsFiles(vendor).filter((p) => !p.endsWith("sdk.js"))),
  "dashboard fragment": gzipSize(fragmentFiles("mfe-dashboard")),
  "admin fragment": gzipSize(fragmentFiles("mfe-admin")),
  "projects fragment": gzipSize(fragmentFiles("mfe-projects")),
};
const shellOwn = rows["shell (own code)"] + rows["platform SDK"];
const firstLoad = shellOwn + rows["React + React DOM"] + rows["dashboard fragment"];

console.log("\nBundle sizes (JavaScript, gzip -9):");
for (const [name, size] of Object.entries(rows)) console.log(`  ${name.padEnd(22)}${kb(size)}`);
const checks = [
  ["shell without React", shellOwn, BUDGETS.shellOwn],
  ["shell + React + dashboard", firstLoad, BUDGETS.firstLoad],
  ["projects fragment", rows["projects fragment"], BUDGETS.projects],
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
