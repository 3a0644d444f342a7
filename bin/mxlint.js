#!/usr/bin/env node
// CommonJS (bin/package.json): Node then starts without its ES module loader, which the bundled
// command line does not need (docs/performance.md § Start-up).
'use strict';
const { join } = require('node:path');

require('../dist/bundle/cli/loader.cjs').runBundledCli(join(__dirname, '..', 'dist', 'bundle', 'cli', 'bin.cjs'));
