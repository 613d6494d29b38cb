import { Hono, type Context, type MiddlewareHandler } from "hono";
import { forbidden, invalid } from "../../domain/errors.ts";
import type { Actor } from "../../domain/types.ts";
import type { DeadSelection } from "../../services/dead-letters.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { DeadLettersPage, NO_SERVER } from "../pages/dead-letters-page.tsx";
import type { Pages } from "../people.ts";
import { formText } from "./forms.ts";
import { askedFor, signInFirst } from "./sign-in-first.ts";

const PAGE = "/admin/dead-letters";

/** Only instance administrators get past (signInFirst has run). */
const requireAdmin: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (!c.get("viewer")!.isAdmin) throw forbidden("Only the instance's administrators can handle failed messages.");
  await next();
};

const admin = (c: Context<WebEnv>): Actor => c.get("viewer")!;

/** A message's number from the path. */
function idOf(c: Context<WebEnv>): DeadSelection {
  const id = Number(c.req.param("id"));
  if (!Number.isSafeInteger(id) || id <= 0) throw invalid("A message's number is a positive whole number.");
  return { id };
}

/** The server named by the form (its origin, or "none" for messages that concern no remote server). */
async function serverOf(c: Context<WebEnv>): Promise<DeadSelection> {
  const origin = await formText(c, "origin");
  return { origin: origin === NO_SERVER ? null : origin };
}

const done = (c: Context<WebEnv>, action: "retried" | "discarded", count: number) => c.redirect(`${PAGE}?${action}=${count}`, 303);

/**
 * Messages that failed too often (`/admin/dead-letters`), for instance
 * administrators: listed by remote server, retried or discarded one at a time
 * or a server's at once. Each action posts and redirects back to the list.
 */
export function deadLetterRoutes({ services }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);
  app.use("/*", signInFirst(askedFor(PAGE)), requireAdmin);

  app.get("/", async (c) => {
    const groups = await services.deadLetters.overview(admin(c));
    const retried = c.req.query("retried");
    const discarded = c.req.query("discarded");
    const count = (text: string) => {
      const n = Number(text);
      return `${n} ${n === 1 ? "message" : "messages"}`;
    };
    const notice =
      retried && /^\d+$/.test(retried)
        ? `${count(retried)} put back on the queue, to be tried at once.`
        : discarded && /^\d+$/.test(discarded)
          ? `${count(discarded)} discarded.`
          : undefined;
    return render(c, (ctx) => <DeadLettersPage ctx={ctx} groups={groups} notice={notice} />);
  });

  app.post("/servers/retry", async (c) => done(c, "retried", await services.deadLetters.retry(admin(c), await serverOf(c))));
  app.post("/servers/discard", async (c) => done(c, "discarded", await services.deadLetters.discard(admin(c), await serverOf(c))));
  app.post("/:id{[0-9]+}/retry", async (c) => done(c, "retried", await services.deadLetters.retry(admin(c), idOf(c))));
  app.post("/:id{[0-9]+}/discard", async (c) => done(c, "discarded", await services.deadLetters.discard(admin(c), idOf(c))));

  return app;
}
