import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Decision } from "../../../domain/decisions.ts";
import { decisionDraftDeletePath, decisionPath } from "../../../domain/urls.ts";
import type { WebDeps } from "../../deps.ts";
import type { WebEnv } from "../../env.ts";
import type { FieldErrors } from "../../pages/components.tsx";
import { DeletePage } from "../../pages/delete-page.tsx";
import { NoDecisionCommunityPage, ProposePage, type DecisionTextValues } from "../../pages/decision-forms.tsx";
import type { Render } from "../../render.ts";
import { bodyText, formBody } from "../forms.ts";
import { EMPTY_TEXT, problems, readRecordText, recordValues, toText } from "./form-input.ts";

/**
 * Proposing a decision record (`/decisions/new`) in a community the person
 * may publish in, or saving it as a draft; and a draft's own form
 * (`/decisions/{id}/draft`), to save it again or propose it.
 */
export function proposeHandlers({ services }: WebDeps, render: Render) {
  /** GET: the form, for the community asked for (`?community=`) or the first one. */
  async function form(c: Context<WebEnv>) {
    const communities = await services.actors.publishableCommunities(c.get("viewer")!);
    if (communities.length === 0) return render(c, (ctx) => <NoDecisionCommunityPage ctx={ctx} />, 403);
    const community = (communities.find((x) => x.handle === c.req.query("community")) ?? communities[0]!).handle;
    return render(c, (ctx) => <ProposePage ctx={ctx} communities={communities} values={{ ...EMPTY_TEXT, community }} />);
  }

  /** POST: the preview, the record proposed, or the draft saved. */
  async function propose(c: Context<WebEnv>) {
    const viewer = c.get("viewer")!;
    const communities = await services.actors.publishableCommunities(viewer);
    if (communities.length === 0) return render(c, (ctx) => <NoDecisionCommunityPage ctx={ctx} />, 403);
    const body = await formBody(c);
    const values: DecisionTextValues = { ...EMPTY_TEXT, ...readRecordText(body), community: bodyText(body, "community") };
    const show = (status: ContentfulStatusCode, errors: FieldErrors, preview = false) =>
      render(c, (ctx) => <ProposePage ctx={ctx} communities={communities} values={values} errors={errors} preview={preview} />, status);
    const action = bodyText(body, "action");
    if (action !== "propose" && action !== "draft") return show(200, {}, true);
    if (!values.community) return show(400, { community: "choose a community" });
    try {
      const draft = action === "draft";
      const decision = await services.decisions.propose(values.community, viewer, toText(values, false), { draft });
      return afterSaving(c, decision);
    } catch (error) {
      const { status, errors } = problems(error);
      return show(status, errors);
    }
  }

  /** The author's draft named in the path, with its community's name. */
  async function ownDraft(c: Context<WebEnv>) {
    const draft = await services.decisions.draft(c.req.param("id") ?? "", c.get("viewer")!);
    const community = await services.actors.findById(draft.post.communityId!);
    return { draft, info: { id: draft.post.id, communityName: community?.displayName ?? "" } };
  }

  /** GET: a draft's form, filled in from it. */
  async function draftForm(c: Context<WebEnv>) {
    const { draft, info } = await ownDraft(c);
    return render(c, (ctx) => <ProposePage ctx={ctx} communities={[]} values={recordValues(draft, [])} draft={info} />);
  }

  /** POST: the preview, the draft saved again, or proposed. */
  async function saveDraft(c: Context<WebEnv>) {
    const viewer = c.get("viewer")!;
    const { draft, info } = await ownDraft(c);
    const body = await formBody(c);
    const values: DecisionTextValues = { ...recordValues(draft, []), ...readRecordText(body) };
    const show = (status: ContentfulStatusCode, errors: FieldErrors, preview = false) =>
      render(c, (ctx) => <ProposePage ctx={ctx} communities={[]} values={values} errors={errors} preview={preview} draft={info} />, status);
    const action = bodyText(body, "action");
    if (action !== "propose" && action !== "draft") return show(200, {}, true);
    try {
      const text = toText(values, false);
      const saved =
        action === "draft"
          ? await services.decisions.saveDraft(draft.post.id, viewer, text)
          : await services.decisions.proposeDraft(draft.post.id, viewer, text);
      return afterSaving(c, saved);
    } catch (error) {
      const { status, errors } = problems(error);
      return show(status, errors);
    }
  }

  /** GET: asks before deleting a draft. */
  async function deleteForm(c: Context<WebEnv>) {
    const { draft } = await ownDraft(c);
    return render(c, (ctx) => <DeletePage ctx={ctx} post={draft.post} action={decisionDraftDeletePath(draft.post.id)} />);
  }

  /** POST: the draft deleted, back to the drafts. */
  async function deleteDraft(c: Context<WebEnv>) {
    await services.decisions.deleteDraft(c.req.param("id") ?? "", c.get("viewer")!);
    return c.redirect("/drafts?done=deleted", 303);
  }

  /** To the drafts, or to the record now public, each saying what was done. */
  const afterSaving = (c: Context<WebEnv>, decision: Decision) =>
    decision.post.state === "draft"
      ? c.redirect("/drafts?done=saved-decision", 303)
      : c.redirect(`${decisionPath(decision.post.id)}?done=proposed`, 303);

  return { form, propose, draftForm, saveDraft, deleteForm, deleteDraft };
}
