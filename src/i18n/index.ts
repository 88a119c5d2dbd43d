// Message catalogs for pages (and, from the invitations issue on, emails). en-US is the fallback; every other
// catalog must define the same keys (the test suite checks this).
import { deDE } from './de-DE.ts';
import { enUS, type Messages } from './en-US.ts';

export type { Messages };
export type Lang = 'en-US' | 'de-DE';
export const LANGS: Record<Lang, Messages> = { 'en-US': enUS, 'de-DE': deDE };

/** The best supported language for an Accept-Language header or a stored preference. */
export function pickLang(...candidates: (string | null | undefined)[]): Lang {
  for (const candidate of candidates) {
    if (!candidate) continue;
    const ranked = candidate
      .split(',')
      .map((part) => {
        const [tag, ...params] = part.trim().split(';');
        const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find(Boolean);
        return { tag: (tag ?? '').toLowerCase(), q: q ? Number(q) : 1 };
      })
      .sort((a, b) => b.q - a.q);
    for (const { tag } of ranked) {
      const exact = (Object.keys(LANGS) as Lang[]).find((l) => l.toLowerCase() === tag);
      if (exact) return exact;
      const primary = (Object.keys(LANGS) as Lang[]).find((l) => l.toLowerCase().split('-')[0] === tag.split('-')[0]);
      if (primary) return primary;
    }
  }
  return 'en-US';
}

export function t(lang: Lang, key: keyof Messages, params: Record<string, string> = {}): string {
  const template = LANGS[lang][key] ?? enUS[key];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);
}
