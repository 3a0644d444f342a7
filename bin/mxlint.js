#!/usr/bin/env node
import { main } from '../dist/bundle/cli/bin.js';

await main();
