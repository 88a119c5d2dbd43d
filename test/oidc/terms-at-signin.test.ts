// Terms of use are checked at every sign-in: shown the first time, not again once accepted, again after a new
// version and after the re-accept period; declining ends the sign-in with access_denied.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import * as client from 'openid-client';

import { registerApp } from '../../src/apps/apps.ts';
import { addVersion, createAgreement } from '../../src/consent/terms.ts';
import type { ProvisionedTenant } from '../../src/directory/provisioning.ts';
import { CookieJar, follow, formAction, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const REDIRECT = 'http://127.0.0.1:1/callback';
const text = (s: string) => Buffer.from(s).toString('base64');

suite('terms of use at sign-in', { clock: 'manual', runWorker: false }, ({ s, clock }) => {
  let p: ProvisionedTenant;
  let rp: client.Configuration;
  let agreementId: string;
  before(async () => {
    p = await s.provision('Contoso');
    const { store } = s.portico.services;
    const { app, clientSecret } = await store.transaction((tx) =>
      registerApp(tx, clock, p.tenant.id, {
        displayName: 'RP',
        grantTypes: ['authorization_code'],
        redirectUris: [REDIRECT],
      }),
    );
    rp = await client.discovery(new URL(`${s.baseUrl}/${p.tenant.id}/v2.0`), app.clientId, clientSecret!, undefined, {
      execute: [client.allowInsecureRequests],
    });
    agreementId = (
      await store.transaction((tx) =>
        createAgreement(tx, clock, p.tenant.id, {
          displayName: 'Acceptable use',
          isViewingBeforeAcceptanceRequired: false,
          reacceptDays: 30,
          // The one signing in is the tenant's administrator: terms apply to administrators only when chosen.
          appliesTo: { users: 'allUsers', groupIds: [], includeAdministrators: true },
          files: [
            {
              fileName: 'aup.txt',
              language: 'en-US',
              isDefault: true,
              contentType: 'text/plain',
              data: text('Use it well.'),
            },
          ],
        }),
      )
    ).id;
  });

  /** Signs in with a fresh browser; returns the terms page (if shown) and a way to answer it. */
  const authorizeUrl = async () =>
    client
      .buildAuthorizationUrl(rp, {
        redirect_uri: REDIRECT,
        scope: 'openid',
        state: 'st',
        code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
        code_challenge_method: 'S256',
      })
      .toString();
  async function signIn(jar = new CookieJar()) {
    const first = await follow(jar, await authorizeUrl(), s.baseUrl);
    const idAction = new URL(formAction(await first.res!.text(), '/identifier'), s.baseUrl).toString();
    const pwPage = await (await postForm(jar, idAction, { login: p.admin.userPrincipalName })).text();
    const after = await postForm(jar, new URL(formAction(pwPage, '/password'), s.baseUrl).toString(), {
      login: p.admin.userPrincipalName,
      password: p.adminPassword,
    });
    if (after.status === 303)
      return {
        terms: undefined,
        landed: (await follow(jar, new URL(after.headers.get('location')!, s.baseUrl).toString(), s.baseUrl)).url,
      };
    const html = await after.text();
    const answer = async (decision: string) => {
      const res = await postForm(jar, new URL(formAction(html, '/terms'), s.baseUrl).toString(), {
        csrf: /name="csrf" value="([^"]+)"/.exec(html)![1]!,
        decision,
      });
      return (await follow(jar, new URL(res.headers.get('location')!, s.baseUrl).toString(), s.baseUrl)).url;
    };
    return { terms: html, answer };
  }

  it('shows the terms at first sign-in and not again once accepted', async () => {
    const first = await signIn();
    assert.match(first.terms!, /Acceptable use/);
    assert.ok((await first.answer!('accept')).startsWith(`${REDIRECT}?code=`));
    const second = await signIn();
    assert.equal(second.terms, undefined);
    assert.ok(second.landed!.startsWith(`${REDIRECT}?code=`));
  });

  it('shows them again after a new version, and after the re-accept period', async () => {
    await s.portico.services.store.transaction((tx) =>
      addVersion(tx, clock, p.tenant.id, agreementId, [
        {
          fileName: 'aup.txt',
          language: 'en-US',
          isDefault: true,
          contentType: 'text/plain',
          data: text('Use it even better.'),
        },
      ]),
    );
    const renewed = await signIn();
    assert.match(renewed.terms!, /Use it even better/);
    await renewed.answer!('accept');
    assert.equal((await signIn()).terms, undefined);
    clock.advance(31 * 86_400_000);
    const periodic = await signIn();
    assert.ok(periodic.terms, 'shown again after 30 days');
    await periodic.answer!('accept');
  });

  it('a version published while the session is open is asked at the next sign-in through that session', async () => {
    const signedIn = new CookieJar();
    const first = await signIn(signedIn);
    // The version in force was accepted in the test before: this sign-in shows no terms and lands in the app.
    assert.equal(first.terms, undefined);
    assert.ok(first.landed!.startsWith(`${REDIRECT}?code=`));
    // Silent: the open session signs in without any page.
    assert.ok((await follow(signedIn, await authorizeUrl(), s.baseUrl)).url.startsWith(`${REDIRECT}?code=`));
    await s.portico.services.store.transaction((tx) =>
      addVersion(tx, clock, p.tenant.id, agreementId, [
        {
          fileName: 'aup.txt',
          language: 'en-US',
          isDefault: true,
          contentType: 'text/plain',
          data: text('Published meanwhile.'),
        },
      ]),
    );
    const reached = await follow(signedIn, await authorizeUrl(), s.baseUrl);
    assert.equal(reached.res?.status, 200, reached.url);
    const html = await reached.res!.text();
    assert.match(html, /Published meanwhile/);
    const accepted = await postForm(signedIn, new URL(formAction(html, '/terms'), s.baseUrl).toString(), {
      csrf: /name="csrf" value="([^"]+)"/.exec(html)![1]!,
      decision: 'accept',
    });
    assert.ok(
      (
        await follow(signedIn, new URL(accepted.headers.get('location')!, s.baseUrl).toString(), s.baseUrl)
      ).url.startsWith(`${REDIRECT}?code=`),
    );
    assert.ok(
      (await follow(signedIn, await authorizeUrl(), s.baseUrl)).url.startsWith(`${REDIRECT}?code=`),
      'accepted: silent again',
    );
  });

  it('declining ends the sign-in with access_denied', async () => {
    await s.portico.services.store.transaction((tx) =>
      addVersion(tx, clock, p.tenant.id, agreementId, [
        {
          fileName: 'aup.txt',
          language: 'en-US',
          isDefault: true,
          contentType: 'text/plain',
          data: text('Version three.'),
        },
      ]),
    );
    const landed = await (await signIn()).answer!('decline');
    assert.ok(landed.startsWith(REDIRECT) && /error=access_denied/.test(landed), landed);
  });
});
