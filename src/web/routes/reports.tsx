import { Hono, type Context, type MiddlewareHandler } from "hono";
import { forbidden, notFound, TooManyAttempts } from "../../domain/errors.ts";
import type { Actor } from "../../domain/types.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { NEW_REPORT_PATH, NewReportPage, REPORTS_PATH, ReportSentPage, ReportsPage } from "../pages/reports-page.tsx";
import type { Pages } from "../people.ts";
import { bodyText, formBody, formProblem } from "./forms.ts";
import { clientAddress } from "./sign-in.tsx";
import { askedFor, signInFirst } from "./sign-in-first.ts";

/** Only instance administrators get past (signInFirst has run). */
const requireAdmin: MiddlewareHandler<WebEnv> = async (c, next) => {
  const viewer = c.get("viewer")!;
  if (!viewer.isAdmin || viewer.deactivatedAt) throw forbidden("Only the instance's administrators can read and act on reports.");
  await next();
};

const admin = (c: Context<WebEnv>): Actor => c.get("viewer")!;

const NOTICES: Record<string, string> = {
  hide: "The reply is hidden and the report resolved.",
  "block-account": "The account is blocked and the report resolved.",
  "block-domain": "The domain is blocked and the report resolved.",
  dismiss: "The report is dismissed.",
  forwarded: "The report is forwarded to the server the content came from.",
};

/**
 * Reports (`/reports`): anyone, signed in or not, reports a post, reply or
 * account at `/reports/new?subject=…`; the instance's administrators read the
 * open reports at `/reports` and act on each (`/admin/reports` leads there).
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

  app.use("/", signInFirst(askedFor(REPORTS_PATH)), requireAdmin);
  app.use("/:id/*", signInFirst(askedFor(REPORTS_PATH)), requireAdmin);

  app.get("/", async (c) => {
    const { reports: open, names } = await reports.open(admin(c));
    const notice = NOTICES[c.req.query("done") ?? ""];
    return render(c, (ctx) => <ReportsPage ctx={ctx} reports={open} names={names} notice={notice} />);
  });

  app.post("/:id/resolve", async (c) => {
    const body = await formBody(c);
    const action = bodyText(body, "action");
    try {
      await reports.resolve(admin(c), c.req.param("id"), action, bodyText(body, "note"));
      return c.redirect(`${REPORTS_PATH}?done=${encodeURIComponent(action)}`, 303);
    } catch (error) {
      const { status, errors } = formProblem(error);
      const { reports: open, names } = await reports.open(admin(c));
      return render(c, (ctx) => <ReportsPage ctx={ctx} reports={open} names={names} errors={errors} />, status);
    }
  });

  app.post("/:id/forward", async (c) => {
    await reports.forward(admin(c), c.req.param("id"));
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
