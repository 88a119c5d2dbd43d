// The one email-address rule (src/directory/address.ts) over a table of good and bad addresses: what it accepts, what
// it refuses and the kind of fault it names, and that its messages show the hidden character and say what to do.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  addressError,
  addressFault,
  isEmailAddress,
  requireEmailAddress,
  shownAddress,
  type AddressFaultKind,
} from '../../src/directory/address.ts';
import { InvalidRequest } from '../../src/errors.ts';
import { BulkCsvError, checkCsvText, parseBulkCsv } from '../../src/invitations/bulk.ts';

const GOOD = [
  'alice@partner.example',
  'Alice.Smith@Partner.Example',
  "o'brien+tag@partner.example",
  "!#$%&'*+-/=?^_`{|}~@partner.example",
  'a@b.co',
  'x@sub-domain.partner.example',
  'jösé@bücher.example', // RFC 6531: a UTF-8 local part; an IDN domain
  'müller@xn--bcher-kva.example', // the domain already in punycode
  'пётр@партнёр.рф',
  'a@straße.de',
  `${'l'.repeat(64)}@partner.example`, // the longest local part
  `a@${'d'.repeat(63)}.example`, // the longest label
  `${'l'.repeat(64)}@${'d'.repeat(63)}.${'d'.repeat(63)}.${'d'.repeat(53)}.example`, // 254 octets in all
  'a@123.example', // digits in a label other than the last
];

const BAD: [string, AddressFaultKind][] = [
  ['', 'empty'],
  ['nul\u0000x@partner.example', 'control'],
  ['a\u007f@partner.example', 'control'],
  ['a\u0085@partner.example', 'control'], // C1: NEXT LINE
  ['a\u009b@partner.example', 'control'], // C1: CSI
  ['a@partner.example\r\nBcc: all@partner.example', 'control'],
  ['tab\t@partner.example', 'control'],
  ['a\ud800@partner.example', 'control'], // a lone surrogate
  ['\u202Eexample@partner.example', 'invisible'],
  ['a\u202D@partner.example', 'invisible'],
  ['a\u2066b@partner.example', 'invisible'],
  ['a\u061C@partner.example', 'invisible'],
  ['a\u200E@partner.example', 'invisible'],
  ['a\u200Fb@partner.example', 'invisible'],
  ['a\u200B@partner.example', 'invisible'], // zero width space
  ['\uFEFFa@partner.example', 'invisible'], // a BOM
  ['a\u00ADb@partner.example', 'invisible'], // soft hyphen
  ['a@part\u200Bner.example', 'invisible'], // domainToASCII would drop it: refused before
  ['a\u3164@partner.example', 'invisible'], // Hangul filler: default-ignorable, not Cf
  ['jos\uFFFD@partner.example', 'replacement'],
  ['a b@partner.example', 'space'],
  [' a@partner.example', 'space'],
  ['a\u00A0@partner.example', 'space'],
  ['a\u2028@partner.example', 'space'],
  ['partner.example', 'at'],
  ['@partner.example', 'at'],
  ['a@', 'at'],
  ['a@@partner.example', 'at'],
  ['a@b@partner.example', 'at'],
  ['"ab"@partner.example', 'quoted'],
  ['a..b@partner.example', 'local'],
  ['.a@partner.example', 'local'],
  ['a.@partner.example', 'local'],
  ['<a>@partner.example', 'local'],
  ['a,b@partner.example', 'local'],
  [`${'l'.repeat(65)}@partner.example`, 'localTooLong'],
  [`${'ö'.repeat(33)}@partner.example`, 'localTooLong'], // 66 octets in UTF-8, 33 characters
  [`${'l'.repeat(64)}@${'d'.repeat(63)}.${'d'.repeat(63)}.${'d'.repeat(54)}.example`, 'tooLong'], // 255 octets
  ['a@[192.0.2.1]', 'domainLiteral'],
  ['a@partner', 'domainLabel'],
  ['a@partner..example', 'domainLabel'],
  ['a@partner.example.', 'domainLabel'],
  [`a@${'d'.repeat(64)}.example`, 'domainLabel'],
  ['a@-partner.example', 'domainHyphen'],
  ['a@partner-.example', 'domainHyphen'],
  ['a@part_ner.example', 'domainChars'],
  ['a@partner.example>', 'domainChars'],
  ['a@192.0.2.1', 'domainTld'],
  ['a@xn--zz.example', 'domainIdn'], // punycode that decodes to nothing valid
  ['a@ｐartner.example', 'domainForm'], // fullwidth p: would be delivered to partner.example
  ['a@partner\u3002example', 'domainForm'], // ideographic full stop
];

