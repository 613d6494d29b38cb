import { Hono, type Context, type MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { forbidden } from "../../domain/errors.ts";
import type { Actor } from "../../domain/types.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { ACCOUNT_BLOCKS_PATH, AccountBlocksPage, type AccountBlocksPageProps } from "../pages/account-blocks-page.tsx";
import type { Pages } from "../people.ts";
import { bodyText, formBody, formProblem } from "./forms.ts";
import { askedFor, signInFirst } from "./sign-in-first.ts";

/** Only instance administrators get past (signInFirst has run). */
const requireAdmin: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (!c.get("viewer")!.isAdmin) throw forbidden("Only the instance's administrators can block and unblock accounts.");
  await next();
};

const admin = (c: Context<WebEnv>): Actor => c.get("viewer")!;

const NOTICES: Record<string, string> = {
  blocked: "The account is blocked.",
  unblocked: "The account is no longer blocked; what it sent before shows again.",
};

/**
 * Blocking single accounts elsewhere (`/admin/account-blocks`), for instance
 * administrators: block one with a reason, or unblock it. Each form posts and
 * redirects back; on bad input the page is shown again with the errors next
 * to their fields and what was typed.
 */
export function accountBlockRoutes({ services }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  const blocks = services.accountBlocks;
  app.use("*", forPeople);
  app.use("/*", signInFirst(askedFor(ACCOUNT_BLOCKS_PATH)), requireAdmin);

  async function page(c: Context<WebEnv>, extra: Omit<AccountBlocksPageProps, "ctx" | "blocks">, status: ContentfulStatusCode = 200) {
    const list = await blocks.list(admin(c));
    return render(c, (ctx) => <AccountBlocksPage ctx={ctx} blocks={list} {...extra} />, status);
  }

  app.get("/", (c) => page(c, { notice: NOTICES[c.req.query("done") ?? ""] }));

  app.post("/", async (c) => {
    const body = await formBody(c);
    const form = { account: bodyText(body, "account"), reason: bodyText(body, "reason") };
    try {
      await blocks.block(admin(c), form.account, form.reason);
      return c.redirect(`${ACCOUNT_BLOCKS_PATH}?done=blocked`, 303);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return page(c, { block: form, errors }, status);
    }
  });

  app.post("/unblock", async (c) => {
    await blocks.unblock(admin(c), bodyText(await formBody(c), "account"));
    return c.redirect(`${ACCOUNT_BLOCKS_PATH}?done=unblocked`, 303);
  });

  return app;
}
