// Security info (/myapps/security-info) over HTTP: a member without a policy adds an authenticator app from My Apps
// (post/redirect/get), and in a later session that did no MFA must prove the app before any change: adding another
// method or deleting one is refused until a code from the app is entered, which the session then remembers.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';

import { newUserBody, type GraphObject } from '../helpers/api.ts';
import { CookieJar, follow, formAction, postForm, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = newUserBody('x').passwordProfile.password;
const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)![1]!;

suite('Security info', { clock: 'manual', tenant: 'Contoso' }, ({ s, t, clock }) => {
  let cara: GraphObject;
  const upn = () => `cara@${t.domain}`;
  before(async () => {
    cara = (await t.api('POST', '/v1.0/users', newUserBody(upn(), 'Cara', { mail: 'cara@partner.example' }))).body;
  });

  /** Signs Cara in to My Apps in a new browser: its session at the tenant (no MFA: no policy asks for it). */
  async function myApps(): Promise<CookieJar> {
    const jar = new CookieJar();
    const first = await follow(jar, `${s.baseUrl}/myapps?tenantid=${t.tenantId}`, s.baseUrl);
    const idPage = await first.res!.text();
    const pw = await postForm(jar, new URL(formAction(idPage, '/identifier'), s.baseUrl).toString(), { login: upn() });
    const done = await postForm(jar, new URL(formAction(await pw.text(), '/password'), s.baseUrl).toString(), {
      login: upn(),
      password: PASSWORD,
    });
    const landed = await follow(jar, new URL(done.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    assert.match(await landed.res!.text(), /Security info/, 'My Apps links to Security info');
    return jar;
  }
  const get = async (jar: CookieJar, path: string) => {
    const res = await request(jar, `${s.baseUrl}${path}`);
    return { res, page: res.status === 200 || res.status === 404 ? await res.text() : '' };
  };
  const info = `/myapps/security-info?tenantid=`;
  let secret = '';
  const code = () => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: clock.now().getTime() });

  /** Adds an authenticator app in Security info in `jar`'s session (one that may add): the POST's answer. */
  async function addApp(jar: CookieJar) {
    const add = await get(jar, `/myapps/security-info/add?tenantid=${t.tenantId}`);
    assert.match(add.page, /Set up your authenticator app/);
    secret = /<code id="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(add.page)![1]!.replace(/ /g, '');
    const posted = await postForm(jar, new URL(formAction(add.page, '/register/code'), s.baseUrl).toString(), {
      csrf: field(add.page, 'csrf'),
      pending: field(add.page, 'pending'),
      code: code(),
    });
    assert.equal(posted.status, 303);
    return posted;
  }

  /** A delete posted with the list's valid form token in a session that proved nothing: not done. */
  async function deleteRefused(jar: CookieJar, listPage: string, id: string) {
    const refused = await postForm(jar, `${s.baseUrl}/myapps/security-info/delete`, {
      csrf: field(listPage, 'csrf'),
      tenantid: t.tenantId,
      id,
    });
    assert.equal(refused.status, 303);
    assert.equal(
      (await t.api('GET', `/v1.0/users/${cara.id}/authentication/softwareOathMethods`)).body.value.length,
      1,
      'a session that proved nothing deletes nothing',
    );
  }

  it('adds an authenticator app with post/redirect/get', async () => {
    const jar = await myApps();
    const list = await get(jar, `${info}${t.tenantId}`);
    assert.match(list.page, /You have not set up any sign-in method yet/);
    const posted = await addApp(jar);
    assert.equal(posted.headers.get('location'), `${info}${t.tenantId}&done=added`);
    const after = await get(jar, posted.headers.get('location')!);
    assert.match(after.page, /Authenticator app was added/);
    assert.equal(
      (await t.api('GET', `/v1.0/users/${cara.id}/authentication/softwareOathMethods`)).body.value.length,
      1,
    );
  });

  it('a session without MFA proves the app before adding or deleting; then it may', async () => {
    clock.advance(30_000);
    const jar = await myApps();
    const [method] = (await t.api('GET', `/v1.0/users/${cara.id}/authentication/softwareOathMethods`)).body.value;
    const add = await get(jar, `/myapps/security-info/add?tenantid=${t.tenantId}`);
    assert.match(add.page, /Enter code/, 'the app is asked for first');
    assert.doesNotMatch(add.page, /totp-secret/);
    // A delete posted with a valid form token is not done either.
    const list = await get(jar, `${info}${t.tenantId}`);
    await deleteRefused(jar, list.page, method.id);
    const verified = await postForm(jar, new URL(formAction(add.page, '/verify/code'), s.baseUrl).toString(), {
      csrf: field(add.page, 'csrf'),
      code: code(),
    });
    assert.equal(verified.status, 303);
    assert.match((await get(jar, `/myapps/security-info/add?tenantid=${t.tenantId}`)).page, /totp-secret/);
    const confirm = await get(jar, `/myapps/security-info/delete/${method.id}?tenantid=${t.tenantId}`);
    assert.match(confirm.page, /Delete Authenticator app\?/);
    const deleted = await postForm(jar, `${s.baseUrl}/myapps/security-info/delete`, {
      csrf: field(confirm.page, 'csrf'),
      tenantid: t.tenantId,
      id: method.id,
    });
    assert.equal(deleted.headers.get('location'), `${info}${t.tenantId}&done=deleted`);
    assert.deepEqual((await t.api('GET', `/v1.0/users/${cara.id}/authentication/softwareOathMethods`)).body.value, []);
  });

  it('a method the methods policy disabled does not prove MFA in Security info (security review)', async () => {
    // Cara has an authenticator app again; then the tenant disables authenticator apps.
    clock.advance(30_000);
    const jar = await myApps();
    await addApp(jar);
    const methods = '/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/softwareOath';
    assert.equal((await t.api('PATCH', methods, { state: 'disabled' })).status, 204);
    clock.advance(30_000);
    // A new session: verifying with the disabled app records no MFA, so changes stay refused.
    const later = await myApps();
    const list = await get(later, `${info}${t.tenantId}`);
    const verify = await postForm(
      later,
      `${s.baseUrl}/myapps/security-info/softwareOath/verify/code?tenantid=${t.tenantId}`,
      {
        csrf: field(list.page, 'csrf'),
        code: code(),
      },
    );
    assert.equal(verify.status, 303);
    const [method] = (await t.api('GET', `/v1.0/users/${cara.id}/authentication/softwareOathMethods`)).body.value;
    await deleteRefused(later, list.page, method.id);
    assert.equal((await t.api('PATCH', methods, { state: 'enabled' })).status, 204);
  });
});
