import { Hono, type Context } from "hono";
import { isDecisionStatus, type Decision, type DecisionFilter, type DecisionHistoryEntry } from "../../domain/decisions.ts";
import { notFound } from "../../domain/errors.ts";
import { normaliseTags } from "../../domain/tags.ts";
import type { Actor } from "../../domain/types.ts";
import { decisionPath } from "../../services/decisions.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import type { FieldErrors } from "../pages/components.tsx";
import type { PageContext } from "../pages/context.ts";
import { DecisionPage, type Decider, type RelatedRecord } from "../pages/decision-page.tsx";
import type { PeopleById } from "../pages/decision-parts.tsx";
import { RegisterPage, type RegisterQuery, type RegisterScope } from "../pages/decision-register.tsx";
import type { Render } from "../render.ts";
import { formProblem, formText } from "./forms.ts";
import { actorsById, namesFor, threadFor } from "./page-data.ts";
import { signInFirst } from "./sign-in-first.ts";

/** A record's id in a path; the pattern keeps `/decisions/new` and `/decisions/feed.atom` for their own routes. */
export const DECISION_ID = ":id{[0-9a-f-]{36}}";
const DAY_MS = 86_400_000;

/** The start (00:00 UTC) of a day written YYYY-MM-DD, or null if it is not a real day. */
function startOfDay(text: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 31 February over into March, and reads years below 100 as 19xx: such input is not a day.
  const same = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return same ? date : null;
}

/** One tag as the register stores it, or null if the text is not exactly one valid tag. */
function oneTag(text: string): string | null {
  try {
    const tags = normaliseTags(text);
    return tags.length === 1 ? tags[0]! : null;
  } catch {
    return null;
  }
}

/** `?page=`: a page number from 1; anything else is the first page (it is not part of the filter people type). */
function pageNumber(text: string | undefined): number {
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= 1 ? n : 1;
}

