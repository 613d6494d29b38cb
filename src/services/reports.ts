import { randomUUID } from "node:crypto";
import type { Clock } from "../domain/clock.ts";
import { hostOf } from "../domain/domains.ts";
import { conflict, DomainError, forbidden, invalid, notFound, tooMany } from "../domain/errors.ts";
import {
  ADMIN_REPORT_ACTIONS,
  bounded,
  isReportAction,
  isReportCategory,
  MAX_REPORT_NOTE,
  MAX_REPORT_SNAPSHOT,
  type NewReport,
  type Report,
  type ReportAction,
  type ReportSubjectKind,
} from "../domain/reports.ts";
import { escapeHtml } from "../domain/sanitize.ts";
import type { Actor } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import type { CommunityModerationService } from "./community-moderation.ts";
import type { FederationPolicyService } from "./federation-policy.ts";
import type { AccountBlockService } from "./account-blocks.ts";
import type { ModerationService } from "./moderation.ts";
import { actorsById, type ActorsById } from "./names.ts";
import { can } from "./permissions.ts";

/** How many reports a signed-out visitor may make in an hour, from one client address. */
export const VISITOR_REPORTS_PER_HOUR = 5;
/** The longest note a moderator may give when acting on a report. */
const MAX_RESOLUTION_NOTE = 500;
/** The most open reports the moderators' list shows at once. */
const OPEN_PAGE = 200;
/** The most objects of one `Flag` that are read. */
const MAX_FLAG_OBJECTS = 20;

const HOUR_MS = 60 * 60 * 1000;
const visitorKey = (address: string) => `report:${address}`;
const LOCAL_POST = /^\/(posts|notes|decisions)\/([0-9a-f-]{36})$/;
const LOCAL_ACTOR = /^\/@([a-z0-9_]+)$/;

/** A report as made on the web. */
export interface ReportInput {
  /** The URI of the post, reply or account reported. */
  subject: string;
  category: string;
  note: string;
  /** The person signed in, or null for a visitor. */
  reporter: Actor | null;
  /** The visitor's client address, for the limit on reports from one client. */
  client: string;
}

/** What is reported, as it is now. */
export interface ReportSubject {
  kind: ReportSubjectKind;
  uri: string;
  communityId: number | null;
  remoteAuthorUri: string | null;
  snapshot: string;
  /** How the subject is named on the report form. */
  label: string;
}

/** The open reports, with the people they name. */
export interface OpenReports {
  reports: Report[];
  names: ActorsById;
}

/**
 * Reports of posts, replies and accounts: from anyone on the web, and from
 * other servers (a `Flag`). The instance's administrators read them and act:
 * hide a reply, block an account or a whole domain, or dismiss the report;
 * a report about content from elsewhere may be forwarded to its server.
 * Those who moderate a community read the reports about what is in it, and
 * hide the reply, block its author from the community, or dismiss the report.
 * Every action goes into the moderation log.
 */
export class ReportService {
  private readonly origin: string;

  constructor(
    private readonly store: Store,
    origin: string,
    private readonly now: Clock,
    private readonly others: {
      moderation: ModerationService;
      accountBlocks: AccountBlockService;
      federationPolicy: FederationPolicyService;
      communityModeration: CommunityModerationService;
    },
  ) {
    this.origin = new URL(origin).origin;
  }

