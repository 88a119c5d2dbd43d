// The one check of an email address, for every path an address enters by: the API (invitations, users, contacts),
// the CLI (invite, tenant create), bulk CSVs, the admin center's forms, personal accounts, the sign-in page's typed
// address, opt-out and federated identities. An address must be one a mail server delivers to as written: a NUL that
// a library drops on the way turns `nul\0x@partner.example` into `nulx@partner.example`, someone else, and an
// invisible or bidi character (U+202E) makes an address read as another. So beyond RFC 5321's shape (a dot-atom
// local part, UTF-8 allowed as RFC 6531 does; a domain of valid labels, IDN allowed; 64/255/254 octets) it refuses
// every control character (C0, DEL, C1), every format character (Unicode Cf: bidi controls and overrides,
// zero-width characters, the BOM), other default-ignorable characters, white space and U+FFFD (text that was not
// UTF-8). Quoted local parts ("a b"@x) and address literals (a@[192.0.2.1]) are refused too: Entra does not
// accept them for invitations, and few mail systems deliver to them.
import { domainToASCII, domainToUnicode } from 'node:url';

import { InvalidRequest } from '../errors.ts';
import { t, type Lang } from '../i18n/index.ts';

export type AddressFaultKind =
  | 'empty'
  | 'control'
  | 'invisible'
  | 'space'
  | 'replacement'
  | 'at'
  | 'quoted'
  | 'local'
  | 'tooLong'
  | 'localTooLong'
  | 'domainLiteral'
  | 'domainLabel'
  | 'domainHyphen'
  | 'domainChars'
  | 'domainTld'
  | 'domainTooLong'
  | 'domainIdn'
  | 'domainForm';

/** What is wrong with an address: a kind (pages say it in their language) and its details. */
export interface AddressFault {
  kind: AddressFaultKind;
  /** the character at fault (as U+XXXX with its name when known), its position (1-based), a length, a domain */
  params: Record<string, string>;
}

/** Names of the characters an attacker reaches for first, so a message names them rather than only a code point. */
const NAMES: Record<number, string> = {
  0x00: 'NUL',
  0x09: 'TAB',
  0x0a: 'LINE FEED',
  0x0d: 'CARRIAGE RETURN',
  0x7f: 'DEL',
  0x85: 'NEXT LINE',
  0xa0: 'NO-BREAK SPACE',
  0xad: 'SOFT HYPHEN',
  0x061c: 'ARABIC LETTER MARK',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE (BOM)',
  0xfffd: 'REPLACEMENT CHARACTER',
};

const codePoint = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
const described = (cp: number): string => (NAMES[cp] ? `${codePoint(cp)} ${NAMES[cp]}` : codePoint(cp));

// Lone surrogates (Cs) cannot be written as UTF-8 at all; Cc is C0, DEL and C1.
const CONTROL = /[\p{Cc}\p{Cs}]/u;
// Cf holds U+061C, U+200E/F, U+202A–E, U+2066–9, U+200B–D, U+2060, U+FEFF, U+00AD; Default_Ignorable adds the
// invisible rest (variation selectors, Hangul fillers, U+034F).
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
const SPACE = /[\p{Z}]/u;
/** Any character an address may never hold, found in one pass; the kinds above tell which it was. */
const FORBIDDEN = /[\p{Cc}\p{Cs}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Z}\uFFFD]/u;

