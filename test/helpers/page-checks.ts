// The checks every page passes in Chromium (test/admin/shell.browser.test.ts and the sections' own browser tests):
// `<!doctype html>` first (no quirks mode), no wider than the viewport, no axe-core violations.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

/** Opens `url` in `page` (its context made with `bypassCSP`, for axe-core) and lists what it fails, if anything. */
export async function pageProblems(page: Page, url: string): Promise<string[]> {
  const res = await page.goto(url);
  if (!res) return [`${url}: no response`];
  return shownPageProblems(page, url, await res.text());
}

/** The same checks of the page the browser shows now (reached by a click), whose document is `html`. */
export async function shownPageProblems(page: Page, url: string, html?: string): Promise<string[]> {
  const problems: string[] = [];
  if (html !== undefined && !/^<!doctype html>/i.test(html)) problems.push(`${url}: no doctype first`);
  if ((await page.evaluate(() => document.compatMode)) !== 'CSS1Compat') problems.push(`${url}: quirks mode`);
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  if (scroll > inner) problems.push(`${url}: ${scroll} px wide in a ${inner} px viewport`);
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> };
      }
    ).axe;
    return (await axe.run()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => String(n.target)).join(' | ')}`);
  });
  problems.push(...violations.map((v) => `${url}: ${v}`));
  return problems;
}

/**
 * Reloads a form's outcome page (post/redirect/get, src/pages/results.ts): it was shown at a GET address, a reload
 * goes on to the section, and the action it came from does not run again (`audits()` counts the audit log).
 */
export async function reloadChangesNothing(page: Page, what: string, audits: () => Promise<number>): Promise<void> {
  const before = await audits();
  assert.match(page.url(), /\/results\/[0-9a-f-]{36}$/, `${what}: the outcome is shown at a GET address`);
  await page.reload();
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.doesNotMatch(page.url(), /\/results\//, `${what}: shown once; a reload goes on to the section`);
  assert.equal(await audits(), before, `${what}: the reload records no second action`);
}

/** `pageProblems` by the name the user page's test knows it by. */
export const checkPage = pageProblems;

/** The checks of the page the browser shows now (reached by a form's POST, say), without loading it again. */
export const checkShown = (page: Page): Promise<string[]> => shownPageProblems(page, page.url());
