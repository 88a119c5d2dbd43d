// The contact-conflict unblock as a guide (the seed's five steps): delete the contact, delete the pending guest,
// invite the address again, wait for the redemption, add the contact back. Where the admin is follows from the
// directory alone, by the invited address; only the deleted contact's fields must travel from step 1 to step 5,
// in the page's URL and as hidden fields of each step's form (no table keeps them).
import { conflictingContact, getContact, type Contact } from '../directory/contacts.ts';
import type { Tenant } from '../directory/tenants.ts';
import type { User } from '../directory/users.ts';
import { t, type Lang, type Messages } from '../i18n/index.ts';
import { findInvitee } from '../invitations/guests.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Alert } from '../pages/fields.tsx';
import { Properties } from '../pages/table.tsx';
import type { Db } from '../store/index.ts';
import { normalize } from '../store/json.ts';
import { CONTACT_FIELDS, contactFormOf, type ContactForm } from './contact-pages.tsx';
import { UsersLayout, type AdminShell } from './pages.tsx';
import { can } from './roles.ts';

/** What the guide carries from page to page: the address, the deleted guest's name and the deleted contact. */
export interface Carried {
  address: string;
  guestName: string;
  contact?: ContactForm;
}

export const STEPS = ['delete-contact', 'delete-guest', 'reinvite', 'wait', 'readd-contact'] as const;
export type Step = (typeof STEPS)[number];

const STEP_DONE: Record<Step, keyof Messages> = {
  'delete-contact': 'admin.unblock.didDeleteContact',
  'delete-guest': 'admin.unblock.didDeleteGuest',
  reinvite: 'admin.unblock.didReinvite',
  wait: 'admin.unblock.didReinvite',
  'readd-contact': 'admin.unblock.didReadd',
};

/** What the page says after a step (`done` in its URL names it). */
export function stepNotice(lang: Lang, done: string | undefined): string | undefined {
  const step = STEPS.find((x) => x === done);
  return step && t(lang, STEP_DONE[step]);
}

/** Reads what the guide carries from a query or a form (`contact-<field>` for the contact's fields). */
export function carriedFrom(get: (name: string) => unknown): Carried {
  const text = (name: string, max: number) => {
    const v = get(name);
    return typeof v === 'string' ? v.trim().slice(0, max) : '';
  };
  const contact = Object.fromEntries(CONTACT_FIELDS.map((f) => [f, text(`contact-${f}`, 13_050)])) as ContactForm;
  return {
    address: normalize(text('address', 254)),
    guestName: text('guestName', 256),
    contact: contact.displayName ? contact : undefined,
  };
}

export function carriedParams(c: Carried): Record<string, string> {
  const params: Record<string, string> = { address: c.address, guestName: c.guestName };
  for (const f of CONTACT_FIELDS) if (c.contact) params[`contact-${f}`] = c.contact[f];
  return params;
}

export interface GuideState {
  address: string;
  /** a contact holding the address now */
  contact?: Contact;
  /** the user the address names now: the conflicted guest (before step 2) or the re-invited one */
  guest?: User;
}

export async function guideState(db: Db, tenant: Tenant, address: string): Promise<GuideState> {
  const [contactId, guest] = await Promise.all([
    conflictingContact(db, tenant.id, address),
    findInvitee(db, tenant, address),
  ]);
  return {
    address,
    contact: contactId ? await getContact(db, tenant.id, contactId) : undefined,
    guest: guest?.userType === 'Guest' ? guest : undefined,
  };
}

/** Which steps are done: before the re-invite by what is gone, after it by the new guest's state and the contact. */
export function doneSteps({ contact, guest }: GuideState): boolean[] {
  if (guest && !guest.contactConflict)
    return [true, true, true, guest.externalUserState === 'Accepted', contact !== undefined];
  return [contact === undefined, guest === undefined, false, false, false];
}

interface GuideProps extends AdminShell {
  state: GuideState;
  carried: Carried;
  error?: string;
}

