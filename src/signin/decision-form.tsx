// The form that answers a sign-in page's question one of two ways (consent: cancel or accept; a device sign-in: no or
// yes): the declining answer first as the secondary button, both under one field name, with the form's CSRF value.
import { Csrf } from '../pages/csrf.tsx';

/** An answer: the value the form posts and the button's label. */
type Answer = [value: string, label: string];

export function DecisionForm(props: {
  action: string;
  csrf: string;
  name: string;
  no: Answer;
  yes: Answer;
  /** focus the accepting answer (a page whose only action this is) */
  autofocus?: boolean;
}) {
  return (
    <form method="post" action={props.action}>
      <Csrf value={props.csrf} />
      <div class="actions">
        <button type="submit" name={props.name} value={props.no[0]} class="secondary">
          {props.no[1]}
        </button>
        <button type="submit" name={props.name} value={props.yes[0]} autofocus={props.autofocus}>
          {props.yes[1]}
        </button>
      </div>
    </form>
  );
}
