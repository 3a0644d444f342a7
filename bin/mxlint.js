#!/usr/bin/env node
import { runBundledCli } from '../dist/src/cli/bundle-loader.js';

await runBundledCli();
