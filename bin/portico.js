#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so `npx portico` works right after `npm install`, with no build step.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The project's tsconfig (JSX for hono), whatever directory the command runs in.
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/cli/index.ts');