describe('email addresses', () => {
  it('accepts dot-atom addresses, UTF-8 local parts and IDN domains within the lengths', () => {
    for (const good of GOOD) assert.equal(addressFault(good), undefined, good);
  });

  it('refuses control, bidi and invisible characters, bad shapes, lengths and domains, each with its fault', () => {
    for (const [bad, kind] of BAD) {
      assert.equal(isEmailAddress(bad), false, JSON.stringify(bad));
      assert.equal(addressFault(bad)?.kind, kind, JSON.stringify(bad));
    }
  });

  it('names the character and where it is, shown escaped, and says what to do', () => {
    const cases: [string, RegExp][] = [
      [
        'nul\u0000x@partner.example',
        /^'nul\\u0000x@partner\.example' is not a valid email address for invitedUserEmailAddress: it contains the control character U\+0000 NUL \(character 4\).*Type the address again/,
      ],
      ['a\u007f@partner.example', /^'a\\u007F@partner\.example' .*control character U\+007F DEL \(character 2\)/],
      [
        '\u202Eexample@partner.example',
        /^'\\u202Eexample@partner\.example' .*invisible character U\+202E RIGHT-TO-LEFT OVERRIDE \(character 1\)/,
      ],
      ['a@ｐartner.example', /write it as partner\.example/],
    ];
    for (const [bad, message] of cases) {
      assert.throws(
        () => requireEmailAddress(bad, 'invitedUserEmailAddress'),
        (e: unknown) => e instanceof InvalidRequest && message.test(e.message),
        JSON.stringify(bad),
      );
    }
    assert.doesNotThrow(() => requireEmailAddress('alice@partner.example'));
    // Messages never carry the raw character (a log or a terminal would render or act on it).
    assert.equal(shownAddress('a\u0000\u202E\u{E0001} b@x.example'), 'a\\u0000\\u202E\\u{E0001} b@x.example');
    assert.match(
      addressError('de-DE', 'a\u0000@partner.example')!,
      /^„a\\u0000@partner\.example“ ist keine gültige E-Mail-Adresse: Sie enthält das Steuerzeichen U\+0000 NUL/,
    );
    assert.equal(addressError('en-US', 'alice@partner.example'), undefined);
  });
});

describe('CSV bytes', () => {
  const latin1 = Buffer.concat([
    Buffer.from('email\nann@partner.example\n'),
    Buffer.from('jos\xe9@partner.example\n', 'latin1'),
    Buffer.from('bob@partner.example\n'),
  ]);

  it('refuses a file that is not UTF-8, naming its first bad line', () => {
    assert.throws(
      () => checkCsvText(latin1),
      (e: unknown) =>
        e instanceof BulkCsvError &&
        e.reason === 'notUtf8' &&
        e.line === 3 &&
        /^line 3 is not valid UTF-8; save the file as UTF-8/.test(e.message),
    );
    assert.throws(
      () => parseBulkCsv(latin1),
      (e: unknown) => e instanceof BulkCsvError && e.line === 3,
    );
    // a bad byte on the last line, without a final line break; a sequence cut short at the end
    assert.throws(
      () => checkCsvText(Buffer.from([...Buffer.from('email\r\na@x.example\r\n'), 0xff])),
      (e: unknown) => (e as BulkCsvError).line === 3,
    );
    assert.throws(
      () => checkCsvText(Buffer.from([...Buffer.from('email\n'), 0xc3])),
      (e: unknown) => (e as BulkCsvError).line === 2,
    );
    // NUL is valid UTF-8 but never text: refused too, naming its line, in bytes and in text
    assert.throws(
      () => checkCsvText('email\nann@partner.example\nnul\u0000x@partner.example\n'),
      (e: unknown) => e instanceof BulkCsvError && e.reason === 'nul' && e.line === 3,
    );
    assert.throws(
      () => checkCsvText(Buffer.from('email\nann@partner.example\nnul\u0000x@partner.example\n')),
      (e: unknown) =>
        e instanceof BulkCsvError &&
        e.reason === 'nul' &&
        e.line === 3 &&
        /^line 3 contains a NUL character/.test(e.message),
    );
  });

  it('reads UTF-8, with or without a BOM', () => {
    const utf8 = Buffer.from('email\njosé@partner.example\n');
    assert.doesNotThrow(() => checkCsvText(utf8));
    assert.deepEqual(
      parseBulkCsv(utf8).map((r) => [r.line, r.email]),
      [[2, 'josé@partner.example']],
    );
    assert.deepEqual(
      parseBulkCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8])).map((r) => [r.line, r.email]),
      [[2, 'josé@partner.example']],
    );
  });
});
