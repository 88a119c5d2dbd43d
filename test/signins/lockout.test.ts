// One lockout per account, whatever the path (signins/lockout.ts), on both stores over HTTP: a member of Fabrikam
// who is a pending guest of Contoso is attacked through the redemption's home sign-in and through Fabrikam's own
// page, from a new client address each time behind a trusted proxy, on one node or two sharing the store. Also the
// per-address cap on code guesses across fresh codes, and expiry with an injected clock (no sleeping).
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import pino from 'pino';

import { buildPortico, type Portico } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openStore } from '../../src/store/index.ts';
import { readAllPages, tenantWithApi, type GraphObject, type TenantApi } from '../helpers/api.ts';
import { appClient, type AppClient } from '../helpers/app-client.ts';
import { freePort } from '../helpers/net.ts';
import { mailedCode, openLink, submit, type Redeemer } from '../helpers/redeem.ts';
import { TEST_PASSWORD_COST, type TestServer } from '../helpers/server.ts';
import { CookieJar, follow, formAction, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = 'correct-horse-battery';
const MIN = 60_000;
const WINDOW = 15 * MIN;
const XFF = 'x-forwarded-for';

suite(
  'one lockout per account',
  { clock: 'manual', runWorker: false, env: { PORTICO_TRUSTED_PROXIES: '127.0.0.1' } },
  ({ s, clock }) => {
    let contoso: TenantApi;
    let fabrikam: TenantApi;
    let app: AppClient;
    // A new client address for every request: the per-IP limits never speak, only the account's.
    let n = 0;
    const nextIp = () => {
      n++;
      return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
    };

    before(async () => {
      contoso = await tenantWithApi(s, 'Contoso');
      fabrikam = await tenantWithApi(s, 'Fabrikam', {
        domain: 'fabrikam.example',
        adminEmail: 'admin@fabrikam.example',
      });
      app = await appClient(s, fabrikam.tenantId);
    });

    /** A member of Fabrikam with PASSWORD, invited by Contoso (so a pending guest there). */
    async function invitedMember(nick: string) {
      const upn = `${nick}@fabrikam.example`;
      const created = await fabrikam.api('POST', '/v1.0/users', {
        accountEnabled: true,
        displayName: nick,
        mailNickname: nick,
        userPrincipalName: upn,
        passwordProfile: { password: PASSWORD, forceChangePasswordNextSignIn: false },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const invitation = await contoso.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: upn,
        inviteRedirectUrl: 'https://expenses.contoso.example/',
      });
      assert.equal(invitation.status, 201, JSON.stringify(invitation.body));
      return { id: created.body.id as string, upn, link: invitation.body.inviteRedeemUrl as string };
    }

    /** A fresh browser at the redemption's sign-in at the guest's home (Fabrikam's branded page), on `node`. */
    async function homeSignIn(link: string, node: Pick<TestServer, 'baseUrl'> = s): Promise<Redeemer> {
      const at = node as TestServer;
      const page = await submit(
        at,
        await openLink(at, link.replace(s.baseUrl, node.baseUrl), new CookieJar({ [XFF]: nextIp() })),
        '/redeem/start',
      );
      assert.match(page.page, /Sign in to Fabrikam/);
      return page;
    }
    /** One password through the redemption's home sign-in, from a new address. */
    async function viaRedemption(r: Redeemer, password: string, node: Pick<TestServer, 'baseUrl'> = s) {
      r.jar.headers[XFF] = nextIp();
      return submit(node as TestServer, r, '/redeem/home', { password });
    }

    /** Fabrikam's own sign-in page for `upn` (an app of Fabrikam's authorization): a function trying one password. */
    async function ownPage(upn: string) {
      const jar = new CookieJar({ [XFF]: nextIp() });
      const first = await follow(jar, (await app.start()).url, s.baseUrl);
      const identifier = await postForm(
        jar,
        new URL(formAction(await first.res!.text(), '/identifier'), s.baseUrl).toString(),
        { login: upn },
      );
      assert.equal(identifier.status, 200);
      const action = new URL(formAction(await identifier.text(), '/password'), s.baseUrl).toString();
      return async (password: string) => {
        jar.headers[XFF] = nextIp();
        const res = await postForm(jar, action, { login: upn, password });
        return { status: res.status, page: await res.text() };
      };
    }

    /** The member's entries in Fabrikam's sign-in log, read through the API. */
    const fabrikamLog = async (userId: string) =>
      (await readAllPages(fabrikam.api, s.baseUrl, `/v1.0/auditLogs/signIns?$filter=userId eq '${userId}'`))
        .items as (GraphObject & { ipAddress: string; status: { errorCode: number; failureReason: string } })[];
    const codes = (entries: { status: { errorCode: number } }[]) =>
      entries.map((e) => e.status.errorCode).sort((a, b) => a - b);

    it('throttles the redemption home sign-in like the home page: 30 guesses from 30 addresses, refused after 10, all in the home log', async () => {
      const bea = await invitedMember('bea');
      const r = await homeSignIn(bea.link);
      const ips: string[] = [];
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        const res = await viaRedemption(r, `wrong-password-${i}`);
        ips.push(r.jar.headers[XFF]!);
        statuses.push(res.status);
      }
      assert.deepEqual(statuses, [...Array(10).fill(400), ...Array(20).fill(429)]);
      const right = await viaRedemption(r, PASSWORD);
      assert.equal(right.status, 429, 'the right password is refused while locked');
      assert.match(right.page, /Too many attempts/);

      // The same 30 guesses at Fabrikam's own page, against another member, get the same answers.
      const cy = await invitedMember('cy');
      const own = await ownPage(cy.upn);
      const ownStatuses: number[] = [];
      for (let i = 0; i < 30; i++) ownStatuses.push((await own(`wrong-password-${i}`)).status);
      assert.deepEqual(ownStatuses, statuses);

      const log = await fabrikamLog(bea.id);
      assert.equal(log.length, 31, 'every guess and the refused right password');
      assert.deepEqual(codes(log), [...Array(21).fill(50053), ...Array(10).fill(50126)]);
      for (const ip of ips)
        assert.equal(
          log.filter((e) => e.ipAddress === ip).length,
          1,
          `the attempt from ${ip} is logged with its address`,
        );
    });

    it('counts one account across paths: the home page then the redemption, and back', async () => {
      const dee = await invitedMember('dee');
      const own = await ownPage(dee.upn);
      for (let i = 0; i < 10; i++) assert.equal((await own(`wrong-${i}`)).status, 400);
      assert.equal(
        (await viaRedemption(await homeSignIn(dee.link), PASSWORD)).status,
        429,
        'failures at the home page lock the redemption path',
      );

      const eli = await invitedMember('eli');
      const r = await homeSignIn(eli.link);
      for (let i = 0; i < 10; i++) assert.equal((await viaRedemption(r, `wrong-${i}`)).status, 400);
      assert.equal(
        (await (await ownPage(eli.upn))(PASSWORD)).status,
        429,
        'failures at the redemption lock the home page',
      );
      assert.deepEqual(codes(await fabrikamLog(eli.id)), [50053, ...Array(10).fill(50126)]);
    });

    it('counts one account across two server instances sharing the store', async () => {
      const port = await freePort();
      const config = loadConfig({
        PORTICO_DATABASE_URL: s.testStore.url,
        PORTICO_PORT: String(port),
        PORTICO_BASE_URL: `http://127.0.0.1:${port}`,
        PORTICO_LOG_LEVEL: 'silent',
        PORTICO_DEV: '0',
        PORTICO_TRUSTED_PROXIES: '127.0.0.1',
        ...TEST_PASSWORD_COST,
      });
      const second: Portico = await buildPortico(config, {
        store: openStore({ url: s.testStore.url }),
        clock,
        log: pino({ level: 'silent' }),
        runWorker: false,
      });
      await second.listen();
      try {
        const node2 = { baseUrl: config.baseUrl };
        const fay = await invitedMember('fay');
        const one = await homeSignIn(fay.link);
        const two = await homeSignIn(fay.link, node2);
        for (let i = 0; i < 5; i++) {
          assert.equal((await viaRedemption(one, `wrong-a${i}`)).status, 400);
          assert.equal((await viaRedemption(two, `wrong-b${i}`, node2)).status, 400);
        }
        assert.equal((await viaRedemption(one, PASSWORD)).status, 429);
        assert.equal((await viaRedemption(two, PASSWORD, node2)).status, 429);
        assert.equal((await (await ownPage(fay.upn))(PASSWORD)).status, 429);
      } finally {
        await second.close();
      }
    });

    it('lets the account in again when the 15-minute window ends, and a success clears the count', async () => {
      const gil = await invitedMember('gil');
      const own = await ownPage(gil.upn);
      for (let i = 0; i < 10; i++) assert.equal((await own(`wrong-${i}`)).status, 400);
      assert.equal((await own(PASSWORD)).status, 429);
      clock.advance(WINDOW - 1000);
      assert.equal(
        (await viaRedemption(await homeSignIn(gil.link), PASSWORD)).status,
        429,
        'one second before the window ends',
      );
      clock.advance(1000);
      const signedIn = await (await ownPage(gil.upn))(PASSWORD);
      assert.equal(signedIn.status, 303, 'the window has ended');
      const again = await ownPage(gil.upn);
      for (let i = 0; i < 10; i++)
        assert.equal((await again(`wrong-again-${i}`)).status, 400, 'the success cleared the count');
    });

    it('locks the account at 100 consecutive failures until an administrator resets the password; a success resets the count', async () => {
      const hal = await invitedMember('hal');
      /** 10 wrong passwords through the redemption (the window's worth), then the window passes. */
      const wrongWindow = async (w: number) => {
        const r = await homeSignIn(hal.link);
        for (let i = 0; i < 10; i++)
          assert.equal((await viaRedemption(r, `wrong-${w}-${i}`)).status, 400, `window ${w}, guess ${i}`);
        clock.advance(WINDOW);
      };
      for (let w = 0; w < 9; w++) await wrongWindow(w);
      assert.equal(
        (await viaRedemption(await homeSignIn(hal.link), PASSWORD)).status,
        200,
        'after 90 failures the right password still works',
      );
      // Without the reset on success, the 11th failure from here would be the 101st in a row and refused.
      for (let w = 9; w < 19; w++) await wrongWindow(w);
      const refused = await viaRedemption(await homeSignIn(hal.link), PASSWORD);
      assert.equal(refused.status, 429, '100 consecutive failures: locked');
      assert.match(refused.page, /locked after too many wrong passwords/);
      clock.advance(30 * 24 * 60 * MIN);
      const own = await (await ownPage(hal.upn))(PASSWORD);
      assert.equal(own.status, 429, 'a month later, on the home page too: still locked');
      assert.match(own.page, /Ask your administrator to reset your password/);
      const log = await fabrikamLog(hal.id);
      assert.equal(log.filter((e) => e.status.errorCode === 50053).length, 2, 'both refusals while locked');
      assert.equal(log.filter((e) => e.status.errorCode === 50126).length, 190);

      const reset = await fabrikam.api('PATCH', `/v1.0/users/${hal.id}`, {
        passwordProfile: { password: 'a-brand-new-password', forceChangePasswordNextSignIn: false },
      });
      assert.equal(reset.status, 204, JSON.stringify(reset.body));
      assert.equal((await (await ownPage(hal.upn))('a-brand-new-password')).status, 303, 'the reset ends the lock');
    });

    it('caps code guesses per address across fresh codes', async () => {
      const address = 'ivy@partner.example';
      const invitation = await contoso.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: address,
        inviteRedirectUrl: 'https://expenses.contoso.example/',
      });
      const start = async () =>
        submit(
          s,
          await openLink(s, invitation.body.inviteRedeemUrl, new CookieJar({ [XFF]: nextIp() })),
          '/redeem/start',
        );
      let r = await start();
      assert.match(r.page, /Enter code/);
      const guess = async (code: string) => {
        r.jar.headers[XFF] = nextIp();
        return (r = await submit(s, r, '/redeem/passcode', { code }));
      };
      const fresh = async () => {
        clock.advance(MIN);
        r.jar.headers[XFF] = nextIp();
        r = await submit(s, r, '/redeem/passcode/resend');
        assert.equal(r.status, 200, r.page.replace(/[\s\S]*<main/, '').slice(0, 1500));
        return mailedCode(s, address);
      };
      const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');
      const first = await mailedCode(s, address);
      for (let i = 0; i < 5; i++) assert.equal((await guess(wrongFor(first))).status, 400);
      assert.match(r.page, /this code no longer works/, 'the first code had its five tries');
      const second = await fresh();
      for (let i = 0; i < 5; i++) assert.equal((await guess(wrongFor(second))).status, 400);
      const third = await fresh();
      const capped = await guess(third);
      assert.equal(capped.status, 429, 'a fresh code brings no fresh guesses: even the right one waits');
      assert.match(capped.page, /Too many wrong codes for this address/);
      clock.advance(60 * MIN);
      r = await start(); // the hour outlived the redemption's flow: the link again, which mails a code
      assert.match(
        (await guess(await mailedCode(s, address))).page,
        /Review permissions/,
        'an hour later the right code works',
      );
    });
  },
);
