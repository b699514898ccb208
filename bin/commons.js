#!/usr/bin/env node
// Entry point of the `commons` command. Node 20 cannot run TypeScript itself, so tsx compiles on load (cached).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/commons.ts');
process.exitCode = await main(process.argv.slice(2));
