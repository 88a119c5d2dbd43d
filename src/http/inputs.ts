// What a request may carry, checked before any route reads it (http/edge.ts) and again where a route parses a body the
// edge only streamed (uploads, readForm/readJson): no C0 control character or DEL in a URL, none but tab, CR and LF in
// a body's text (a textarea's line breaks), and bodies that parse. PostgreSQL refuses NUL in text outright, so one
// would otherwise be a 500 there and a stored invisible character on SQLite.
import type { Context } from 'hono';

import { BadRequest } from '../errors.ts';

/** Any C0 control character or DEL: nothing a URL may hold. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
/** The same, less tab, CR and LF: what text in a form field or a JSON string may not hold. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** A percent-encoded C0 control character or DEL. */
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f)/i;

/** JSON nested deeper than this is refused: no resource Portico accepts is deeper than a few levels. */
const MAX_JSON_DEPTH = 32;

export const controlCharacter = (what: string) =>
  new BadRequest('edge.controlCharacter', { what }, { page: 'edge.controlCharacter' });
const badForm = (why: string) =>
  new BadRequest(
    'edge.badForm',
    { why },
    {
      page: 'edge.badForm',
    },
  );
const badJson = (why: string) => new BadRequest('edge.badJson', { why }, { page: 'edge.badJson' });

/** Refuses a request target (path and query, as sent) holding a control character, raw or percent-encoded. */
export function checkRequestTarget(target: string): void {
  if (CONTROL.test(target) || ENCODED_CONTROL.test(target)) throw controlCharacter('address (URL)');
}

/** Refuses text holding a control character other than tab, CR and LF; `what` names it in the message. */
function checkText(value: string, what: string): void {
  if (CONTROL_IN_TEXT.test(value)) throw controlCharacter(what);
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * An application/x-www-form-urlencoded body, strictly: valid UTF-8, every `%` followed by two hex digits and every
 * escape sequence decoding to UTF-8. URLSearchParams would silently keep a bad escape or make it U+FFFD.
 */
export function checkUrlEncoded(bytes: Uint8Array): void {
  let text: string;
  try {
    text = fatalUtf8.decode(bytes);
  } catch {
    throw badForm('it is not UTF-8 text');
  }
  if (/%(?![0-9a-f]{2})/i.test(text)) throw badForm("a '%' is not followed by two hexadecimal digits");
  for (const pair of text.split('&')) {
    for (const part of pair.split('=')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        throw badForm('an escaped value is not UTF-8');
      }
      checkText(decoded, 'form');
    }
  }
}

/** Every field name and text value of a parsed form, and every file's name, is free of control characters. */
function checkEntries(form: FormData): void {
  for (const [name, value] of form) {
    checkText(name, 'form');
    checkText(typeof value === 'string' ? value : value.name, 'form');
  }
}

/**
 * A multipart form body's bytes parse, and checkEntries passes (a urlencoded body: checkUrlEncoded, which is
 * stricter). Parsed apart from the request, so hono's body cache keeps the bytes: a cached FormData would turn a later
 * `c.req.text()` into multipart text.
 */
export async function checkForm(contentType: string, bytes: Uint8Array): Promise<void> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw badForm('it is not well-formed multipart/form-data');
  }
  checkEntries(form);
}

/** The media type of a form hono parses (parseBody), or undefined. */
export function formType(c: Context): 'multipart' | 'urlencoded' | undefined {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'multipart/form-data'
    ? 'multipart'
    : type === 'application/x-www-form-urlencoded'
      ? 'urlencoded'
      : undefined;
}

export const isJsonType = (c: Context) =>
  /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(c.req.header('content-type') ?? '');

/** A route's form, as `c.req.parseBody()` gives it, with a malformed body or a control character refused as 400. */
export async function readForm(c: Context): Promise<Record<string, string | File>> {
  try {
    // formData() is cached: parseBody below reads the same parse.
    if (formType(c)) checkEntries(await c.req.formData());
    return await c.req.parseBody();
  } catch (error) {
    if (error instanceof BadRequest) throw error;
    throw badForm('it is not a well-formed form');
  }
}

/**
 * Parses JSON text; refuses it (400) when malformed, nested deeper than MAX_JSON_DEPTH or holding a control character
 * (other than tab, CR, LF) in a key or a string. The walk is iterative, so no nesting can overflow the stack.
 */
export function parseJsonText(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badJson('it is not valid JSON');
  }
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      checkText(v, 'JSON body');
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) throw badJson(`it is nested deeper than ${MAX_JSON_DEPTH} levels`);
    for (const [k, child] of Object.entries(v)) {
      if (!Array.isArray(v)) checkText(k, 'JSON body');
      stack.push([child, depth + 1]);
    }
  }
  return value;
}

/** A JSON body's bytes: UTF-8 (as RFC 8259 requires) and parseJsonText's checks. */
export function checkJsonBytes(bytes: Uint8Array): void {
  let text: string;
  try {
    text = fatalUtf8.decode(bytes);
  } catch {
    throw badJson('it is not UTF-8 text');
  }
  if (text.trim() !== '') parseJsonText(text);
}
