// The official Microsoft Graph JS SDK (@microsoft/microsoft-graph-client v3) as a real client of Portico, on both
// stores: invitations, paging users with $filter/$select/$top by following @odata.nextLink (by hand and with the
// SDK's PageIterator), $count, and Graph errors surfacing as the SDK's GraphError.
//
// The SDK only speaks https: its URL parser recognises an absolute URL (such as @odata.nextLink) only when it starts
// with `https://`, and its AuthenticationHandler attaches the bearer token only to https URLs whose hostname (the port
// is cut off) is a Graph host or in `customHosts`; to any other URL it sends no Authorization header. So Portico runs
// here as it is deployed, with an https public base URL served by a TLS-terminating proxy. The proxy is stood in for
// by one middleware placed just before the SDK's own HTTPMessageHandler: it sends each request for the public origin
// to Portico's plain-http listener, as a proxy would. Everything else is the SDK's default middleware chain.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import {
  Client,
  GraphError,
  MiddlewareFactory,
  PageIterator,
  type AuthenticationProvider,
  type Context,
  type Middleware,
  type PageCollection,
} from '@microsoft/microsoft-graph-client';

import { appToken } from '../helpers/server.ts';
import { suite } from '../helpers/suite.ts';

/** Portico's public base URL: what the SDK sees, and what Portico puts in @odata.nextLink and redeem URLs. */
const PUBLIC_BASE_URL = 'https://portico.test';
const GUESTS = 30;
const PAGE = 7;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The TLS-terminating proxy in front of Portico: public https URL in, Portico's http listener out. */
class TlsTerminatingProxy implements Middleware {
  /** every URL the SDK requested, as it requested it */
  readonly requested: string[] = [];
  private next?: Middleware;
  constructor(
    private readonly publicOrigin: string,
    readonly listener: string,
  ) {}