  /** What a URI names that may be reported here, or null. */
  async subject(uri: string, store: Store = this.store): Promise<ReportSubject | null> {
    if (!uri || uri.length > 2000 || !URL.canParse(uri)) return null;
    const url = new URL(uri);
    if (url.origin === this.origin) {
      const post = LOCAL_POST.exec(url.pathname);
      if (post) {
        const found = await store.posts.findById(post[2]!);
        if (found?.state !== "published") return null;
        const title = found.title ? `<p><strong>${escapeHtml(found.title)}</strong></p>` : "";
        return {
          kind: found.kind === "note" ? "reply" : "post",
          uri: url.href,
          communityId: found.communityId,
          remoteAuthorUri: null,
          snapshot: bounded(title + found.contentHtml, MAX_REPORT_SNAPSHOT),
          label: found.title ?? (found.kind === "note" ? "a reply" : "a post"),
        };
      }
      const handle = LOCAL_ACTOR.exec(url.pathname)?.[1];
      const actor = handle ? await store.actors.findByHandle(handle) : null;
      if (!actor || actor.kind === "instance") return null;
      return {
        kind: "account",
        uri: url.href,
        communityId: null,
        remoteAuthorUri: null,
        snapshot: bounded(
          `<p><strong>${escapeHtml(actor.displayName)}</strong> @${escapeHtml(actor.handle)}</p><p>${escapeHtml(actor.summary)}</p>`,
          MAX_REPORT_SNAPSHOT,
        ),
        label: `@${actor.handle}`,
      };
    }
    const reply = await store.interactions.findReplyByUri(url.href);
    if (reply) {
      const post = await store.posts.findById(reply.postId);
      return {
        kind: "reply",
        uri: reply.uri,
        communityId: post?.communityId ?? null,
        remoteAuthorUri: reply.author?.uri ?? null,
        snapshot: bounded(reply.contentHtml, MAX_REPORT_SNAPSHOT),
        label: `a reply by ${reply.author?.handle ?? reply.author?.uri ?? "someone elsewhere"}`,
      };
    }
    const remote = await store.remoteActors.findByUri(url.href);
    if (remote) {
      return {
        kind: "account",
        uri: remote.uri,
        communityId: null,
        remoteAuthorUri: remote.uri,
        snapshot: bounded(
          `<p><strong>${escapeHtml(remote.name ?? "")}</strong> ${escapeHtml(remote.handle ?? remote.uri)}</p>`,
          MAX_REPORT_SNAPSHOT,
        ),
        label: remote.handle ?? remote.uri,
      };
    }
    return null;
  }

  /**
   * A report from the web, by a person signed in or a visitor. A visitor's
   * client may make only a few an hour.
   */
  async report(input: ReportInput): Promise<Report> {
    const reporter = input.reporter && !input.reporter.deactivatedAt && input.reporter.kind === "person" ? input.reporter : null;
    const key = visitorKey(input.client || "unknown");
    const now = this.now();
    if (!reporter) {
      const { count, latest } = await this.store.accounts.loginFailures(key, new Date(now - HOUR_MS));
      if (count >= VISITOR_REPORTS_PER_HOUR) {
        const wait = Math.max(1, Math.ceil(((latest?.getTime() ?? now) + HOUR_MS - now) / 1000));
        throw tooMany("Too many reports from here in the last hour. Try again later, or sign in.", wait);
      }
    }
    const category = (input.category ?? "").trim();
    const note = (input.note ?? "").trim();
    const errors: Record<string, string> = {};
    if (!isReportCategory(category)) errors.category = "choose one";
    if (note.length > MAX_REPORT_NOTE) errors.note = `at most ${MAX_REPORT_NOTE} characters`;
    if (!isReportCategory(category) || note.length > MAX_REPORT_NOTE) throw invalid("Check the report.", errors);
    return this.store.transaction(async (tx) => {
      const subject = await this.subject(input.subject, tx);
      if (!subject) throw notFound("There is nothing here to report at that address.");
      if (!reporter) await tx.accounts.recordLoginFailure([key], new Date(now));
      return tx.reports.create(this.newReport(subject, { reporterId: reporter?.id ?? null, reporterUri: null, category, note }));
    });
  }

  /**
   * A report from another server (a `Flag`, as Mastodon sends): one report
   * for each post of ours it names, or, if it names none, for the first
   * account of ours. Whatever is not ours is left out. How many reports were made.
   */
  async receiveFlag(actorUri: string, objectUris: string[], content: string): Promise<number> {
    const note = bounded((content ?? "").trim(), MAX_REPORT_NOTE);
    const ours = objectUris.filter((uri) => URL.canParse(uri) && new URL(uri).origin === this.origin).slice(0, MAX_FLAG_OBJECTS);
    return this.store.transaction(async (tx) => {
      const subjects: ReportSubject[] = [];
      for (const uri of new Set(ours)) {
        const subject = await this.subject(uri, tx);
        if (subject) subjects.push(subject);
      }
      const posts = subjects.filter((s) => s.kind !== "account");
      const chosen = posts.length > 0 ? posts : subjects.slice(0, 1);
      for (const subject of chosen) {
        await tx.reports.create(this.newReport(subject, { reporterId: null, reporterUri: actorUri, category: "other", note }));
      }
      return chosen.length;
    });
  }

