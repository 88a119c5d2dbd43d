/** JSON columns are text on both stores; these keep the parsing in one place. */
export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text == null || text === '') return fallback;
  return JSON.parse(text) as T;
}

export const toJson = (value: unknown): string => JSON.stringify(value);

export const bool = (v: boolean): 0 | 1 => (v ? 1 : 0);

/** Lower-cased, trimmed form used for case-insensitive address and name matching. */
export const normalize = (value: string): string => value.trim().toLowerCase();

/**
 * Text as a substring search compares it: each character lower-cased alone, as SQLite's trigram index folds case (so
 * a character whose lower case is longer, the dotted capital I, stays as it is). SQLite's `portico_fold` is this.
 */
export const foldText = (text: string) =>
  Array.from(text, (ch) => {
    const lower = ch.toLowerCase();
    return Array.from(lower).length === 1 ? lower : ch;
  }).join('');

/** True when the error is a unique-constraint violation on either store. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
