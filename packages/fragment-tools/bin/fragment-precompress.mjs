#!/usr/bin/env node
// Writes `<file>.br` and `<file>.gz` beside every JavaScript and CSS file of a build, at the
// highest levels: static hosts (platform_common.fragment_host, nginx's gzip_static) send them
// to browsers that accept them, so no request pays for compression. A copy is written only
// when it is smaller, with the source's modification time, so a host can tell it is current.
//   fragment-precompress <dist folder>      (a fragment's or the shell's build script)
import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const COMPRESSIBLE = /\.(js|mjs|css|svg)$/;
const ENCODERS = {
  br: (bytes) =>
    brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  gz: (bytes) => gzipSync(bytes, { level: 9 }),
};

function compressibleFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, String(name)))
    .filter((path) => COMPRESSIBLE.test(path) && statSync(path).isFile());
}

function precompress(path) {
  const bytes = readFileSync(path);
  // Times as numbers (seconds with a fraction), which keep sub-millisecond precision.
  const { atimeMs, mtimeMs } = statSync(path);
  let saved = 0;
  for (const [extension, encode] of Object.entries(ENCODERS)) {
    const target = `${path}.${extension}`;
    const encoded = encode(bytes);
    if (encoded.length >= bytes.length) {
      rmSync(target, { force: true });
      continue;
    }
    writeFileSync(target, encoded);
    utimesSync(target, atimeMs / 1000, mtimeMs / 1000);
    saved += 1;
  }
  return saved;
}

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node precompress.mjs <dist folder>");
  process.exit(64);
}
const files = compressibleFiles(dir);
const written = files.reduce((sum, path) => sum + precompress(path), 0);
console.log(`precompress: ${written} .br/.gz files for ${files.length} files in ${dir}`);
