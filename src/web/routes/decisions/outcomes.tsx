import type { Context } from "hono";
import type { Decision } from "../../../domain/decisions.ts";
import { forbidden, notFound } from "../../../domain/errors.ts";
import { decisionOutcomesPath } from "../../../domain/urls.ts";
import type { WebDeps } from "../../deps.ts";
import type { WebEnv } from "../../env.ts";
import { OutcomesPage, type OutcomeValues } from "../../pages/outcomes-page.tsx";
import type { Render } from "../../render.ts";
import { bodyText, bodyTexts, formBody, formProblem } from "../forms.ts";

/** Setting what became of a record's replies (`/decisions/{id}/outcomes`), for those who publish or moderate in its community. */
export function outcomeHandlers({ services }: WebDeps, render: Render) {
  /** The record, for someone who may set its outcomes; others are told who may. */
  async function recordFor(c: Context<WebEnv>): Promise<Decision> {
    const decision = await services.decisions.get(c.req.param("id") ?? "");
    if (!decision || decision.post.state !== "published") throw notFound("There is no such decision record.");
    if (!(await services.outcomes.maySet(decision, c.get("viewer")))) {
      throw forbidden("Only those who publish or moderate in the record's community can set the outcomes of its replies.");
    }
    return decision;
  }

  /** GET: the replies with their outcomes, and the form. */
  async function page(c: Context<WebEnv>) {
    const decision = await recordFor(c);
    const replies = await services.outcomes.input(decision);
    return render(c, (ctx) => <OutcomesPage ctx={ctx} decision={decision} replies={replies} done={c.req.query("done") === "saved"} />);
  }

  /** POST: one outcome for the chosen replies; the form again, with what was chosen, on a problem. */
  async function save(c: Context<WebEnv>) {
    const decision = await recordFor(c);
    const body = await formBody(c);
    const values: OutcomeValues = {
      replies: bodyTexts(body, "replies"),
      kind: bodyText(body, "kind"),
      note: bodyText(body, "note"),
      referTo: bodyText(body, "referTo"),
    };
    try {
      await services.outcomes.set(decision.post.id, c.get("viewer")!, values);
    } catch (error) {
      const { status, errors } = formProblem(error);
      // A refused request changed nothing: the record is as it was read.
      const replies = await services.outcomes.input(decision);
      return render(c, (ctx) => <OutcomesPage ctx={ctx} decision={decision} replies={replies} values={values} errors={errors} />, status);
    }
    return c.redirect(`${decisionOutcomesPath(decision.post.id)}?done=saved`, 303);
  }

  return { page, save };
}
