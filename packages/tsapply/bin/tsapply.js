#!/usr/bin/env node
// The `tsapply` command. The CLI lives in dist/ (built by `npm install` via the root `prepare`).
import { main } from '../dist/cli/main.js';

await main(process.argv);
