#!/usr/bin/env node
// Publishes the fragment built in the current folder to the fragment registry.
//
//   npm run publish [-- --activate | --canary 10] [--register] [--dry-run]
//
// Reads package.json ("version", the "@platform/sdk" dependency range, sent as
// shared["@platform/sdk"] for the registry's SDK check, and the "fragment" block: name,
// routes, nav, roles, contract, baseUrl), hashes dist/<version>/entry.js and every .css file next to it (SRI
// sha384), and publishes the version pointing at <baseUrl>/<version>/entry.js, its
// stylesheets listed as {url, integrity}, with a token of the team's service account.
// A version already published with the same bytes is skipped; with other bytes it is an
// error (versions are immutable: bump the version). Node 20 built-ins only.
//
// Environment (all optional but the credentials):
//   FRAGMENT_CLIENT_ID, FRAGMENT_CLIENT_SECRET  the team's service account (or FRAGMENT_TOKEN)
//   FRAGMENT_ADMIN_CLIENT_ID, FRAGMENT_ADMIN_CLIENT_SECRET (or FRAGMENT_ADMIN_TOKEN)
//                                   only for --register, which registers a missing fragment
//   FRAGMENT_REGISTRY_URL           default http://127.0.0.1:8000/api/core
//   FRAGMENT_AUTH_URL               default http://127.0.0.1:8000/api/auth
//   FRAGMENT_BASE_URL               where dist/ is served; default package.json fragment.baseUrl
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

class PublishError extends Error {}

function options() {
  const { values } = parseArgs({
    options: {
      activate: { type: "boolean", default: false },
      canary: { type: "string" },
      register: { type: "boolean", default: false },
      "dry-run": { type: "boolean", default: false },
      dir: { type: "string", default: "." },
    },
  });
  if (values.activate && values.canary !== undefined) {
    throw new PublishError("choose --activate or --canary, not both");
  }
  if (values.canary !== undefined && !/^(100|[1-9]?[0-9])$/.test(values.canary)) {
    throw new PublishError(`--canary takes a percentage 0..100, not ${values.canary}`);
  }
  return values;
}

function readFragment(dir) {
  let pkg;
  try {
    pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  } catch (error) {
    throw new PublishError(`cannot read ${join(dir, "package.json")}: ${error.message}`);
  }
  const fragment = pkg.fragment ?? {};
  for (const key of ["name", "routes"]) {
    if (!fragment[key]) throw new PublishError(`package.json has no fragment.${key}`);
  }
  const baseUrl = (process.env.FRAGMENT_BASE_URL ?? fragment.baseUrl ?? "").replace(/\/$/, "");
  if (!baseUrl) throw new PublishError("set FRAGMENT_BASE_URL or package.json fragment.baseUrl");
  return { ...fragment, version: pkg.version, baseUrl, contract: fragment.contract ?? "1" };
}

function readBuild(dir, fragment) {
  const folder = join(dir, "dist", fragment.version);
  let files;
  try {
    files = readdirSync(folder);
  } catch {
    throw new PublishError(`${folder} is missing: build first (npm run build)`);
  }
  if (!files.includes("entry.js")) throw new PublishError(`${folder}/entry.js is missing`);
  const url = (file) => `${fragment.baseUrl}/${fragment.version}/${file}`;
  const integrity = (file) => `sha384-${createHash("sha384").update(readFileSync(join(folder, file))).digest("base64")}`;
  return {
    entry: url("entry.js"),
    integrity: integrity("entry.js"),
    css: files
      .filter((file) => file.endsWith(".css"))
      .sort()
      .map((file) => ({ url: url(file), integrity: integrity(file) })),
  };
}

/** Whether a published version holds exactly these bytes: its entry and every stylesheet. */
function sameBytes(published, build) {
  const sheets = (css) => JSON.stringify((css ?? []).map(({ url, integrity }) => [url, integrity]));
  return published.integrity === build.integrity && sheets(published.css) === sheets(build.css);
}