  async execute(context: Context): Promise<void> {
    assert.equal(typeof context.request, 'string', 'the SDK passes the URL as a string');
    const url = context.request as string;
    this.requested.push(url);
    assert.ok(url.startsWith(`${this.publicOrigin}/`), `the SDK only calls Portico's public URL, not ${url}`);
    context.request = `${this.listener}${url.slice(this.publicOrigin.length)}`;
    Object.assign((context.options!.headers ??= {}), {
      'X-Forwarded-Proto': 'https',
      'X-Forwarded-Host': new URL(this.publicOrigin).host,
    });
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** A Graph client as an application would build one, with `customHosts` naming Portico's public host. */
function graphClient(
  authProvider: AuthenticationProvider,
  proxy: TlsTerminatingProxy,
  customHosts?: Set<string>,
): Client {
  const middleware = MiddlewareFactory.getDefaultMiddlewareChain(authProvider);
  middleware.splice(middleware.length - 1, 0, proxy); // just before HTTPMessageHandler, which calls fetch
  return Client.initWithMiddleware({ middleware, baseUrl: `${PUBLIC_BASE_URL}/`, defaultVersion: 'v1.0', customHosts });
}

type Guest = { id: string; mail: string; userType: string };

/** Rejects with the SDK's GraphError carrying `statusCode` and `code`. */
async function rejectsWithGraphError(request: Promise<unknown>, statusCode: number, code: string): Promise<GraphError> {
  let thrown: unknown;
  await assert.rejects(request, (e) => {
    thrown = e;
    return true;
  });
  assert.ok(thrown instanceof GraphError, `expected a GraphError, got ${String(thrown)}`);
  assert.equal(thrown.statusCode, statusCode, thrown.body);
  assert.equal(thrown.code, code, thrown.body);
  assert.ok(thrown.message.length > 0, 'the error has a message');
  return thrown;
}

suite(
  'Microsoft Graph JS SDK against Portico',
  { runWorker: false, env: { PORTICO_BASE_URL: PUBLIC_BASE_URL } },
  ({ s }) => {
    let proxy: TlsTerminatingProxy;
    let client: Client;
    let authProvider: AuthenticationProvider;
    let tokenRequests = 0;
    /** every guest invited in this suite, by id */
    const guests = new Map<string, string>();

    before(async () => {
      const { tenant, managementClient } = await s.provision('Contoso');
      const listener = `http://${s.config.host}:${s.config.port}`;
      // A real client-credentials token from the tenant's own token endpoint, for the public API audience.
      const token = await appToken(
        s.baseUrl,
        tenant.id,
        managementClient.clientId,
        managementClient.clientSecret,
        listener,
      );
      authProvider = {
        getAccessToken: async () => {
          tokenRequests++;
          return token;
        },
      };
      proxy = new TlsTerminatingProxy(PUBLIC_BASE_URL, listener);
      // customHosts holds the bare hostname: the SDK compares the URL's hostname with the port cut off.
      client = graphClient(authProvider, proxy, new Set([new URL(PUBLIC_BASE_URL).hostname]));
    });

    const invite = (email: string, extra: Record<string, unknown> = {}) =>
      client
        .api('/invitations')
        .post({ invitedUserEmailAddress: email, inviteRedirectUrl: 'https://apps.contoso.example/start', ...extra });

    it('creates an invitation with client.api("/invitations").post()', async () => {
      const invitation = await invite('alice@fabrikam.example', { invitedUserDisplayName: 'Alice Smith' });
      assert.equal(invitation.status, 'PendingAcceptance');
      assert.equal(invitation.invitedUserEmailAddress, 'alice@fabrikam.example');
      assert.equal(invitation.invitedUserType, 'Guest');
      assert.match(invitation.inviteRedeemUrl, /^https:\/\/portico\.test\/redeem\?ticket=[A-Za-z0-9_-]{43}$/);
      assert.match(invitation.invitedUser.id, UUID);
      guests.set(invitation.invitedUser.id, 'alice@fabrikam.example');

      const { '@odata.context': context, ...user } = await client
        .api(`/users/${invitation.invitedUser.id}`)
        .select(['userType', 'mail', 'externalUserState'])
        .get();
      assert.equal(context, `${PUBLIC_BASE_URL}/v1.0/$metadata#users/$entity`);
      assert.deepEqual(user, {
        userType: 'Guest',
        mail: 'alice@fabrikam.example',
        externalUserState: 'PendingAcceptance',
      });
    });

    it(`pages ${GUESTS} guests with filter/select/top, following @odata.nextLink with client.api(nextLink)`, async () => {
      for (let i = guests.size; i < GUESTS; i++) {
        const mail = `guest${String(i).padStart(2, '0')}@partner${i % 3}.example`;
        const invitation = await invite(mail);
        assert.equal(invitation.status, 'PendingAcceptance');
        guests.set(invitation.invitedUser.id, mail);
      }
      assert.equal(guests.size, GUESTS);

      const seen: Guest[] = [];
      const pages: PageCollection[] = [];
      let page: PageCollection = await client
        .api('/users')
        .filter("userType eq 'Guest'")
        .select('id,mail,userType')
        .top(PAGE)
        .get();
      for (;;) {
        pages.push(page);
        assert.ok(page.value.length <= PAGE, `a page holds at most ${PAGE}`);
        seen.push(...(page.value as Guest[]));
        const nextLink = page['@odata.nextLink'];
        if (nextLink === undefined) break;
        assert.ok(
          nextLink.startsWith(`${PUBLIC_BASE_URL}/v1.0/users?`),
          `nextLink ${nextLink} is absolute on the public base URL`,
        );
        assert.ok(pages.length <= GUESTS, 'paging ends');
        const before = proxy.requested.length;
        page = await client.api(nextLink).get();
        assert.equal(proxy.requested.length, before + 1, 'one request per page');
        assert.equal(proxy.requested.at(-1), nextLink, 'the SDK requested the nextLink exactly as Portico gave it');
      }

      assert.equal(pages.length, Math.ceil(GUESTS / PAGE));
      assert.deepEqual(seen.map((g) => g.id).sort(), [...guests.keys()].sort(), 'every guest exactly once');
      for (const g of seen) {
        assert.deepEqual(Object.keys(g).sort(), ['id', 'mail', 'userType'], 'only the selected properties');
        assert.equal(g.userType, 'Guest');
        assert.equal(g.mail, guests.get(g.id));
      }
      assert.equal(pages[0]!['@odata.context'], `${PUBLIC_BASE_URL}/v1.0/$metadata#users(id,mail,userType)`);
    });

    it("walks the same pages with the SDK's PageIterator", async () => {
      const first: PageCollection = await client
        .api('/users')
        .filter("userType eq 'Guest'")
        .select(['id', 'mail', 'userType'])
        .top(PAGE)
        .get();
      const before = proxy.requested.length;
      const seen: Guest[] = [];
      const iterator = new PageIterator(client, first, (g: Guest) => {
        seen.push(g);
        return true;
      });
      await iterator.iterate();
      assert.ok(iterator.isComplete());
      assert.equal(proxy.requested.length - before, Math.ceil(GUESTS / PAGE) - 1, 'one request per further page');
      assert.deepEqual(seen.map((g) => g.id).sort(), [...guests.keys()].sort(), 'every guest exactly once');
      for (const g of seen) assert.deepEqual(Object.keys(g).sort(), ['id', 'mail', 'userType']);
    });

    it('returns @odata.count for .count(true)', async () => {
      const page = await client
        .api('/users')
        .header('ConsistencyLevel', 'eventual')
        .filter("userType eq 'Guest'")
        .count(true)
        .top(PAGE)
        .get();
      assert.equal(page['@odata.count'], GUESTS);
      assert.equal(page.value.length, PAGE);
      const some = await client.api('/users').filter("startswith(mail,'guest1')").count(true).select('id').get();
      assert.equal(some['@odata.count'], 10, 'guest10..guest19');
      assert.equal(some.value.length, 10);
      assert.equal(some['@odata.nextLink'], undefined);
    });

    it("surfaces Graph's errors as the SDK's GraphError", async () => {
      const missing = await rejectsWithGraphError(
        client.api('/users/00000000-0000-4000-8000-000000000000').get(),
        404,
        'Request_ResourceNotFound',
      );
      assert.ok(missing.requestId, 'innerError request-id is read');
      assert.ok(missing.date instanceof Date && !Number.isNaN(missing.date.getTime()), 'innerError date is read');
      await rejectsWithGraphError(invite('not-an-address'), 400, 'Request_BadRequest');
      await rejectsWithGraphError(
        client.api('/users').filter("userType gt 'Guest'").get(),
        400,
        'Request_UnsupportedQuery',
      );
    });

    it('attaches the token only for customHosts: without them the SDK sends none and Portico refuses', async () => {
      const asked = tokenRequests;
      const org = await client.api('/organization').get();
      assert.equal(org.value.length, 1);
      assert.equal(org.value[0].displayName, 'Contoso');
      assert.equal(tokenRequests, asked + 1, 'the SDK asked the auth provider for the token');

      const stranger = graphClient(authProvider, new TlsTerminatingProxy(PUBLIC_BASE_URL, proxy.listener));
      await rejectsWithGraphError(stranger.api('/organization').get(), 401, 'InvalidAuthenticationToken');
      assert.equal(tokenRequests, asked + 1, 'no token was asked for a host the SDK does not recognise');
    });
  },
);
