// Writes dist/shared.json: the shared modules the shell provides (specifier -> URL) and the
// SRI hash of every vendor file, which the gateway merges into the page's import map.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

const VENDOR = new URL("../dist/vendor/", import.meta.url);
const PUBLIC = "/shell/vendor/";
const imports = {
  react: `${PUBLIC}react.js`,
  "react-dom": `${PUBLIC}react-dom.js`,
  "react-dom/client": `${PUBLIC}react-dom-client.js`,
  "react/jsx-runtime": `${PUBLIC}react-jsx-runtime.js`,
  "@platform/sdk": `${PUBLIC}sdk.js`,
};
const integrity = {};
for (const file of readdirSync(VENDOR).filter((name) => name.endsWith(".js")).sort()) {
  const digest = createHash("sha384").update(readFileSync(new URL(file, VENDOR))).digest("base64");
  integrity[`${PUBLIC}${file}`] = `sha384-${digest}`;
}
for (const url of Object.values(imports)) {
  if (!integrity[url]) throw new Error(`the vendor build did not write ${url}`);
}
writeFileSync(new URL("../dist/shared.json", import.meta.url), `${JSON.stringify({ imports, integrity }, null, 2)}\n`);
console.log(`shared.json: ${Object.keys(imports).length} shared modules, ${Object.keys(integrity).length} hashed files`);
