// The user page's sponsors and groups: each listed with its remove button (asking first: admin/confirm.tsx), and a
// form to add one (a sponsor by address or user name, a group from a list), working without JavaScript.
import type { Group } from '../directory/groups.ts';
import type { User } from '../directory/users.ts';
import { t, type Lang } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Alert, Submit } from '../pages/fields.tsx';
import { ConfirmLink } from './confirm.tsx';
import { fieldAria, type FieldErrors } from './form-field.tsx';

export function UserLinks({
  lang,
  csrf,
  base,
  manage,
  sponsors,
  groups,
  otherGroups,
  errors,
}: {
  lang: Lang;
  csrf: string;
  /** the user page's address */
  base: string;
  /** whether the admin may change them (the right to manage users) */
  manage: boolean;
  sponsors: User[];
  groups: Group[];
  otherGroups: Group[];
  errors: FieldErrors;
}) {
  const list = (items: { id: string; name: string; remove: string; label: string }[]) =>
    items.length === 0 ? (
      <p>{t(lang, 'admin.user.none')}</p>
    ) : (
      <ul class="links">
        {items.map((x) => (
          <li>
            <span>{x.name}</span>{' '}
            {manage && <ConfirmLink action={x.remove} label={t(lang, 'admin.user.remove')} ariaLabel={x.label} />}
          </li>
        ))}
      </ul>
    );
  return (
    <>
      <h2 id="sponsors">{t(lang, 'admin.user.sponsors')}</h2>
      {list(
        sponsors.map((x) => ({
          id: x.id,
          name: `${x.displayName} (${x.mail ?? x.userPrincipalName})`,
          remove: `${base}/sponsors/${x.id}/remove`,
          label: t(lang, 'admin.user.removeSponsorOf', { name: x.displayName }),
        })),
      )}
      {manage && (
        <form method="post" action={`${base}/sponsors`}>
          <Csrf value={csrf} />
          <label for="sponsor">{t(lang, 'admin.user.sponsorRef')}</label>
          <input id="sponsor" name="sponsor" type="text" required {...fieldAria('sponsor', errors)} />
          <Alert id="sponsor-error" text={errors.sponsor} />
          <Submit label={t(lang, 'admin.user.addSponsor')} class="secondary" />
        </form>
      )}
      <h2 id="groups">{t(lang, 'admin.user.groups')}</h2>
      {list(
        groups.map((g) => ({
          id: g.id,
          name: g.displayName,
          remove: `${base}/groups/${g.id}/remove`,
          label: t(lang, 'admin.user.removeGroupOf', { name: g.displayName }),
        })),
      )}
      {manage && otherGroups.length > 0 && (
        <form method="post" action={`${base}/groups`}>
          <Csrf value={csrf} />
          <label for="group">{t(lang, 'admin.user.groupToAdd')}</label>
          <select id="group" name="group" required {...fieldAria('group', errors)}>
            {otherGroups.map((g) => (
              <option value={g.id}>{g.displayName}</option>
            ))}
          </select>
          <Alert id="group-error" text={errors.group} />
          <Submit label={t(lang, 'admin.user.addGroup')} class="secondary" />
        </form>
      )}
    </>
  );
}
