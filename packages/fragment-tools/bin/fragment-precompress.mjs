#!/usr/bin/env node
// `fragment-precompress <dist folder>`: writes .br and .gz copies beside a build's scripts and
// stylesheets, which the static hosts serve (see mfe-shell/scripts/precompress.mjs).
import "../../../mfe-shell/scripts/precompress.mjs";
