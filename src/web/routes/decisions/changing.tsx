import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { mayMove, type Decision, type DecisionMove } from "../../../domain/decisions.ts";
import { DomainError, notFound } from "../../../domain/errors.ts";
import { decisionPath } from "../../../domain/urls.ts";
import type { WebDeps } from "../../deps.ts";
import type { WebEnv } from "../../env.ts";
import type { FieldErrors } from "../../pages/components.tsx";
import { MoveRefusedPage, whyNot } from "../../pages/decision-move-forms.tsx";
import type { Render } from "../../render.ts";
import { problems } from "./form-input.ts";

/** Shows a form again, with a status and its problems. */
export type ShowForm = (status: ContentfulStatusCode, errors: FieldErrors) => Response | Promise<Response>;

/** What every form that changes a record (editing it, moving it) does: find the record, refuse, save and go back. */
export function recordChanges({ services }: WebDeps, render: Render) {
  /** The published record named in the path. */
  async function recordIn(c: Context<WebEnv>): Promise<Decision> {
    const decision = await services.decisions.get(c.req.param("id") ?? "");
    if (!decision || decision.post.state !== "published") throw notFound("There is no such decision record.");
    return decision;
  }

  /** The record, for someone who may change it: only they get its forms (the service says who may). */
  const changeableRecord = (c: Context<WebEnv>): Promise<Decision> =>
    services.decisions.requireChangeable(c.req.param("id") ?? "", c.get("viewer")!);

  /** Why the record cannot be changed so (its state does not allow it), on a page of its own. */
  const refused = (c: Context<WebEnv>, decision: Decision, message: string) =>
    render(c, (ctx) => <MoveRefusedPage ctx={ctx} decision={decision} message={message} />, 409);

  /** A move's form, or (when the record's state does not allow the move) why not. */
  async function moveForm(c: Context<WebEnv>, move: DecisionMove, show: (decision: Decision) => Response | Promise<Response>) {
    const decision = await changeableRecord(c);
    return mayMove(decision.status, move) ? show(decision) : refused(c, decision, whyNot(decision.status, move));
  }

  /**
   * Makes a change through `save`, then goes back to the record saying what
   * was done. A refusal shows the form again with its problems, or, when the
   * record's state does not allow it, a page saying why.
   */
  async function submit(c: Context<WebEnv>, decision: Decision, done: string, save: () => Promise<unknown>, showForm: ShowForm) {
    try {
      await save();
    } catch (error) {
      if (error instanceof DomainError && error.code === "conflict" && Object.keys(error.fields).length === 0) {
        // Its state may have moved on since the form was shown: say where it is now.
        return refused(c, (await services.decisions.get(decision.post.id)) ?? decision, error.message);
      }
      const { status, errors } = problems(error);
      return showForm(status, errors);
    }
    return c.redirect(`${decisionPath(decision.post.id)}?done=${done}`, 303);
  }

  return { recordIn, changeableRecord, refused, moveForm, submit };
}

export type RecordChanging = ReturnType<typeof recordChanges>;
