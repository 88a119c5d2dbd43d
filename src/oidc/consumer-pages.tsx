// The personal accounts realm's sign-in page (its provider: oidc/consumers.ts): the address (filled in from the
// login_hint the common endpoint passes on) and the personal account's password, checked by the one password check
// (signins/password-check.ts), with the personal account's lockout. A wrong password and an address without an
// account get the same answer. Signing in consents for the account itself to signing in and its profile, which is
// all the realm grants: no consent page. The page works without JavaScript.
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type Provider from 'oidc-provider';

import { clientIp } from '../http/client-ip.ts';
import { pickLang, t, type Lang } from '../i18n/index.ts';
import { formToken, formTokenMatches } from '../keyed.ts';
import { AddressField, PasswordField } from '../pages/fields.tsx';
import { ErrorPage, Layout } from '../pages/layout.tsx';
import { redirectAfterPost, showResult } from '../pages/results.ts';
import { checkPersonalPassword, findPersonalAccount, PERSONAL_REALM } from '../personal/accounts.ts';
import type { Services } from '../services.ts';
import { checkSignInPassword } from '../signins/password-check.ts';
import { CONSUMER_TENANT_ID } from './consumers.ts';
import type { ProviderPool } from './pool.ts';
import { SELECT_ACCOUNT } from './prompts.ts';
import { SIGN_IN_SCOPES } from './provider.ts';

type Env = { Bindings: HttpBindings };

const BASE = `/${CONSUMER_TENANT_ID}/v2.0`;
/** The form token's key: bound to the interaction, so a form of one sign-in cannot be posted to another. */
const KEY = 'consumer-signin-key';

function ConsumerSignInPage(p: { lang: Lang; uid: string; app: string; csrf: string; login?: string; error?: string }) {
  const { lang } = p;
  return (
    <Layout lang={lang} title={t(lang, 'consumer.title')}>
      <h1>{t(lang, 'consumer.title')}</h1>
      <p class="muted">{t(lang, 'common.to', { app: p.app })}</p>
      <form method="post" action={`${BASE}/interaction/${p.uid}`} novalidate>
        <input type="hidden" name="csrf" value={p.csrf} />
        <AddressField lang={lang} value={p.login} />
        <PasswordField lang={lang} error={p.error} />
        <div class="actions">
          <span>
            <a href="/personal/signup">{t(lang, 'personal.startSignup')}</a>{' '}
            <a href="/personal/reset">{t(lang, 'personal.startReset')}</a>
          </span>
          <button type="submit">{t(lang, 'signin.submit')}</button>
        </div>
      </form>
    </Layout>
  );
}

export function consumerSignInRoutes(services: Services, pool: ProviderPool) {
  const { store, config } = services;
  const app = new Hono<Env>();
  // Post/redirect/get: a refused password's page is shown once at a GET address, then the sign-in page again; a
  // reload never posts the password again.
  app.use(
    `${BASE}/interaction/:uid`,
    redirectAfterPost(services, (c) => ({ base: c.req.path, back: c.req.path, everyPage: true })),
  );
  app.get(`${BASE}/interaction/:uid/results/:id`, (c) =>
    showResult(c, services, `${BASE}/interaction/${c.req.param('uid')}`),
  );

  /** The realm's provider and this interaction, or the "expired" page. */
  async function load(c: Context<Env>) {
    const lang = pickLang(c.req.header('accept-language'));
    const provider = (await pool.get(CONSUMER_TENANT_ID))!.provider;
    const expired = () =>
      c.html(<ErrorPage lang={lang} title={t(lang, 'error.title')} message={t(lang, 'error.expired')} />, 400);
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await provider.interactionDetails(c.env.incoming, c.env.outgoing);
    } catch {
      return expired();
    }
    if (details.uid !== c.req.param('uid')) return expired();
    const client = await provider.Client.find(String(details.params.client_id));
    const csrf = await formToken(store.db, KEY, details.uid);
    return { lang, provider, details, csrf, app: client?.clientName ?? String(details.params.client_id) };
  }

  const finish = async (c: Context<Env>, provider: Provider, result: Parameters<Provider['interactionResult']>[2]) =>
    c.redirect(
      await provider.interactionResult(c.env.incoming, c.env.outgoing, result, { mergeWithLastSubmission: false }),
      303,
    );

  app.get(`${BASE}/interaction/:uid`, async (c) => {
    const s = await load(c);
    if (s instanceof Response) return s;
    const { details, provider } = s;
    const accountId = details.session?.accountId;
    // prompt=consent with an open session: the person consents for themselves to what the realm grants (its sign-in
    // and profile, provider.ts SIGN_IN_SCOPES), which needs no page.
    if (details.prompt.name === 'consent' && accountId) {
      const clientId = String(details.params.client_id);
      const grant =
        (details.grantId && (await provider.Grant.find(details.grantId))) ||
        new provider.Grant({ accountId, clientId });
      grant.addOIDCScope(SIGN_IN_SCOPES);
      return finish(c, provider, { consent: { grantId: await grant.save() } });
    }
    // prompt=select_account with an open session: the sign-in goes on as the session's account (no picker here).
    if (details.prompt.name !== 'login' && accountId)
      return finish(c, provider, { login: { accountId }, [SELECT_ACCOUNT]: {} });
    const hint = details.params.login_hint;
    return c.html(
      <ConsumerSignInPage
        lang={s.lang}
        uid={details.uid}
        app={s.app}
        csrf={s.csrf}
        login={typeof hint === 'string' ? hint : undefined}
      />,
    );
  });

  app.post(`${BASE}/interaction/:uid`, async (c) => {
    const s = await load(c);
    if (s instanceof Response) return s;
    const form = await c.req.parseBody();
    const login = String(form.login ?? '').trim();
    const page = (error: string, status: 400 | 403 | 429 = 400) =>
      c.html(
        <ConsumerSignInPage lang={s.lang} uid={s.details.uid} app={s.app} csrf={s.csrf} login={login} error={error} />,
        status,
      );
    if (!(await formTokenMatches(store.db, KEY, form.csrf, s.details.uid)))
      return page(t(s.lang, 'error.expired'), 403);
    const found = await findPersonalAccount(store.db, login);
    const checked = await checkSignInPassword(services, {
      ip: clientIp(c),
      account: found
        ? { kind: 'personal', accountId: found.id }
        : { kind: 'unknown', realm: PERSONAL_REALM, name: login },
      verify: () => checkPersonalPassword(store.db, login, String(form.password ?? ''), config.passwordCost),
      // A personal account belongs to no tenant, and this realm keeps no sign-in log (docs/entra-apps.md).
      log: async () => undefined,
      unknownNameError: 'invalidCredentials',
      lockedMessage: 'signin.lockedPersonal',
      disabled: { is: (account) => !account.emailVerified, message: 'consumer.unverified' },
    });
    if (!checked.ok) return page(t(s.lang, checked.message), checked.status);
    return finish(c, s.provider, { login: { accountId: checked.account.id, amr: ['pwd'] }, [SELECT_ACCOUNT]: {} });
  });

  return app;
}
