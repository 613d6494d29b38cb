import { formatMoment } from "../../domain/time-zone.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, describedBy, ErrorSummary, Field, type FieldErrors } from "./components.tsx";

/** The time zone form shown again: what was chosen and what is wrong with it. */
export interface TimeZoneForm {
  value: string;
  errors: FieldErrors;
}

// Every zone the runtime knows, once: the list is long and does not change while the instance runs.
const ZONES = ["UTC", ...Intl.supportedValuesOf("timeZone")];

/** The administration page's section for the instance's time zone. */
export function TimeZoneSection({ ctx, form, now }: { ctx: PageContext; form?: TimeZoneForm; now: Date }) {
  const errors = form?.errors ?? {};
  const chosen = form?.value ?? ctx.timeZone;
  const hint = `Every time shown here, and every date and time people type, is in this zone. Now it is ${formatMoment(now, ctx.timeZone)}.`;
  return (
    <section aria-labelledby="time-zone-title">
      <h2 id="time-zone-title">Time zone</h2>
      <ErrorSummary errors={errors} labels={{ timeZone: "Time zone" }} />
      <form method="post" action="/admin/time-zone" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <Field name="timeZone" label="Time zone" hint={hint} error={errors.timeZone}>
          <select
            id="timeZone"
            name="timeZone"
            aria-invalid={errors.timeZone ? "true" : undefined}
            aria-describedby={describedBy("timeZone", hint, errors.timeZone)}
          >
            {ZONES.map((zone) => (
              <option value={zone} selected={zone === chosen}>
                {zone}
              </option>
            ))}
          </select>
        </Field>
        <div class="button-group">
          <button type="submit" class="button">
            Save the time zone
          </button>
        </div>
      </form>
    </section>
  );
}
