import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isEmailAddress } from '../../src/directory/address.ts';
import { isDomainName, slugify } from '../../src/directory/tenants.ts';
import { enUS } from '../../src/i18n/en-US.ts';
import { LANGS, pickLang, t } from '../../src/i18n/index.ts';
import { rewriteClientAuth } from '../../src/oidc/client-auth.ts';
import { hashSecret, newNumericCode, newSecret, secretMatches } from '../../src/secrets.ts';

describe('languages', () => {
  it('every catalog defines every key, with the same placeholders', () => {
    for (const [lang, catalog] of Object.entries(LANGS)) {
      assert.deepEqual(Object.keys(catalog).sort(), Object.keys(enUS).sort(), lang);
      for (const [key, text] of Object.entries(catalog)) {
        const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        assert.deepEqual(names(text), names(enUS[key as keyof typeof enUS]), `${lang} ${key}`);
      }
    }
  });
  it('picks the best language from Accept-Language, falling back to en-US', () => {
    assert.equal(pickLang('de-CH,de;q=0.9,en;q=0.8'), 'de-DE');
    assert.equal(pickLang('fr-FR, en;q=0.5'), 'en-US');
    assert.equal(pickLang('en;q=0.2, de;q=0.9'), 'de-DE');
    assert.equal(pickLang(undefined, 'de-DE'), 'de-DE');
    assert.equal(pickLang(''), 'en-US');
    assert.equal(
      t('de-DE', 'logout.done', { tenant: 'Contoso' }),
      'Sie haben sich von Contoso abgemeldet. Sie können dieses Fenster schließen.',
    );
  });
});

describe('secrets', () => {
  it('makes long random secrets and compares their hashes', () => {
    const a = newSecret();
    assert.ok(a.length >= 43 && a !== newSecret());
    assert.ok(secretMatches(a, hashSecret(a)));
    assert.ok(!secretMatches(`${a}x`, hashSecret(a)));
    assert.ok(!secretMatches(a, 'short'));
  });
  it('makes numeric codes of the requested length, all digits', () => {
    for (let i = 0; i < 200; i++) assert.match(newNumericCode(6), /^\d{6}$/);
  });
});

describe('names and addresses', () => {
  it('slugs, domains and addresses', () => {
    assert.equal(slugify('Fabrikam, Inc.'), 'fabrikam-inc');
    assert.equal(slugify('Ünïcödé GmbH'), 'unicode-gmbh');
    assert.equal(slugify('!!!'), 'tenant');
    assert.ok(isDomainName('contoso.com') && !isDomainName('contoso') && !isDomainName('-bad.com'));
    assert.ok(isEmailAddress('a.b+c@x.example'));
    for (const bad of ['a@b', 'a b@x.com', 'a@x.com\r\nBcc: evil@x.com', '<a@x.com>', 'a@@x.com'])
      assert.ok(!isEmailAddress(bad), bad);
  });
});

describe('client authentication at the edge', () => {
  it('hashes a posted secret and moves Basic credentials into the body', () => {
    const posted = rewriteClientAuth(
      'grant_type=client_credentials&client_id=c&client_secret=s3cret',
      undefined,
      'http://x/v1.0',
    );
    assert.equal(posted.params.get('client_secret'), hashSecret('s3cret'));
    const basic = rewriteClientAuth(
      'grant_type=client_credentials',
      `Basic ${Buffer.from('c%3A1:p%40ss').toString('base64')}`,
      'http://x/v1.0',
    );
    const params = basic.params;
    assert.equal(params.get('client_id'), 'c:1');
    assert.equal(params.get('client_secret'), hashSecret('p@ss'));
    assert.equal(basic.authorization, undefined);
  });
  it("turns Entra's scope=<api>/.default into a resource indicator", () => {
    const r = rewriteClientAuth(
      'grant_type=client_credentials&scope=http%3A%2F%2Fx%2Fv1.0%2F.default',
      undefined,
      'http://x/v1.0',
    ).params;
    assert.equal(r.get('scope'), null);
    assert.equal(r.get('resource'), 'http://x/v1.0');
  });
});
