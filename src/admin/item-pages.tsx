// The parts of an item's pages that the sections with a list of items share (contacts, groups): the page that
// creates one, the form that saves its fields, and the button that leads to its deletion.
import type { Child } from 'hono/jsx';

import { Csrf } from '../pages/csrf.tsx';
import { Alert, Submit } from '../pages/fields.tsx';
import { ConfirmLink } from './confirm.tsx';
import { AdminLayout, type Shell } from './pages.tsx';
import type { Section } from './sections.ts';

/** A new item's page: `error` above its fields, which post to `<list>/new`; Cancel returns to `list`. */
export function NewItemPage({
  section,
  title,
  list,
  cancel,
  create,
  error,
  children,
  ...shell
}: Shell & {
  section: Section;
  title: string;
  /** the list's address */
  list: string;
  cancel: string;
  create: string;
  error?: string;
  children: Child;
}) {
  return (
    <AdminLayout {...shell} section={section} title={title}>
      <Alert text={error} />
      <form method="post" action={`${list}/new`}>
        <Csrf value={shell.csrf} />
        {children}
        <Submit label={create} back={{ href: list, label: cancel }} />
      </form>
    </AdminLayout>
  );
}

/** The form of an item's fields, posted to `action` by its Save button (`save`). */
export const SaveForm = ({
  csrf,
  action,
  save,
  children,
}: {
  csrf: string;
  action: string;
  save: string;
  children: Child;
}) => (
  <form method="post" action={action}>
    <Csrf value={csrf} />
    {children}
    <Submit label={save} />
  </form>
);

/** An item's delete button, on a row of its own: it leads to `<action>/confirm`. */
export const DeleteRow = ({ action, label }: { action: string; label: string }) => (
  <div class="actions">
    <span />
    <ConfirmLink action={action} label={label} />
  </div>
);
