// A labelled field of an admin form with its hint and its error beside it, and the refusals of the domain said in
// the admin's words beside the field they concern: the API's texts name its properties (invitedUserEmailAddress,
// ccRecipients, userPrincipalName), which a person filling a form never saw.
import type { Child } from 'hono/jsx';
import type { z } from 'zod';

import { PorticoError } from '../errors.ts';
import { t, type Lang, type Messages } from '../i18n/index.ts';
import { Alert } from '../pages/fields.tsx';

/** The errors of a form, by field name; '' is the form's own (shown above its button). */
export type FieldErrors = Record<string, string>;

export function FormField({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  /** the control: it must carry `id`, and `describedBy(id, error, hint)` as its aria-describedby */
  children: Child;
}) {
  return (
    <>
      <label for={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} class="muted">
          {hint}
        </p>
      )}
      {children}
      <Alert id={`${id}-error`} text={error} />
    </>
  );
}

/** A one-line input (`id` is its name too) in its FormField, described by its hint and error. */
export function TextField({
  id,
  label,
  hint,
  errors,
  type = 'text',
  value,
  ...attrs
}: {
  id: string;
  label: string;
  hint?: string;
  errors: FieldErrors;
  type?: 'text' | 'email';
  value: string;
  /** rendered between `type` and `value`, in this order */
  required?: boolean;
  autofocus?: boolean;
  maxlength?: number;
}) {
  return (
    <FormField id={id} label={label} hint={hint} error={errors[id]}>
      <input id={id} name={id} type={type} {...attrs} value={value} {...fieldAria(id, errors, hint !== undefined)} />
    </FormField>
  );
}

/** The aria attributes of a field's control: invalid when it has an error, described by its hint and error. */
export const fieldAria = (id: string, errors: FieldErrors, hint = false) => ({
  'aria-invalid': errors[id] ? ('true' as const) : undefined,
  'aria-describedby': [hint && `${id}-hint`, errors[id] && `${id}-error`].filter(Boolean).join(' ') || undefined,
});

/** A schema's issues (the API's own schema, so page and API accept the same values) as the fields' errors. */
export function schemaErrors(lang: Lang, issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    if (errors[field]) continue;
    if (issue.code === 'too_big')
      errors[field] =
        issue.origin === 'array'
          ? t(lang, 'admin.form.tooMany', { max: String(issue.maximum) })
          : t(lang, 'admin.form.tooLong', { max: String(issue.maximum) });
    else if (issue.code === 'too_small') errors[field] = t(lang, 'admin.form.required');
    else errors[field] = t(lang, 'admin.form.invalid');
  }
  return errors;
}

/** Refusals whose API text names a property: the form's field they concern, and the page's words for them. */
const PAGE_WORDS: Partial<Record<PorticoError['key'], [what: string, text: keyof Messages]>> = {
  'invitation.redirectUrl': ['redirect', 'admin.form.redirect'],
  'invitation.ccOne': ['cc', 'admin.form.ccOne'],
  'invitation.ccLineBreak': ['cc', 'admin.form.lineBreak'],
  'invitation.nameLineBreak': ['displayName', 'admin.form.lineBreak'],
  'user.guestUpn': ['userPrincipalName', 'admin.form.guestUpn'],
  'user.upnInvalid': ['userPrincipalName', 'admin.form.upnInvalid'],
  'user.upnOrMailTaken': ['mail', 'admin.form.taken'],
  'group.memberExists': ['group', 'admin.form.memberExists'],
  'sponsor.exists': ['sponsor', 'admin.form.sponsorExists'],
  'sponsor.notUser': ['sponsor', 'admin.form.noSuchUser'],
  'apps.alreadyAssigned': ['apps', 'admin.form.alreadyAssigned'],
};

/**
 * A refusal as errors beside a form's fields. `fields` names the form's field for each of the domain's names
 * (an address's `what`, as `invitedUserEmailAddress`); a refusal no field owns is the form's (''), in the
 * admin's language.
 */
export function refusalErrors(lang: Lang, error: PorticoError, fields: Record<string, string> = {}): FieldErrors {
  if (error.key === 'address.invalid') {
    const what = String(error.params.what ?? '');
    return { [fields[what] ?? '']: t(lang, 'admin.form.address', { value: String(error.params.value ?? '') }) };
  }
  const words = PAGE_WORDS[error.key];
  const params = Object.fromEntries(Object.entries(error.params).map(([k, v]) => [k, String(v)]));
  if (words) return { [fields[words[0]] ?? words[0]]: t(lang, words[1], params) };
  return { '': error.text(lang) };
}
