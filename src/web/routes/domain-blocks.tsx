import { Hono, type Context, type MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { normaliseDomain } from "../../domain/domains.ts";
import { forbidden } from "../../domain/errors.ts";
import type { Actor } from "../../domain/types.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { DOMAIN_BLOCKS_PATH, DomainBlocksPage, type DomainBlocksPageProps } from "../pages/domain-blocks-page.tsx";
import type { Pages } from "../people.ts";
import { formBody, formProblem, bodyText } from "./forms.ts";
import { askedFor, signInFirst } from "./sign-in-first.ts";

/** Only instance administrators get past (signInFirst has run). */
const requireAdmin: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (!c.get("viewer")!.isAdmin) throw forbidden("Only the instance's administrators can block and unblock domains.");
  await next();
};

const admin = (c: Context<WebEnv>): Actor => c.get("viewer")!;

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Blocking whole domains (`/admin/domain-blocks`), for instance administrators:
 * block one with a public reason, unblock, import and export Mastodon's CSV.
 * Each form posts and redirects back; on bad input the page is shown again
 * with the errors next to their fields.
 */
export function domainBlockRoutes({ services }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  const policy = services.federationPolicy;
  app.use("*", forPeople);
  app.use("/*", signInFirst(askedFor(DOMAIN_BLOCKS_PATH)), requireAdmin);

  async function page(
    c: Context<WebEnv>,
    extra: Omit<DomainBlocksPageProps, "ctx" | "blocks" | "allowed" | "mode">,
    status: ContentfulStatusCode = 200,
  ) {
    const [blocks, allowed] = await Promise.all([policy.list(admin(c)), policy.listAllowed(admin(c))]);
    return render(c, (ctx) => <DomainBlocksPage ctx={ctx} blocks={blocks} allowed={allowed} mode={policy.mode} {...extra} />, status);
  }

  app.get("/", async (c) => {
    const [blocks, allowed] = await Promise.all([policy.list(admin(c)), policy.listAllowed(admin(c))]);
    const listed = new Set(allowed.map((a) => a.domain));
    const blocked = new Set(blocks.map((b) => b.domain));
    // Only what is so now is confirmed: a link cannot make the page claim otherwise.
    const named = (key: string) => normaliseDomain(c.req.query(key) ?? "");
    const justBlocked = named("blocked");
    const justUnblocked = named("unblocked");
    const justAllowed = named("allowed");
    const justDisallowed = named("disallowed");
    const ended = Number(c.req.query("ended") ?? "0") || 0;
    const imported = /^\d+,\d+,\d+$/.test(c.req.query("imported") ?? "") ? c.req.query("imported")!.split(",").map(Number) : null;
    const notice =
      justBlocked && blocked.has(justBlocked)
        ? `${justBlocked} is blocked${ended > 0 ? `; ${count(ended, "follow", "follows")} of people and communities here ended` : ""}.`
        : justUnblocked && !blocked.has(justUnblocked)
          ? `${justUnblocked} is no longer blocked.`
          : imported
            ? `Imported: ${count(imported[0]!, "domain", "domains")} blocked, ${count(imported[1]!, "block", "blocks")} given a new reason, ${count(imported[2]!, "line", "lines")} skipped.`
            : justAllowed && listed.has(justAllowed)
              ? `${justAllowed} is on the allow list.`
              : justDisallowed && !listed.has(justDisallowed)
                ? `${justDisallowed} is no longer on the allow list.`
                : undefined;
    return render(c, (ctx) => <DomainBlocksPage ctx={ctx} blocks={blocks} allowed={allowed} mode={policy.mode} notice={notice} />);
  });

  app.post("/", async (c) => {
    const body = await formBody(c);
    const form = { domain: bodyText(body, "domain"), reason: bodyText(body, "reason") };
    try {
      const { domain, followsEnded } = await policy.blockDomain(admin(c), form.domain, form.reason);
      return c.redirect(`${DOMAIN_BLOCKS_PATH}?blocked=${encodeURIComponent(domain)}&ended=${followsEnded}`, 303);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return page(c, { block: form, errors }, status);
    }
  });

  app.post("/unblock", async (c) => {
    const domain = await policy.unblockDomain(admin(c), bodyText(await formBody(c), "domain"));
    return c.redirect(`${DOMAIN_BLOCKS_PATH}?unblocked=${encodeURIComponent(domain)}`, 303);
  });

  app.post("/allow", async (c) => {
    const body = await formBody(c);
    const form = { allow: bodyText(body, "allow"), note: bodyText(body, "note") };
    try {
      const { domain } = await policy.allowDomain(admin(c), form.allow, form.note);
      return c.redirect(`${DOMAIN_BLOCKS_PATH}?allowed=${encodeURIComponent(domain)}`, 303);
    } catch (error) {
      const { status, errors } = formProblem(error);
      const { domain, ...rest } = errors;
      return page(c, { allowing: form, errors: domain ? { ...rest, allow: domain } : rest }, status);
    }
  });

  app.post("/disallow", async (c) => {
    const domain = await policy.disallowDomain(admin(c), bodyText(await formBody(c), "domain"));
    return c.redirect(`${DOMAIN_BLOCKS_PATH}?disallowed=${encodeURIComponent(domain)}`, 303);
  });

  app.post("/import", async (c) => {
    const csv = bodyText(await formBody(c), "csv");
    try {
      const done = await policy.importCsv(admin(c), csv);
      return c.redirect(`${DOMAIN_BLOCKS_PATH}?imported=${done.blocked},${done.updated},${done.skipped}`, 303);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return page(c, { csv, errors }, status);
    }
  });

  app.get("/export.csv", async (c) => {
    const csv = await policy.exportCsv(admin(c));
    return c.body(csv, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="domain_blocks.csv"',
      "cache-control": "no-store",
    });
  });

  return app;
}
