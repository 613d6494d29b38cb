import type { Context } from "hono";
import { isDecisionStatus, type DecisionFilter } from "../../../domain/decisions.ts";
import { notFound } from "../../../domain/errors.ts";
import { normaliseTags } from "../../../domain/tags.ts";
import { dayFieldValue, parseDay, startOfDay } from "../../../domain/time-zone.ts";
import type { WebDeps } from "../../deps.ts";
import type { WebEnv } from "../../env.ts";
import type { FieldErrors } from "../../pages/components.tsx";
import { RegisterPage, type RegisterQuery, type RegisterScope } from "../../pages/decision-register.tsx";
import type { Render } from "../../render.ts";
import { handleOf } from "../actors/handle.ts";

/** A typed day shown back day first ("05/12/2026"); what is not a day is shown as typed, with its error. */
function dayFirst(text: string): string {
  const day = parseDay(text);
  return day ? dayFieldValue(day) : text;
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

/**
 * The registers of decision records: the instance's (`/decisions`) and a
 * community's (`/@{community}/decisions`), each filtered by what the
 * address asks for.
 */
export function registerPages({ services }: WebDeps, render: Render) {
  /** A register page for the filter in the address; a filter that cannot be used is shown again with what is wrong (400). */
  async function showRegister(c: Context<WebEnv>, scope: RegisterScope) {
    const read = (name: keyof RegisterQuery) => (c.req.query(name) ?? "").trim();
    const query: RegisterQuery = {
      status: read("status"),
      community: scope.kind === "instance" ? read("community") : "",
      tag: read("tag"),
      from: dayFirst(read("from")),
      to: dayFirst(read("to")),
    };
    const page = pageNumber(c.req.query("page"));
    const { filter, errors } = await filterFor(query, scope, c.get("timeZone"));
    if (Object.keys(errors).length > 0) {
      return render(
        c,
        (ctx) => <RegisterPage ctx={ctx} scope={scope} query={query} page={page} errors={errors} result={null} names={new Map()} />,
        400,
      );
    }
    const { names, ...result } = await services.decisionReading.register(filter, page);
    return render(c, (ctx) => <RegisterPage ctx={ctx} scope={scope} query={query} page={page} errors={{}} result={result} names={names} />);
  }

  /** The typed filter as the register's query, or what is wrong with it, field by field. */
  async function filterFor(
    query: RegisterQuery,
    scope: RegisterScope,
    zone: string,
  ): Promise<{ filter: DecisionFilter; errors: FieldErrors }> {
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
    const from = query.from ? parseDay(query.from) : null;
    const to = query.to ? parseDay(query.to) : null;
    if (query.from && !from) errors.from = "a date such as 31/03/2026";
    if (query.to && !to) errors.to = "a date such as 31/03/2026";
    const fromStart = from ? startOfDay(from, zone) : null;
    // "On or before" includes the whole of that day: the query's bound is the next midnight, in the instance's zone.
    const toEnd = to ? startOfDay(to, zone, 1) : null;
    if (fromStart && toEnd && toEnd <= fromStart) errors.to = "the same day as the first date, or later";
    if (fromStart) filter.proposedFrom = fromStart;
    if (toEnd) filter.proposedBefore = toEnd;
    return { filter, errors };
  }

  /** `/decisions`: every community's records. */
  async function instance(c: Context<WebEnv>) {
    const communities = (await services.actors.list("community")).filter((a) => !a.deactivatedAt);
    return showRegister(c, { kind: "instance", communities });
  }

  /** `/@{community}/decisions`: one community's records. */
  async function community(c: Context<WebEnv>) {
    const community = await services.actors.find(handleOf(c));
    if (!community || community.kind !== "community") throw notFound("There is no community by that name here.");
    return showRegister(c, { kind: "community", community });
  }

  return { instance, community };
}
