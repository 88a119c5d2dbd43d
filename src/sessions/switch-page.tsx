// The "already signed in" page (sessions/switch.ts): who is signed in, where, and the two choices, in the flow's
// tenant's layout. Both are buttons of one POST form carrying the page's CSRF value.
import type { Tenant } from '../directory/tenants.ts';
import { t, type Lang } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Layout } from '../pages/layout.tsx';
import { whoIsSignedIn, type InvitationOffer, type SignInOffer, type SwitchOffer } from './switch.ts';

export interface SwitchPageProps {
  lang: Lang;
  tenant: Pick<Tenant, 'id' | 'displayName' | 'branding' | 'privacyStatementUrl'>;
  offer: SwitchOffer;
  /** what this flow is about, e.g. "This invitation from Contoso is for sam@example.com." */
  about: string;
  /** what continuing means, or why X cannot continue */
  note?: string;
  action: string;
  csrf: string;
}

export function SwitchPage({ lang, tenant, offer, about, note, action, csrf }: SwitchPageProps) {
  const who = whoIsSignedIn(offer.signedIn);
  return (
    <Layout lang={lang} title={t(lang, 'switch.title')} tenant={tenant}>
      <h1>{t(lang, 'switch.title')}</h1>
      <p>{about}</p>
      <p class="identity">{t(lang, 'switch.signedIn', who)}</p>
      {note && <p class="muted">{note}</p>}
      <form method="post" action={action} class="picker">
        <Csrf value={csrf} />
        {offer.canContinue && (
          <p>
            <button type="submit" name="choice" value="continue" autofocus>
              {t(lang, 'switch.continue', who)}
            </button>
          </p>
        )}
        <p>
          <button type="submit" name="choice" value="another" class={offer.canContinue ? 'secondary' : undefined}>
            {t(lang, 'switch.another')}
          </button>
        </p>
      </form>
      <p class="muted">{t(lang, 'switch.another.note', who)}</p>
    </Layout>
  );
}

/** The invitation link's page: what the invitation is for, and what continuing as X means or why X cannot. */
export function InvitationSwitchPage({
  lang,
  invitation,
  offer,
  csrf,
}: {
  lang: Lang;
  invitation: { tenant: SwitchPageProps['tenant']; email: string };
  offer: InvitationOffer;
  csrf: string;
}) {
  const p = { ...whoIsSignedIn(offer.signedIn), tenant: invitation.tenant.displayName, email: invitation.email };
  const note = !offer.canContinue
    ? t(lang, 'switch.invitation.cannot', p)
    : offer.proof
      ? t(lang, 'switch.invitation.proof', p)
      : undefined;
  return (
    <SwitchPage
      lang={lang}
      tenant={invitation.tenant}
      offer={offer}
      about={t(lang, 'switch.invitation', p)}
      note={note}
      action="/redeem/switch"
      csrf={csrf}
    />
  );
}

/** An app's sign-in or a direct link: X is a user of the tenant, so continuing signs in as that user. */
export function SignInSwitchPage({
  lang,
  tenant,
  app,
  offer,
  action,
  csrf,
}: Omit<SwitchPageProps, 'about' | 'note' | 'offer'> & { app: string; offer: SignInOffer }) {
  const about = t(lang, 'switch.signin', { ...whoIsSignedIn(offer.signedIn), app, tenant: tenant.displayName });
  return <SwitchPage lang={lang} tenant={tenant} offer={offer} about={about} action={action} csrf={csrf} />;
}