// RFC 5322 atext, plus any other (non-ASCII) character as RFC 6531's UTF8-non-ascii; the forbidden ones are gone by now.
const ATOM = "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~\\u0080-\\u{10FFFF}]+";
const DOT_ATOM = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`, 'u');
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const DOMAIN_CHARS = /^[A-Za-z0-9.\-\u0080-\u{10FFFF}]+$/u;

const utf8Octets = (s: string): number => Buffer.byteLength(s, 'utf8');
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const fault = (kind: AddressFaultKind, params: Record<string, string> = {}): AddressFault => ({ kind, params });

/** The first character of `value` no address may hold, as a fault naming it and its position. */
function forbiddenCharacter(value: string): AddressFault | undefined {
  if (!FORBIDDEN.test(value)) return undefined;
  let position = 0;
  for (const ch of value) {
    position++;
    const cp = ch.codePointAt(0)!;
    const params = { char: described(cp), position: String(position) };
    if (CONTROL.test(ch)) return fault('control', params);
    if (INVISIBLE.test(ch)) return fault('invisible', params);
    if (SPACE.test(ch)) return fault('space', params);
    if (cp === 0xfffd) return fault('replacement', params);
  }
  return undefined;
}

const decodes = (label: string): boolean => {
  const unicode = domainToUnicode(label);
  return unicode !== '' && !unicode.startsWith('xn--');
};

function domainFault(domain: string): AddressFault | undefined {
  if (domain.startsWith('[')) return fault('domainLiteral', { domain });
  if (!DOMAIN_CHARS.test(domain)) {
    const bad = [...domain].find((ch) => !DOMAIN_CHARS.test(ch)) ?? '';
    return fault('domainChars', { domain, char: `'${bad}'` });
  }
  const ascii = domainToASCII(domain);
  if (!ascii) return fault(domain.split('.').includes('') ? 'domainLabel' : 'domainIdn', { domain });
  // Node 24's URL parser keeps an `xn--` label that decodes to nothing (Node 20's refused the whole domain): a label
  // in punycode must decode to Unicode, or it names no domain mail can reach.
  if (ascii.split('.').some((l) => l.startsWith('xn--') && !decodes(l))) return fault('domainIdn', { domain });
  // The domain must already be in the form mail is routed by: UTS #46 maps fullwidth letters, U+3002 and others
  // onto other characters, so `a@ｐartner.example` would be stored as one address and delivered to another.
  const lower = domain.toLowerCase();
  if (ascii !== lower && domainToUnicode(ascii) !== lower)
    return fault('domainForm', { domain, canonical: domainToUnicode(ascii) });
  if (ascii.length > 255) return fault('domainTooLong', { domain, length: String(ascii.length) });
  const asciiLabels = ascii.split('.');
  if (asciiLabels.length < 2 || asciiLabels.some((l) => l === '' || l.length > 63))
    return fault('domainLabel', { domain });
  if (asciiLabels.some((l) => !LABEL.test(l))) return fault('domainHyphen', { domain });
  if (/^[0-9]+$/.test(asciiLabels.at(-1)!)) return fault('domainTld', { domain });
  return undefined;
}

/** What is wrong with `value` as an email address, or undefined when it is one. `value` is taken as given: no trimming. */
export function addressFault(value: string): AddressFault | undefined {
  if (value === '') return fault('empty');
  // Most addresses are printable ASCII: they hold none of the forbidden characters, and their length is their octets.
  const printable = PRINTABLE_ASCII.test(value);
  const character = printable ? undefined : forbiddenCharacter(value);
  if (character) return character;
  const octets = printable ? (s: string) => s.length : utf8Octets;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return fault('at');
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.startsWith('"')) return fault('quoted');
  if (local.includes('@')) return fault('at');
  if (octets(value) > 254) return fault('tooLong', { length: String(octets(value)) });
  if (octets(local) > 64) return fault('localTooLong', { length: String(octets(local)) });
  if (!DOT_ATOM.test(local)) return fault('local');
  return cachedDomainFault(domain);
}

// A bulk invitation names few domains for many rows; remembering the verdicts keeps domainToASCII off each row.
const DOMAIN_VERDICTS = new Map<string, AddressFault | null>();
function cachedDomainFault(domain: string): AddressFault | undefined {
  const known = DOMAIN_VERDICTS.get(domain);
  if (known !== undefined) return known ?? undefined;
  const verdict = domainFault(domain);
  if (DOMAIN_VERDICTS.size >= 1000) DOMAIN_VERDICTS.clear();
  DOMAIN_VERDICTS.set(domain, verdict ?? null);
  return verdict;
}

export const isEmailAddress = (value: string): boolean => addressFault(value) === undefined;

// The plain space stays as it is: it shows.
const SHOWN_ESCAPED = new RegExp(`(?! )${FORBIDDEN.source}`, 'gu');

/** `value` with every character an address may not hold written as \uXXXX, so a message shows what was sent. */
export const shownAddress = (value: string): string =>
  value.replace(SHOWN_ESCAPED, (ch) => {
    const hex = ch.codePointAt(0)!.toString(16).toUpperCase();
    return hex.length > 4 ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
  });

/** The fault in words, in `lang` (en-US for the API and the CLI). */
const faultText = (lang: Lang, f: AddressFault): string => t(lang, `address.${f.kind}`, f.params);

/** A page's message for a typed address, or undefined when it is one: what is wrong and what to do. */
export function addressError(lang: Lang, value: string): string | undefined {
  const f = addressFault(value);
  return f && t(lang, 'address.invalid', { value: shownAddress(value), reason: faultText(lang, f) });
}

/**
 * Throws InvalidRequest (a 400 with Graph's error shape on the API, the message on the CLI, a row's error in a bulk
 * result) unless `value` is an email address; `what` names the field, as "invitedUserEmailAddress".
 */
export function requireEmailAddress(value: string, what = 'an email address'): void {
  const f = addressFault(value);
  if (f)
    throw new InvalidRequest(
      'address.invalid',
      { value: shownAddress(value), what, reason: faultText('en-US', f) },
      { fault: f.kind },
    );
}
