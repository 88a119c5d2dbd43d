// Terms of use inside the invitation flow: shown after consent; accept completes; decline leaves the guest
// pending; an agreement that must be viewed needs the "I have read" box.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { createAgreement } from '../../src/consent/terms.ts';
import { mailedCode, openLink, submit } from '../helpers/redeem.ts';
import { suite } from '../helpers/suite.ts';

suite('terms of use in the flow', { runWorker: false, tenant: 'Contoso' }, ({ s, t }) => {
  before(async () => {
    const { store, clock } = s.portico.services;
    await store.transaction((tx) =>
      createAgreement(tx, clock, t.tenantId, {
        displayName: 'Contoso guest terms',
        isViewingBeforeAcceptanceRequired: true,
        reacceptDays: null,
        files: [
          {
            fileName: 'terms.txt',
            language: 'en-US',
            isDefault: true,
            contentType: 'text/plain',
            data: Buffer.from('Be nice.\n\nNo <script>alert(1)</script> please.').toString('base64'),
          },
        ],
      }),
    );
  });

  async function atTerms(email: string) {
    const inv = (
      await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: email,
        inviteRedirectUrl: 'https://x.example/',
      })
    ).body;
    const code = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
    const consent = await submit(s, code, '/redeem/passcode', { code: await mailedCode(s, email) });
    const terms = await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    return { inv, terms };
  }
  const state = async (id: string) => (await t.api('GET', `/v1.0/users/${id}`)).body.externalUserState;

  it('shows the terms after consent, escaped; accepting (having viewed them) completes', async () => {
    const { inv, terms } = await atTerms('tia@partner.example');
    assert.match(terms.page, /Contoso guest terms/);
    assert.match(terms.page, /&lt;script&gt;/);
    assert.doesNotMatch(terms.page, /<script>alert/);
    const unviewed = await submit(s, terms, '/redeem/terms', { decision: 'accept' });
    assert.equal(unviewed.status, 400, 'the box must be ticked');
    assert.equal(await state(inv.invitedUser.id), 'PendingAcceptance');
    const done = await submit(s, terms, '/redeem/terms', { decision: 'accept', viewed: '1' });
    assert.equal(done.location, `${s.baseUrl}/myapps?tenantid=${t.tenantId}`);
    assert.equal(await state(inv.invitedUser.id), 'Accepted');
    const rows = await s.portico.services.store.db
      .selectFrom('agreement_acceptances')
      .select(['state', 'version'])
      .where('user_id', '=', inv.invitedUser.id)
      .execute();
    assert.deepEqual(rows, [{ state: 'accepted', version: 1 }]);
  });

  it('declining leaves the guest pending and records the decline', async () => {
    const { inv, terms } = await atTerms('tom@partner.example');
    const declined = await submit(s, terms, '/redeem/terms', { decision: 'decline' });
    assert.match(declined.page, /You declined Contoso guest terms/);
    assert.equal(await state(inv.invitedUser.id), 'PendingAcceptance');
    const rows = await s.portico.services.store.db
      .selectFrom('agreement_acceptances')
      .select('state')
      .where('user_id', '=', inv.invitedUser.id)
      .execute();
    assert.deepEqual(rows, [{ state: 'declined' }]);
  });
});