/** The decision registers (instance and community) and the decision page, with its reply form. */
export function decisionRoutes({ services, config }: WebDeps, render: Render) {
  const app = new Hono<WebEnv>();
  const recordUrl = (id: string) => new URL(decisionPath(id), config.origin).href;
  // The reply form lives on the record's page; after signing in, that is where to come back to.
  app.use(
    `/decisions/${DECISION_ID}/replies`,
    signInFirst((c) => decisionPath(c.req.param("id")!)),
  );

  app.get("/decisions", async (c) => {
    const communities = (await services.actors.list("community")).filter((a) => !a.deactivatedAt);
    return showRegister(c, { kind: "instance", communities });
  });

  app.get("/:handle{@[a-z0-9_]+}/decisions", async (c) => {
    const community = await services.actors.find(c.req.param("handle").slice(1));
    if (!community || community.kind !== "community") throw notFound("There is no community by that name here.");
    return showRegister(c, { kind: "community", community });
  });

  /** A register page for the filter in the address; a filter that cannot be used is shown again with what is wrong (400). */
  async function showRegister(c: Context<WebEnv>, scope: RegisterScope) {
    const read = (name: keyof RegisterQuery) => (c.req.query(name) ?? "").trim();
    const query: RegisterQuery = {
      status: read("status"),
      community: scope.kind === "instance" ? read("community") : "",
      tag: read("tag"),
      from: read("from"),
      to: read("to"),
    };
    const page = pageNumber(c.req.query("page"));
    const { filter, errors } = await filterFor(query, scope);
    if (Object.keys(errors).length > 0) {
      return render(
        c,
        (ctx) => <RegisterPage ctx={ctx} scope={scope} query={query} page={page} errors={errors} result={null} names={new Map()} />,
        400,
      );
    }
    const result = await services.decisions.register(filter, page);
    const names = await namesFor(
      services,
      result.items.map((d) => d.post),
    );
    return render(c, (ctx) => <RegisterPage ctx={ctx} scope={scope} query={query} page={page} errors={{}} result={result} names={names} />);
  }

  /** The typed filter as the register's query, or what is wrong with it, field by field. */
  async function filterFor(query: RegisterQuery, scope: RegisterScope): Promise<{ filter: DecisionFilter; errors: FieldErrors }> {
    const filter: DecisionFilter = {};
    const errors: FieldErrors = {};
    if (query.status) {
      if (isDecisionStatus(query.status)) filter.status = query.status;
      else errors.status = "choose a status from the list";
    }
    if (scope.kind === "community") filter.communityId = scope.community.id;
    else if (query.community) {
      const community = await services.actors.find(query.community);
      if (community?.kind === "community") filter.communityId = community.id;
      else errors.community = "choose a community from the list";
    }
    if (query.tag) {
      const tag = oneTag(query.tag);
      if (tag) filter.tag = tag;
      else errors.tag = "one tag, of letters, digits and _";
    }
    const from = query.from ? startOfDay(query.from) : null;
    const to = query.to ? startOfDay(query.to) : null;
    if (query.from && !from) errors.from = "a date such as 2026-03-31";
    if (query.to && !to) errors.to = "a date such as 2026-03-31";
    if (from && to && to < from) errors.to = "the same day as the first date, or later";
    if (from) filter.proposedFrom = from;
    // "On or before" includes the whole of that day: the query's bound is the next midnight.
    if (to) filter.proposedBefore = new Date(to.getTime() + DAY_MS);
    return { filter, errors };
  }

  app.get(`/decisions/${DECISION_ID}`, async (c) => {
    const decision = await publishedDecision(c.req.param("id"));
    return render(c, await decisionPageFor(decision, c.get("viewer"), { done: c.req.query("done") }));
  });

  app.post(`/decisions/${DECISION_ID}/replies`, async (c) => {
    const viewer = c.get("viewer")!;
    const decision = await publishedDecision(c.req.param("id"));
    const text = await formText(c, "body");
    try {
      await services.interactions.reply(viewer, recordUrl(decision.post.id), text);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return render(c, await decisionPageFor(decision, viewer, { reply: { body: text, errors } }), status);
    }
    return c.redirect(`${decisionPath(decision.post.id)}?done=replied#replies-title`, 303);
  });

  async function publishedDecision(id: string): Promise<Decision> {
    const decision = await services.decisions.get(id);
    if (!decision || decision.post.state !== "published") throw notFound("There is no such decision record. The address may be wrong.");
    return decision;
  }

  /** Everything the record's page shows, gathered. */
  async function decisionPageFor(
    decision: Decision,
    viewer: Actor | null,
    extra: { done?: string; reply?: { body: string; errors: FieldErrors } },
  ) {
    const { post } = decision;
    const [community, author, history, thread, mayChange, deciders, supersededBy, supersedes] = await Promise.all([
      services.store.actors.findById(post.communityId!),
      services.store.actors.findById(post.authorId),
      services.decisions.history(post.id),
      threadFor(services, post, recordUrl(post.id), config.origin),
      services.decisions.mayChange(post.id, viewer),
      Promise.all(decision.deciders.map(deciderFor)),
      decision.supersededBy ? relatedRecord(decision.supersededBy) : null,
      Promise.all(decision.supersedes.map(relatedRecord)),
    ]);
    const people = await peopleIn(history);
    return (ctx: PageContext) => (
      <DecisionPage
        ctx={ctx}
        decision={decision}
        community={community!}
        author={author}
        history={history}
        people={people}
        deciders={deciders}
        supersededBy={supersededBy}
        supersedes={supersedes.filter((r) => r !== null)}
        thread={thread}
        mayChange={mayChange}
        {...extra}
      />
    );
  }

  /** "alice" is a person here, shown by name; "bob@host" is someone elsewhere, shown by handle. */
  async function deciderFor(handle: string): Promise<Decider> {
    const person = handle.includes("@") ? null : await services.store.actors.findByHandle(handle);
    return person ? { name: person.displayName, href: `/@${person.handle}` } : { name: `@${handle}`, href: null };
  }

  /** Another record named by this one: only its title is shown. */
  async function relatedRecord(id: string): Promise<RelatedRecord | null> {
    const post = await services.store.posts.findById(id);
    return post ? { id, title: post.title ?? "Decision record" } : null;
  }

  const peopleIn = (history: DecisionHistoryEntry[]): Promise<PeopleById> =>
    actorsById(
      services,
      history.flatMap((h) => (h.actorId === null ? [] : [h.actorId])),
    );

  return app;
}
