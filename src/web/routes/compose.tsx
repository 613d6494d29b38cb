import { Hono } from "hono";
import { forbidden } from "../../domain/errors.ts";
import { isoWeekOf } from "../../domain/iso-week.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { ComposePage, NoCommunityPage } from "../pages/compose-page.tsx";
import type { FormTarget, WeeknoteFormValues } from "../pages/weeknote-form.tsx";
import type { Pages } from "../people.ts";
import { communityChoices } from "./community-choices.ts";
import { formText } from "./forms.ts";
import { askedFor, signInFirst } from "./sign-in-first.ts";
import { readWeeknoteForm } from "./weeknote-form-input.ts";
import { handleSubmission } from "./weeknote-submission.ts";

/** Writing a new weeknote (`/compose`): the form, its preview, and saving it as a draft or publishing it. */
export function composeRoutes({ services, now }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);
  app.use("/", signInFirst(askedFor("/compose")));

  app.get("/", async (c) => {
    const communities = await communityChoices(services, c.get("viewer")!);
    if (communities.length === 0) return render(c, (ctx) => <NoCommunityPage ctx={ctx} />, 403);
    const asked = communities.find((x) => x.value === c.req.query("community"));
    const values: WeeknoteFormValues = {
      community: (asked ?? communities[0]!).value,
      title: "",
      week: isoWeekOf(new Date(now())),
      summary: "",
      body: "",
      tags: "",
      images: [],
      slotAlts: [],
    };
    return render(c, (ctx) => <ComposePage ctx={ctx} target={{ kind: "new", communities }} values={values} />);
  });

  app.post("/", async (c) => {
    const viewer = c.get("viewer")!;
    const communities = await communityChoices(services, viewer);
    if (communities.length === 0) return render(c, (ctx) => <NoCommunityPage ctx={ctx} />, 403);
    const community = await formText(c, "community");
    // Checked before any upload: a forged community should not leave files behind.
    if (community && !communities.some((x) => x.value === community)) throw forbidden("You may not publish in that community.");

    const submission = await readWeeknoteForm(services, viewer, c, null);
    if (!community) submission.errors.community = "choose a community";
    const target: FormTarget = { kind: "new", communities };
    return handleSubmission(
      c,
      submission,
      (values, status, errors, preview) =>
        render(c, (ctx) => <ComposePage ctx={ctx} target={target} values={values} errors={errors} preview={preview} />, status),
      (input) => services.weeknotes.publish(community, viewer, input, { draft: submission.action !== "publish" }),
    );
  });

  return app;
}