async function call(method, url, token, body) {
  const response = await fetch(url, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body ? { "Content-Type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  }).catch((error) => {
    throw new PublishError(`${method} ${url} failed: ${error.cause?.code ?? error.message}`);
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, json, text };
}

function refusal(what, reply) {
  // The platform's ErrorBody; a 422's detail lists the refused fields.
  const body = reply.json;
  const fields = Array.isArray(body?.detail) ? ` ${JSON.stringify(body.detail)}` : "";
  const said = body?.code ? `${body.code}: ${body.message}${fields}` : reply.text;
  return new PublishError(`${what} was refused (${reply.status}) ${said}`);
}

async function token(kind) {
  const prefix = kind === "admin" ? "FRAGMENT_ADMIN_" : "FRAGMENT_";
  if (process.env[`${prefix}TOKEN`]) return process.env[`${prefix}TOKEN`];
  const id = process.env[`${prefix}CLIENT_ID`];
  const secret = process.env[`${prefix}CLIENT_SECRET`];
  if (!id || !secret) {
    throw new PublishError(`set ${prefix}CLIENT_ID and ${prefix}CLIENT_SECRET (or ${prefix}TOKEN)`);
  }
  const authUrl = process.env.FRAGMENT_AUTH_URL ?? "http://127.0.0.1:8000/api/auth";
  const response = await fetch(`${authUrl}/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: id, client_secret: secret }),
  }).catch((error) => {
    throw new PublishError(`POST ${authUrl}/token failed: ${error.cause?.code ?? error.message}`);
  });
  const reply = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new PublishError(`the auth service refused ${id}: ${reply.error_description ?? reply.error ?? response.status}`);
  }
  return reply.access_token;
}

async function register(registry, fragment) {
  const found = await call("GET", `${registry}/fragments/${fragment.name}`, await token("team"));
  if (found.status === 200) return;
  const body = { name: fragment.name, description: fragment.description ?? "", roles: fragment.roles ?? ["member"] };
  const reply = await call("POST", `${registry}/fragments`, await token("admin"), body);
  if (reply.status === 201) console.log(`registered fragment ${fragment.name} (seen by ${body.roles.join(", ")})`);
  else if (reply.json?.code !== "FRAGMENT_EXISTS") throw refusal(`registering ${fragment.name}`, reply);
}

async function publish(registry, teamToken, fragment, build) {
  const path = `${registry}/fragments/${fragment.name}/versions`;
  const existing = await call("GET", `${path}/${fragment.version}`, teamToken);
  if (existing.status === 200) {
    if (!sameBytes(existing.json, build)) {
      throw new PublishError(
        `${fragment.name} ${fragment.version} is already published with other bytes ` +
          `(entry ${existing.json.integrity}, stylesheets ${JSON.stringify(existing.json.css)}); ` +
          "versions are immutable: bump the version in package.json",
      );
    }
    return false;
  }
  const body = {
    version: fragment.version,
    ...build,
    routes: fragment.routes,
    nav: fragment.nav ?? null,
    contract: fragment.contract,
    ...(fragment.roles ? { roles: fragment.roles } : {}),
  };
  const reply = await call("POST", path, teamToken, body);
  if (reply.status !== 201) throw refusal(`publishing ${fragment.name} ${fragment.version}`, reply);
  return true;
}

async function goLive(registry, teamToken, fragment, opts) {
  const base = `${registry}/fragments/${fragment.name}`;
  if (opts.activate) {
    const reply = await call("POST", `${base}/activate`, teamToken, { version: fragment.version });
    if (reply.status !== 200) throw refusal(`activating ${fragment.version}`, reply);
    return `live: ${fragment.name} ${fragment.version} is active for everyone who may see it`;
  }
  if (opts.canary !== undefined) {
    const percentage = Number(opts.canary);
    const reply = await call("POST", `${base}/canary`, teamToken, { version: fragment.version, percentage });
    if (reply.status !== 200) throw refusal(`starting the canary of ${fragment.version}`, reply);
    return `canary: ${fragment.name} ${fragment.version} goes to ${percentage}% of signed-in users; ` +
      `${reply.json.active_version} stays active for the rest`;
  }
  return `not live yet: activate with POST ${base}/activate or run again with --activate or --canary N`;
}

async function main() {
  const opts = options();
  const fragment = readFragment(opts.dir);
  const build = readBuild(opts.dir, fragment);
  const registry = (process.env.FRAGMENT_REGISTRY_URL ?? "http://127.0.0.1:8000/api/core").replace(/\/$/, "");
  console.log(`${fragment.name} ${fragment.version}: ${build.entry} ${build.integrity}`);
  for (const sheet of build.css) console.log(`  stylesheet ${sheet.url} ${sheet.integrity}`);
  if (opts["dry-run"]) return;
  if (opts.register) await register(registry, fragment);
  const teamToken = await token("team");
  if (!(await publish(registry, teamToken, fragment, build))) {
    console.log(`skipped: ${fragment.name} ${fragment.version} is already published with these bytes`);
    const state = await call("GET", `${registry}/fragments/${fragment.name}`, teamToken);
    if (opts.activate && state.json?.active_version === null) {
      console.log(await goLive(registry, teamToken, fragment, opts)); // an earlier run stopped halfway
    }
    return;
  }
  console.log(`published: ${fragment.name} ${fragment.version}`);
  console.log(await goLive(registry, teamToken, fragment, opts));
}

main().catch((error) => {
  if (!(error instanceof PublishError)) throw error;
  console.error(`fragment-publish: ${error.message}`);
  process.exit(1);
});
