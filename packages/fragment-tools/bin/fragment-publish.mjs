#!/usr/bin/env node
// `fragment-publish`: publishes the fragment built in the current folder (see the platform's
// infra/fragment-publish.mjs for its options and environment). A fragment's npm scripts call
// this command, provided by the workspace, instead of a path into another folder.
import "../../../infra/fragment-publish.mjs";
