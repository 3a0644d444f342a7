#!/usr/bin/env node
import { main } from '../dist/src/cli/bin.js';

await main();