export function ConflictGuide({ lang, tenant, admin, csrf, state, carried, error }: GuideProps) {
  const done = doneSteps(state);
  const current = done.indexOf(false);
  const { contact, guest } = state;
  const shown = contact ? contactFormOf(contact) : carried.contact;
  const guestName = guest?.displayName ?? (carried.guestName || state.address);
  const hidden = carriedParams({ ...carried, address: state.address, guestName, contact: shown });
  const action = (step: Step, label: string, extra: Record<string, string> = {}) => (
    <form method="post" action={`/admin/${tenant.id}/users/conflict/${step}`} class="inline-form">
      <Csrf value={csrf} />
      {Object.entries({ ...hidden, ...extra }).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class="secondary">
        {label}
      </button>
    </form>
  );
  const name = shown?.displayName ?? '';
  const accepted = guest?.externalUserState === 'Accepted';
  const texts: Record<Step, string> = {
    'delete-contact': contact
      ? t(lang, 'admin.unblock.step1', { contact: contact.displayName, address: state.address })
      : t(lang, shown ? 'admin.unblock.step1Done' : 'admin.unblock.step1Gone', { contact: name }),
    'delete-guest': t(lang, 'admin.unblock.step2', { guest: guestName }),
    reinvite: t(lang, 'admin.unblock.step3', { address: state.address }),
    wait: t(lang, 'admin.unblock.step4', { guest: guestName, address: state.address }),
    'readd-contact': t(lang, 'admin.unblock.step5', { contact: name || t(lang, 'admin.unblock.theContact') }),
  };
  const actions: Partial<Record<Step, unknown>> = {
    'delete-contact':
      contact &&
      can(admin.roles, 'manageUsers') &&
      action('delete-contact', t(lang, 'admin.unblock.deleteContact', { contact: contact.displayName }), {
        contactId: contact.id,
      }),
    'delete-guest':
      guest &&
      (accepted ? (
        <p class="muted">{t(lang, 'admin.unblock.acceptedNote')}</p>
      ) : (
        can(admin.roles, 'manageUsers') &&
        action('delete-guest', t(lang, 'admin.unblock.deleteGuest', { guest: guest.displayName }), {
          guestId: guest.id,
        })
      )),
    reinvite:
      can(admin.roles, 'invite') && action('reinvite', t(lang, 'admin.unblock.reinvite', { address: state.address })),
    wait: guest && (
      <p>
        {t(lang, 'admin.unblock.waiting', { guest: guest.displayName })}{' '}
        <a href={`/admin/${tenant.id}/users/${guest.id}?${new URLSearchParams(hidden)}`}>
          {t(lang, 'admin.unblock.checkAgain')}
        </a>
      </p>
    ),
    'readd-contact': shown ? (
      can(admin.roles, 'manageUsers') &&
      action('readd-contact', t(lang, 'admin.unblock.readd', { contact: shown.displayName }))
    ) : (
      <p>
        <a href={`/admin/${tenant.id}/contacts/new`}>{t(lang, 'admin.unblock.readdByHand')}</a>
      </p>
    ),
  };
  const status = (i: number): keyof Messages =>
    done[i] ? 'admin.unblock.done' : i === current ? 'admin.unblock.current' : 'admin.unblock.pending';
  return (
    <section aria-labelledby="unblock" class="identity">
      <h2 id="unblock">{t(lang, 'admin.unblock.title')}</h2>
      {contact && guest?.contactConflict && (
        <p>{t(lang, 'admin.conflict.intro', { contact: `${contact.displayName} (${state.address})` })}</p>
      )}
      <p>{t(lang, current === -1 ? 'admin.unblock.finished' : 'admin.unblock.intro', { address: state.address })}</p>
      <Alert text={error} />
      <ol>
        {STEPS.map((step, i) => (
          <li aria-current={i === current ? 'step' : undefined} data-step={step}>
            <strong>{t(lang, status(i))}:</strong> {texts[step]}
            {i === current && actions[step]}
          </li>
        ))}
      </ol>
      {shown && !contact && (
        <Properties
          caption={t(lang, 'admin.unblock.kept')}
          rows={[
            [t(lang, 'admin.contacts.name'), shown.displayName],
            [t(lang, 'admin.contacts.mail'), shown.mail],
            [t(lang, 'admin.contacts.proxies'), shown.proxyAddresses],
            [t(lang, 'admin.contacts.company'), shown.companyName],
          ]}
        />
      )}
    </section>
  );
}

/** The guide on its own, for the address while no guest holds it (between deleting the guest and the re-invite). */
export function GuidePage({ notice, ...guide }: GuideProps & { notice?: string }) {
  const { lang, tenant, state } = guide;
  return (
    <UsersLayout {...guide} title={t(lang, 'admin.unblock.title')}>
      {notice && (
        <p role="status" class="identity">
          {notice}
        </p>
      )}
      {state.guest && (
        <p>
          <a href={`/admin/${tenant.id}/users/${state.guest.id}`}>{state.guest.displayName}</a>
        </p>
      )}
      <ConflictGuide {...guide} />
    </UsersLayout>
  );
}
