#!/usr/bin/env node
// The command line: compiled JavaScript from dist/ (bin/entry.mjs says when the sources are run instead).
import { load } from './entry.mjs';

const { main } = await load('cli/main');
process.exitCode = await main(process.argv.slice(2));
