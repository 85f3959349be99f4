#!/usr/bin/env node
// Creates a fragment folder from a template: `make new-fragment NAME=<name> [TEMPLATE=react|vanilla]`.
//
//   node infra/scripts/new-fragment.mjs --name reports [--template react|vanilla] [--into <folder>]
//
// Writes <into>/mfe-<name>/ (the repository root by default) from templates/fragment-common/
// and templates/fragment-<template>/, with __FRAGMENT_NAME__ and __FRAGMENT_ENTRY__ filled in.
// No platform file is edited: the root package.json's workspaces take every mfe-*/ folder
// (`make new-fragment` runs `npm install` afterwards to link it), and in development the one
// fragment host serves it under /fragments/<name>/ as soon as it is built. Node built-ins only.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TEMPLATES = join(ROOT, "templates");
// The registry's rule for fragment names, from the manifest contract's generated JSON Schema.
const MANIFEST_SCHEMA = join(ROOT, "packages", "sdk", "contract", "manifest.schema.json");
const NAME = new RegExp(JSON.parse(readFileSync(MANIFEST_SCHEMA, "utf8")).$defs.ManifestFragment.properties.name.pattern);

class UsageError extends Error {}

function options() {
  const { values } = parseArgs({
    options: {
      name: { type: "string" },
      template: { type: "string", default: "react" },
      into: { type: "string", default: ROOT },
    },
  });
  return values;
}

function templates() {
  return readdirSync(TEMPLATES)
    .filter((entry) => entry.startsWith("fragment-") && existsSync(join(TEMPLATES, entry, "template.json")))
    .map((entry) => entry.slice("fragment-".length));
}

/** The paths the platform serves itself (core-api's PLATFORM_PATHS, the list the registry checks). */
function platformPaths() {
  const python = join(ROOT, ".venv", "bin", "python");
  if (!existsSync(python)) throw new UsageError("the Python environment is missing: run `make setup` first");
  const script = "from core_api.registry.checks import PLATFORM_PATHS; print('\\n'.join(PLATFORM_PATHS))";
  return execFileSync(python, ["-c", script], { encoding: "utf8" }).split("\n").filter(Boolean);
}

/** Every fragment of the repository: folder and registry name. */
function fragments() {
  return readdirSync(ROOT)
    .filter((entry) => entry.startsWith("mfe-") && existsSync(join(ROOT, entry, "package.json")))
    .map((entry) => ({ folder: entry, fragment: JSON.parse(readFileSync(join(ROOT, entry, "package.json"), "utf8")).fragment }))
    .filter(({ fragment }) => fragment)
    .map(({ folder, fragment }) => ({ folder, name: fragment.name }));
}

function checkName(name, into, template) {
  if (!name) throw new UsageError("usage: make new-fragment NAME=<name> [TEMPLATE=react|vanilla]");
  if (!NAME.test(name)) {
    throw new UsageError(`${JSON.stringify(name)} is not a fragment name: 1-40 lowercase letters, digits and dashes, starting with a letter`);
  }
  if (!templates().includes(template)) {
    throw new UsageError(`there is no template ${JSON.stringify(template)}: choose ${templates().join(" or ")}`);
  }
  const clash = platformPaths().find((path) => path.replace(/^\//, "").toLowerCase() === name);
  if (clash) throw new UsageError(`/${name} is the platform's own path (${clash}): the registry would refuse the route; choose another name`);
  if (existsSync(join(into, `mfe-${name}`))) throw new UsageError(`${join(into, `mfe-${name}`)} exists already`);
  const taken = fragments().find((fragment) => fragment.name === name);
  if (taken) throw new UsageError(`the fragment name ${name} is taken by ${taken.folder}/`);
}

function fill(folder, values) {
  for (const entry of readdirSync(folder, { recursive: true })) {
    const path = join(folder, String(entry));
    if (!statSync(path).isFile()) continue;
    const text = readFileSync(path, "utf8");
    const filled = text.replace(/__FRAGMENT_(NAME|ENTRY)__/g, (_, key) => values[key]);
    if (filled !== text) writeFileSync(path, filled);
  }
}

function writePackage(folder, template) {
  const path = join(folder, "package.json");
  const pkg = JSON.parse(readFileSync(path, "utf8"));
  const sdk = JSON.parse(readFileSync(join(ROOT, "packages", "sdk", "package.json"), "utf8"));
  pkg.dependencies = { [sdk.name]: `^${sdk.version}`, ...template.dependencies };
  pkg.devDependencies = Object.fromEntries(
    Object.entries({ ...pkg.devDependencies, ...template.devDependencies }).sort(([a], [b]) => a.localeCompare(b)),
  );
  writeFileSync(path, `${JSON.stringify(pkg, null, 2)}\n`);
}

function main() {
  const opts = options();
  const into = resolve(opts.into);
  const name = opts.name ?? "";
  checkName(name, into, opts.template);
  const template = JSON.parse(readFileSync(join(TEMPLATES, `fragment-${opts.template}`, "template.json"), "utf8"));
  const folder = join(into, `mfe-${name}`);
  cpSync(join(TEMPLATES, "fragment-common"), folder, { recursive: true });
  cpSync(join(TEMPLATES, `fragment-${opts.template}`), folder, { recursive: true, filter: (src) => !src.endsWith("template.json") });
  fill(folder, { NAME: name, ENTRY: template.entry });
  writePackage(folder, template);
  console.log(`created ${folder} (${opts.template}: ${template.description})`);
}

try {
  main();
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`new-fragment: ${error.message}`);
  process.exit(2);
}
