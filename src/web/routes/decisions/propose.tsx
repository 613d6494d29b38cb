import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { decisionPath } from "../../../domain/urls.ts";
import type { WebDeps } from "../../deps.ts";
import type { WebEnv } from "../../env.ts";
import type { FieldErrors } from "../../pages/components.tsx";
import { NoDecisionCommunityPage, ProposePage, type DecisionTextValues } from "../../pages/decision-forms.tsx";
import type { Render } from "../../render.ts";
import { bodyText, formBody } from "../forms.ts";
import { EMPTY_TEXT, problems, readRecordText, toText } from "./form-input.ts";

/** Proposing a decision record (`/decisions/new`) in a community the person may publish in. */
export function proposeHandlers({ services }: WebDeps, render: Render) {
  /** GET: the form, for the community asked for (`?community=`) or the first one. */
  async function form(c: Context<WebEnv>) {
    const communities = await services.actors.publishableCommunities(c.get("viewer")!);
    if (communities.length === 0) return render(c, (ctx) => <NoDecisionCommunityPage ctx={ctx} />, 403);
    const community = (communities.find((x) => x.handle === c.req.query("community")) ?? communities[0]!).handle;
    return render(c, (ctx) => <ProposePage ctx={ctx} communities={communities} values={{ ...EMPTY_TEXT, community }} />);
  }

  /** POST: the preview, or the record proposed. */
  async function propose(c: Context<WebEnv>) {
    const viewer = c.get("viewer")!;
    const communities = await services.actors.publishableCommunities(viewer);
    if (communities.length === 0) return render(c, (ctx) => <NoDecisionCommunityPage ctx={ctx} />, 403);
    const body = await formBody(c);
    const values: DecisionTextValues = { ...EMPTY_TEXT, ...readRecordText(body), community: bodyText(body, "community") };
    const show = (status: ContentfulStatusCode, errors: FieldErrors, preview = false) =>
      render(c, (ctx) => <ProposePage ctx={ctx} communities={communities} values={values} errors={errors} preview={preview} />, status);
    if (bodyText(body, "action") !== "propose") return show(200, {}, true);
    if (!values.community) return show(400, { community: "choose a community" });
    try {
      const decision = await services.decisions.propose(values.community, viewer, toText(values, false));
      return c.redirect(`${decisionPath(decision.post.id)}?done=proposed`, 303);
    } catch (error) {
      const { status, errors } = problems(error);
      return show(status, errors);
    }
  }

  return { form, propose };
}