  /** The open reports, oldest first: every one for the instance's administrators, those in their communities for a community's moderators. */
  async open(acting: Actor): Promise<OpenReports> {
    const scope = await this.scope(acting);
    const reports = await this.store.reports.list("open", OPEN_PAGE, scope === "all" ? undefined : scope);
    const ids = reports.flatMap((r) => [r.reporterId, r.communityId].filter((id): id is number => id !== null));
    return { reports, names: await actorsById(this.store, ids) };
  }

  /** One report, for the instance's administrators, or for those who moderate the community it is in. */
  async find(acting: Actor, id: string): Promise<Report> {
    const scope = await this.scope(acting);
    const report = await this.store.reports.find(id);
    if (!report) throw notFound("There is no such report.");
    if (scope !== "all" && (report.communityId === null || !scope.includes(report.communityId))) {
      throw forbidden("That report is not about a community you moderate: only the instance's administrators can act on it.");
    }
    return report;
  }

  /**
   * Acts on an open report and closes it: hides the reply, blocks the
   * account from the community, blocks it or its whole domain from the
   * instance (administrators only), or dismisses the report. The action and
   * the report's closing are both in the moderation log.
   */
  async resolve(acting: Actor, id: string, action: string, note: string): Promise<Report> {
    const report = await this.find(acting, id);
    if (report.state !== "open") throw conflict("That report is already closed.");
    if (!isReportAction(action)) {
      throw invalid("Choose what to do.", {
        action: "hide, block from the community, block the account, block the domain or dismiss",
      });
    }
    if (ADMIN_REPORT_ACTIONS.includes(action) && !acting.isAdmin) {
      throw forbidden(
        "Only the instance's administrators can block an account or a domain from the whole instance; you can block the account from your community.",
      );
    }
    const why = (note ?? "").trim();
    if (why.length > MAX_RESOLUTION_NOTE)
      throw invalid(`A note may be at most ${MAX_RESOLUTION_NOTE} characters.`, { note: `at most ${MAX_RESOLUTION_NOTE} characters` });
    const reason = why || `Reported as ${report.category}.`;
    const at = new Date(this.now());
    const state = action === "dismiss" ? "dismissed" : "resolved";
    // Closed first, so that of two moderators acting at once only one acts; the action commits with the closing, or neither does.
    await this.store.transaction(async (tx) => {
      if (!(await tx.reports.close(id, { state, by: acting.id, at, resolution: action, note: why })))
        throw conflict("That report is already closed.");
      await this.act(tx, acting, report, action, reason);
      await tx.moderationLog.record({
        at,
        actorId: acting.id,
        communityId: report.communityId,
        action: state === "dismissed" ? "report.dismissed" : "report.resolved",
        subject: report.subjectUri,
        reason: why,
        details: { reportId: id, action, category: report.category },
      });
    });
    return { ...report, state, resolvedBy: acting.id, resolvedAt: at, resolution: action, resolutionNote: why };
  }

  /**
   * Forwards a report about content from elsewhere to the server it came
   * from; the `Flag` is sent from the instance, and names no one here.
   */
  async forward(acting: Actor, id: string): Promise<Report> {
    // The Flag goes from the instance, so the instance's administrators decide.
    mayAdminister(acting);
    const report = await this.find(acting, id);
    if (!report.remoteAuthorUri) throw invalid("Only a report about content from elsewhere can be forwarded.");
    const at = new Date(this.now());
    await this.store.transaction(async (tx) => {
      if (!(await tx.reports.markForwarded(id, at))) throw conflict("That report was forwarded already.");
      await tx.moderationLog.record({
        at,
        actorId: acting.id,
        communityId: report.communityId,
        action: "report.forwarded",
        subject: report.subjectUri,
        reason: "",
        details: { reportId: id, to: report.remoteAuthorUri },
      });
      await tx.events.record([{ type: "report.forwarded", reportId: id }]);
    });
    return { ...report, forwardedAt: at };
  }

