#!/usr/bin/env node
// `portico`: the compiled CLI (dist/, built by `npm install` and `npm run build`) when it was built from the sources
// as they are; in a checkout whose sources changed since, the TypeScript CLI through tsx (a development dependency),
// so a developer never runs stale code.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { distIsFresh } from '../scripts/build.js';

if (distIsFresh()) await import('../dist/cli/index.js');
else if (existsSync(fileURLToPath(new URL('../node_modules/tsx', import.meta.url)))) {
  const { register } = await import('tsx/esm/api');
  // The project's tsconfig (JSX for hono), whatever directory the command runs in.
  register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
  await import('../src/cli/index.ts');
} else {
  console.error('portico: the CLI is not built; run `npm run build`');
  process.exit(1);
}
