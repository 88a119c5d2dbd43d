// `npm run build`: compiles src/ to dist/ (tsc, imports rewritten from .ts to .js), then stamps dist/ with the newest
// source time it was built from. `--if-stale` builds only when a file under src/ (or a tsconfig, or package.json) is
// newer than the stamp: `npm start` runs it first, so a changed checkout never serves old code.
// Plain JavaScript: it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.built-from');

/** The newest modification time (ms) of the files the build reads. */
export function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  visit(join(root, 'src'));
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'package.json'])
    newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
  return newest;
}

/** Whether dist/ was built from the sources as they are now. */
export function distIsFresh() {
  if (!existsSync(stamp) || !existsSync(join(root, 'src'))) return existsSync(stamp);
  return Number(readFileSync(stamp, 'utf8')) >= newestSource();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--if-stale') && distIsFresh()) process.exit(0);
  const newest = newestSource();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const built = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (built.status !== 0) {
    console.error('portico: the build failed (npm run build)');
    process.exit(built.status ?? 1);
  }
  writeFileSync(stamp, String(newest));
}
