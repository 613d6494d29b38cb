import { Hono, type Context } from "hono";
import { notFound, TooManyAttempts } from "../../domain/errors.ts";
import type { Actor } from "../../domain/types.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { NEW_REPORT_PATH, NewReportPage, REPORTS_PATH, ReportSentPage, ReportsPage } from "../pages/reports-page.tsx";
import type { Pages } from "../people.ts";
import { bodyText, formBody, formProblem } from "./forms.ts";
import { clientAddress } from "./sign-in.tsx";
import { askedFor, signInFirst } from "./sign-in-first.ts";

/** The person signed in (signInFirst has run); the report service checks what they may read and do. */
const moderator = (c: Context<WebEnv>): Actor => c.get("viewer")!;

const NOTICES: Record<string, string> = {
  hide: "The reply is hidden and the report resolved.",
  "block-account": "The account is blocked and the report resolved.",
  "block-domain": "The domain is blocked and the report resolved.",
  "block-in-community": "The account is blocked from the community and the report resolved.",
  dismiss: "The report is dismissed.",
  forwarded: "The report is forwarded to the server the content came from.",
};

/**
 * Reports (`/reports`): anyone, signed in or not, reports a post, reply or
 * account at `/reports/new?subject=…`; the instance's administrators read the
 * open reports at `/reports` and act on each (`/admin/reports` leads there).
 * Those who moderate a community read there the reports about what is in
 * it, with only the actions they may take.
 */
export function reportRoutes({ services, config }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  const reports = services.reports;
  app.use("*", forPeople);

  /** The subject as given: a URI, or a path here. */
  const subjectOf = (value: string) => (value.startsWith("/") && !value.startsWith("//") ? new URL(value, config.origin).href : value);

  app.get("/new", async (c) => {
    const subject = subjectOf(c.req.query("subject") ?? "");
    const found = await reports.subject(subject);
    if (!found) throw notFound("There is nothing here to report at that address.");
    return render(c, (ctx) => <NewReportPage ctx={ctx} subject={found.uri} label={found.label} />);
  });

  app.post("/new", async (c) => {
    const body = await formBody(c);
    const subject = subjectOf(bodyText(body, "subject"));
    const values = { category: bodyText(body, "category"), note: bodyText(body, "note") };
    try {
      await reports.report({ subject, ...values, reporter: c.get("viewer") ?? null, client: clientAddress(c, config.trustProxy) });
      return c.redirect(`${NEW_REPORT_PATH}/sent`, 303);
    } catch (error) {
      if (error instanceof TooManyAttempts) c.header("Retry-After", String(error.retryAfterSeconds));
      const { status, errors } = formProblem(error);
      const found = await reports.subject(subject);
      if (!found) throw notFound("There is nothing here to report at that address.");
      return render(
        c,
        (ctx) => <NewReportPage ctx={ctx} subject={found.uri} label={found.label} values={values} errors={errors} />,
        status,
      );
    }
  });

  app.get("/new/sent", (c) => render(c, (ctx) => <ReportSentPage ctx={ctx} />));

  app.use("/", signInFirst(askedFor(REPORTS_PATH)));
  app.use("/:id/*", signInFirst(askedFor(REPORTS_PATH)));

  app.get("/", async (c) => {
    const { reports: open, names } = await reports.open(moderator(c));
    const notice = NOTICES[c.req.query("done") ?? ""];
    return render(c, (ctx) => <ReportsPage ctx={ctx} reports={open} names={names} notice={notice} isAdmin={moderator(c).isAdmin} />);
  });

  app.post("/:id/resolve", async (c) => {
    const body = await formBody(c);
    const action = bodyText(body, "action");
    try {
      await reports.resolve(moderator(c), c.req.param("id"), action, bodyText(body, "note"));
      return c.redirect(`${REPORTS_PATH}?done=${encodeURIComponent(action)}`, 303);
    } catch (error) {
      const { status, errors } = formProblem(error);
      const { reports: open, names } = await reports.open(moderator(c));
      return render(
        c,
        (ctx) => <ReportsPage ctx={ctx} reports={open} names={names} errors={errors} isAdmin={moderator(c).isAdmin} />,
        status,
      );
    }
  });

  app.post("/:id/forward", async (c) => {
    await reports.forward(moderator(c), c.req.param("id"));
    return c.redirect(`${REPORTS_PATH}?done=forwarded`, 303);
  });

  return app;
}

/** `/admin/reports` leads to the reports. */
export function adminReportsRedirect() {
  const app = new Hono<WebEnv>();
  app.get("/", (c) => c.redirect(REPORTS_PATH, 301));
  return app;
}
