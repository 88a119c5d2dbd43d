// The invitation email is rendered once per content and each invitation's links put in (mail/templates/invitation.tsx):
// what it gives must be exactly the email rendered whole, whatever the links hold (characters HTML escapes, `$&`,
// which a string replacement would expand), and two invitations of one content must not share their links.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { renderContent, renderInvitation, type InvitationMailData } from '../../src/mail/templates/invitation.tsx';

const base: InvitationMailData = {
  lang: 'en-US',
  tenantName: 'Contoso <Ltd> & "Partners"',
  inviter: { name: "Ann O'Neil", email: 'ann@contoso.example' },
  redeemUrl: 'https://portico.example/redeem?ticket=abc',
  redirectHost: 'apps.contoso.example',
  customizedMessage: 'Welcome & <b>hello</b> $& $1',
  privacyStatementUrl: 'https://contoso.example/privacy?a=1&b="2"',
  optOutUrl: 'https://portico.example/optout?l=xyz',
};

describe('the invitation email rendered once per content', () => {
  it('is exactly the email rendered whole, links and all', async () => {
    const variants: InvitationMailData[] = [
      base,
      {
        ...base,
        redeemUrl: `https://portico.example/redeem?ticket=a&b='c'"<d>$&$'$\``,
        optOutUrl: 'https://x.example/?q=$1&r=<s>',
      },
      { ...base, optOutUrl: undefined, customizedMessage: undefined, lang: 'de-DE' },
      {
        ...base,
        inviter: { name: 'Contoso', email: null },
        privacyStatementUrl: null,
        logoUrl: 'https://contoso.example/logo.png?x=1&y=2',
      },
    ];
    for (const d of variants) {
      // Twice: the first renders the content, the second reuses it.
      for (let i = 0; i < 2; i++) assert.deepEqual(await renderInvitation(d), await renderContent(d));
    }
  });

  it('puts in each invitation its own links', async () => {
    const one = await renderInvitation({ ...base, redeemUrl: 'https://portico.example/redeem?ticket=one' });
    const two = await renderInvitation({
      ...base,
      redeemUrl: 'https://portico.example/redeem?ticket=two',
      optOutUrl: 'https://portico.example/optout?l=two',
    });
    assert.match(one.html, /ticket=one/);
    assert.doesNotMatch(one.html, /ticket=two|l=two/);
    assert.match(two.text, /ticket=two/);
    assert.match(two.text, /optout\?l=two/);
    assert.doesNotMatch(two.text, /ticket=one/);
  });
});
