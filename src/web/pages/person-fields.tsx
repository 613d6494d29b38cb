import type { PageContext } from "./context.ts";
import { TextInput, type FieldErrors } from "./components.tsx";

/** What a new person typed, kept to show the form again (never the password). */
export interface PersonValues {
  displayName?: string;
  handle?: string;
  jobTitle?: string;
}

/** The labels of the new-person fields, for the error summary. */
export const PERSON_FIELD_LABELS: Record<string, string> = {
  displayName: "Your name",
  handle: "Handle",
  password: "Password",
  jobTitle: "Job title",
};

/** Errors in the order their fields appear (services report them in their own order), for the error summary. */
export function inFormOrder(errors: FieldErrors, labels: Record<string, string>): FieldErrors {
  const order = Object.keys(labels);
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b)));
}

/**
 * The fields a new account needs, at setup and when accepting an invitation:
 * the same rules and hints in both places.
 */
export function PersonFields({ ctx, values, errors }: { ctx: PageContext; values: PersonValues; errors: FieldErrors }) {
  return (
    <>
      <TextInput
        name="displayName"
        label={PERSON_FIELD_LABELS.displayName!}
        hint="As your colleagues know you, for example Alice Example."
        autocomplete="name"
        value={values.displayName}
        error={errors.displayName}
      />
      <TextInput
        name="handle"
        label={PERSON_FIELD_LABELS.handle!}
        hint={`1 to 30 of a-z, 0-9 and _. People will find you as @handle@${ctx.host}, and you sign in with it.`}
        autocomplete="username"
        spellcheck={false}
        narrow
        value={values.handle}
        error={errors.handle}
      />
      <TextInput
        name="password"
        type="password"
        label={PERSON_FIELD_LABELS.password!}
        hint="At least 12 characters. A few unrelated words make a strong one."
        autocomplete="new-password"
        error={errors.password}
      />
      <TextInput
        name="jobTitle"
        label={`${PERSON_FIELD_LABELS.jobTitle} (optional)`}
        hint="Shown on your page, for example Service designer."
        autocomplete="organization-title"
        value={values.jobTitle}
        error={errors.jobTitle}
      />
    </>
  );
}