  /** A forwarded report and the account elsewhere it goes to, for the outbox. */
  async toForward(reportId: string) {
    const report = await this.store.reports.find(reportId);
    if (!report?.forwardedAt || !report.remoteAuthorUri) return null;
    return { report, author: await this.store.remoteActors.findByUri(report.remoteAuthorUri) };
  }

  /** Does what resolving a report asks, in its transaction. */
  private async act(tx: Store, acting: Actor, report: Report, action: ReportAction, reason: string): Promise<void> {
    const { moderation, accountBlocks, federationPolicy, communityModeration } = this.others;
    switch (action) {
      case "hide": {
        if (report.subjectKind !== "reply") throw invalid("Only a reply can be hidden.", { action: "not a reply" });
        try {
          await moderation.hideReply(acting, report.subjectUri, reason, undefined, tx);
        } catch (error) {
          // Hidden already (from its post's page, say): the report is still resolved.
          if (!(error instanceof DomainError && error.code === "conflict")) throw error;
        }
        return;
      }
      case "block-account":
        if (!report.remoteAuthorUri) throw invalid("Only an account elsewhere can be blocked.", { action: "not an account elsewhere" });
        await accountBlocks.block(acting, report.remoteAuthorUri, reason, tx);
        return;
      case "block-domain": {
        const host = report.remoteAuthorUri ? hostOf(report.remoteAuthorUri) : null;
        if (!host) throw invalid("Only a domain elsewhere can be blocked.", { action: "not content from elsewhere" });
        await federationPolicy.blockDomain(acting, host, reason, tx);
        return;
      }
      case "block-in-community": {
        const community = report.communityId === null ? null : await tx.actors.findById(report.communityId);
        if (!community || !report.remoteAuthorUri) {
          throw invalid("Only an account elsewhere, reported in a community, can be blocked from it.", {
            action: "not an account elsewhere in a community",
          });
        }
        // Already blocked (by hand, or for another report): the report is still resolved.
        if (!(await tx.communityBlocks.isBlocked(community.id, report.remoteAuthorUri))) {
          await communityModeration.block(acting, community.handle, report.remoteAuthorUri, reason, tx);
        }
        return;
      }
      case "dismiss":
        return;
    }
  }

  /**
   * Which reports this person may read and act on: every one (an instance
   * administrator), or those in the communities they moderate; forbidden
   * for anyone else.
   */
  private async scope(acting: Actor): Promise<"all" | number[]> {
    if (acting.kind === "person" && acting.isAdmin && !acting.deactivatedAt) return "all";
    const moderated =
      acting.kind === "person" && !acting.deactivatedAt
        ? (await this.store.actors.membershipsOfPerson(acting.id))
            .filter((m) => can(m.role, "moderate") && !m.community.deactivatedAt)
            .map((m) => m.community.id)
        : [];
    if (moderated.length === 0) {
      throw forbidden("Only the instance's administrators, and those who moderate a community, can read and act on reports.");
    }
    return moderated;
  }

  private newReport(subject: ReportSubject, by: Pick<NewReport, "reporterId" | "reporterUri" | "category" | "note">): NewReport {
    return {
      id: randomUUID(),
      createdAt: new Date(this.now()),
      ...by,
      subjectKind: subject.kind,
      subjectUri: subject.uri,
      communityId: subject.communityId,
      remoteAuthorUri: subject.remoteAuthorUri,
      snapshot: subject.snapshot,
    };
  }
}

function mayAdminister(acting: Actor): void {
  if (acting.kind !== "person" || !acting.isAdmin || acting.deactivatedAt) {
    throw forbidden("Only the instance's administrators can forward a report to another server.");
  }
}
