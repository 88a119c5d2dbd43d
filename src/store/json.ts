/** JSON columns are text on both stores; these keep the parsing in one place. */
export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text == null || text === '') return fallback;
  return JSON.parse(text) as T;
}

export const toJson = (value: unknown): string => JSON.stringify(value);

export const bool = (v: boolean): 0 | 1 => (v ? 1 : 0);

/** Lower-cased, trimmed form used for case-insensitive address and name matching. */
export const normalize = (value: string): string => value.trim().toLowerCase();

/** True when the error is a unique-constraint violation on either store. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
