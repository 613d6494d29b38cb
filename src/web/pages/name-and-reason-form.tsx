import type { PageContext } from "./context.ts";
import { CsrfField, TextArea, TextInput } from "./components.tsx";

/** One of the form's two fields: its name, label, hint, and what was typed and is wrong with it. */
export interface FormField {
  name: string;
  label: string;
  hint: string;
  value?: string;
  error?: string;
}

/**
 * A form that names something (a domain, an account) and says why: blocking
 * one, or putting a domain on the allow list. The name is typed exactly (no
 * spelling help, no autofill); the reason is free text.
 */
export function NameAndReasonForm(props: {
  ctx: PageContext;
  action: string;
  what: FormField;
  why: FormField;
  rows?: number;
  button: string;
}) {
  const { what, why } = props;
  return (
    <form method="post" action={props.action}>
      <CsrfField token={props.ctx.csrfToken} />
      <TextInput
        name={what.name}
        label={what.label}
        hint={what.hint}
        value={what.value}
        error={what.error}
        autocomplete="off"
        spellcheck={false}
        required
      />
      <TextArea name={why.name} label={why.label} hint={why.hint} value={why.value} error={why.error} rows={props.rows ?? 3} />
      <button type="submit" class="button">
        {props.button}
      </button>
    </form>
  );
}
