import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isFinal, type Decision } from "../../../domain/decisions.ts";
import type { CitableReply } from "../../../services/decisions.ts";
import type { WebDeps } from "../../deps.ts";
import type { WebEnv } from "../../env.ts";
import type { FieldErrors } from "../../pages/components.tsx";
import { EditPage, type DecisionTextValues } from "../../pages/decision-forms.tsx";
import { whyNot } from "../../pages/decision-move-forms.tsx";
import type { Render } from "../../render.ts";
import { bodyText, formBody } from "../forms.ts";
import type { RecordChanging } from "./changing.tsx";
import { editsDecision, readDecisionPart, readInformedBy, readRecordText, recordValues, toText } from "./form-input.ts";

/** A record being edited, with what its form needs besides. */
interface Editable {
  decision: Decision;
  replies: CitableReply[];
  communityName: string;
}

/** Editing a record's text (`/decisions/{id}/edit`), and amending it once decided, with a reason. */
export function editHandlers({ services }: WebDeps, render: Render, changes: RecordChanging) {
  /** The record to edit, or why it cannot be: final records stay as they are. */
  async function editable(c: Context<WebEnv>): Promise<Editable | Response> {
    const decision = await changes.changeableRecord(c);
    if (isFinal(decision.status)) return changes.refused(c, decision, whyNot(decision.status));
    const [replies, community] = await Promise.all([
      services.decisions.citableReplies(decision.post.id),
      services.actors.findById(decision.post.communityId!),
    ]);
    return { decision, replies, communityName: community?.displayName ?? "" };
  }

  /** The edit form for these values, to show as it is, with problems, or with a preview. */
  const editPage =
    (c: Context<WebEnv>, found: Editable, values: DecisionTextValues) =>
    (status: ContentfulStatusCode, errors: FieldErrors, preview = false) =>
      render(
        c,
        (ctx) => (
          <EditPage
            ctx={ctx}
            decision={found.decision}
            communityName={found.communityName}
            withDecision={editsDecision(found.decision)}
            replies={found.replies}
            values={values}
            errors={errors}
            preview={preview}
          />
        ),
        status,
      );

  /** GET: the form, filled in from the record. */
  async function form(c: Context<WebEnv>) {
    const found = await editable(c);
    if (found instanceof Response) return found;
    return editPage(c, found, recordValues(found.decision, found.replies))(200, {});
  }

  /** POST: the preview, or the change saved. */
  async function save(c: Context<WebEnv>) {
    const found = await editable(c);
    if (found instanceof Response) return found;
    const { decision, replies } = found;
    const body = await formBody(c);
    const withDecision = editsDecision(decision);
    const values: DecisionTextValues = {
      ...recordValues(decision, replies),
      ...readRecordText(body),
      ...(withDecision ? { part: readDecisionPart(body), informedBy: readInformedBy(body, replies) } : {}),
      reason: bodyText(body, "reason"),
      version: bodyText(body, "version") || String(decision.post.version),
    };
    const show = editPage(c, found, values);
    if (bodyText(body, "action") !== "save") return show(200, {}, true);
    const done = decision.status === "decided" ? "amended" : "edited";
    return changes.submit(
      c,
      decision,
      done,
      () =>
        services.decisions.edit(decision.post.id, c.get("viewer")!, toText(values, withDecision), values.reason, Number(values.version)),
      show,
    );
  }

  return { form, save };
}
