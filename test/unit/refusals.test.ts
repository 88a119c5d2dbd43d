// Refusals by code (src/errors.ts): every key a throw site names has its text in every catalog, every text in the
// catalogs is used, a refusal's message is its en-US text (what the API sends) and `text(lang)` its translation.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

import { cliLang } from '../../src/cli/context.ts';
import { ObjectConflict, PorticoError, ResourceNotFound, TooManyRequests } from '../../src/errors.ts';
import { LANGS } from '../../src/i18n/index.ts';
import { refusalsDeDE } from '../../src/i18n/refusals.de-DE.ts';
import { refusalsEnUS } from '../../src/i18n/refusals.en-US.ts';
import { ROOT } from '../helpers/spawn.ts';

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
const files = sources(join(ROOT, 'src')).filter((f) => !f.includes('/i18n/'));
const catalogKeys = Object.keys(refusalsEnUS).map((k) => k.replace(/^refusal\./, ''));

/** The string literals an expression can evaluate to (both sides of a conditional). */
const literals = (e: ts.Expression): string[] =>
  ts.isStringLiteralLike(e)
    ? [e.text]
    : ts.isConditionalExpression(e)
      ? [...literals(e.whenTrue), ...literals(e.whenFalse)]
      : ts.isParenthesizedExpression(e)
        ? literals(e.expression)
        : [];

/** Every key literal at a refusal's construction: `new X('key', ...)` for the error classes, `invalid(field, 'key')`. */
function keysAtThrowSites(): { key: string; at: string }[] {
  const found: { key: string; at: string }[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    const visit = (n: ts.Node) => {
      const at = `${file.slice(ROOT.length)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.arguments?.length) {
        const name = n.expression.text;
        const index = name === 'BulkUploadRefused' || name === 'BulkCsvError' ? 1 : 0;
        const arg = n.arguments[index];
        if (arg && /^[A-Z]\w+$/.test(name))
          for (const key of literals(arg)) if (/^[a-z]+\.\w+$/.test(key)) found.push({ key, at });
      }
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'invalid' && n.arguments[1])
        for (const key of literals(n.arguments[1])) found.push({ key, at });
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return found;
}

describe('refusal catalogs', () => {
  it('every key a throw site names has its text in en-US and de-DE', () => {
    const sites = keysAtThrowSites();
    assert.ok(sites.length > 200, `found ${sites.length} throw sites`);
    for (const { key, at } of sites) {
      for (const [lang, catalog] of Object.entries(LANGS))
        assert.equal(typeof catalog[`refusal.${key}` as keyof typeof catalog], 'string', `${at}: ${key} in ${lang}`);
    }
  });

  it('every refusal text is used somewhere in src/, once per distinct text', () => {
    const code = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    const unused = catalogKeys.filter((key) => !code.includes(`'${key}'`));
    assert.deepEqual(unused, []);
    // Texts that are only a detail passed through (a parser's words) differ in German by what they say around it.
    const texts = Object.values(refusalsEnUS).filter((text) => text !== '{detail}');
    assert.equal(new Set(texts).size, texts.length, 'two keys with the same English text');
  });

  it('every refusal is translated: the German differs from the English wherever there are words to translate', () => {
    const untranslated = Object.entries(refusalsEnUS)
      .filter(([, english]) => english.replace(/\{\w+\}/g, '').trim() !== '')
      .filter(([key, english]) => refusalsDeDE[key as keyof typeof refusalsDeDE] === english)
      .map(([key]) => key);
    assert.deepEqual(untranslated, []);
  });
});

describe('a refusal', () => {
  it('carries its code, key and parameters; its message is the en-US text; text(lang) translates it', () => {
    const error = new ResourceNotFound('resource.notFound', { id: 'abc' });
    assert.ok(error instanceof PorticoError);
    assert.equal(error.code, 'Request_ResourceNotFound');
    assert.equal(error.status, 404);
    assert.equal(error.key, 'resource.notFound');
    assert.deepEqual(error.params, { id: 'abc' });
    assert.equal(
      error.message,
      "Resource 'abc' does not exist or one of its queried reference-property objects are not present.",
    );
    assert.equal(error.text('en-US'), error.message);
    assert.equal(
      error.text('de-DE'),
      'Die Ressource "abc" gibt es nicht, oder eines ihrer abgefragten Verweisobjekte ist nicht vorhanden.',
    );
  });

  it('shows parameters as a template literal would, and a parameter that looks like a placeholder as it is', () => {
    assert.equal(
      new TooManyRequests('passcode.cooldown', { resendCooldownSeconds: 60 }).message,
      'A code was sent less than 60 seconds ago. Wait a moment before asking for another.',
    );
    assert.equal(
      new ObjectConflict('user.mailTaken', { email: '{email}$&' }).message,
      "Another user of this tenant already has the address '{email}$&'.",
    );
    assert.equal(
      new ObjectConflict('tenant.domainTaken', { extra: undefined }).message,
      "The domain 'undefined' already belongs to another tenant.",
    );
  });
});

describe('the CLI language', () => {
  it('follows LC_ALL, then LC_MESSAGES, then LANG, and is en-US when the locale names no language Portico speaks', () => {
    assert.equal(cliLang({ LANG: 'de_DE.UTF-8' }), 'de-DE');
    assert.equal(cliLang({ LANG: 'de_AT@euro' }), 'de-DE');
    assert.equal(cliLang({ LANG: 'en_US.UTF-8' }), 'en-US');
    assert.equal(cliLang({ LANG: 'de_DE.UTF-8', LC_MESSAGES: 'en_GB.UTF-8' }), 'en-US');
    assert.equal(cliLang({ LANG: 'de_DE.UTF-8', LC_ALL: 'C' }), 'en-US');
    assert.equal(cliLang({ LANG: 'C.UTF-8' }), 'en-US');
    assert.equal(cliLang({ LANG: 'fr_FR.UTF-8' }), 'en-US');
    assert.equal(cliLang({}), 'en-US');
  });
});
