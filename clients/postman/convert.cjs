// Runs openapi-to-postmanv2 on the merged document with a seeded Math.random: the converter
// invents example values (enums, patterns, dates) at random and dates from the clock, and the
// same document must give the same collection byte for byte (the tests regenerate and compare).
//   node clients/postman/convert.cjs <openapi.json> <collection.json>
const fs = require("node:fs");

let state = 20261204;
Math.random = () => {
  state = (state * 16807) % 2147483647;
  return (state - 1) / 2147483646;
};

const NOW = Date.UTC(2026, 0, 1);
globalThis.Date = class extends Date {
  constructor(...args) {
    super(...(args.length ? args : [NOW]));
  }
  static now() {
    return NOW;
  }
};

const Converter = require("openapi-to-postmanv2");

const [spec, out] = process.argv.slice(2);
const options = { folderStrategy: "Tags", requestNameSource: "Fallback", parametersResolution: "Schema" };
Converter.convert({ type: "file", data: spec }, options, (error, conversion) => {
  if (error || !conversion.result) {
    console.error(error ?? conversion.reason);
    process.exit(1);
  }
  fs.writeFileSync(out, JSON.stringify(conversion.output[0].data, null, 2));
});
