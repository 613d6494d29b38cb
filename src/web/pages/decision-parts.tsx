import { raw } from "hono/html";
import {
  formatDecisionTime,
  STATUS_LABELS,
  type Decision,
  type DecisionAction,
  type DecisionHistoryEntry,
  type DecisionStatus,
} from "../../domain/decisions.ts";
import { renderMarkdown } from "../../domain/markdown.ts";
import { actorPath, decisionPath, DECISIONS_PATH } from "../../domain/urls.ts";
import { DateText, type PostNames } from "./components.tsx";
import { useTimeZone } from "./time-zone-context.tsx";

/**
 * A record's status as words in a labelled box: the words carry the meaning,
 * the colour only repeats it (each status has its own class in style.css).
 */
export function StatusTag({ status }: { status: DecisionStatus }) {
  return <strong class={`status status-${status}`}>{STATUS_LABELS[status]}</strong>;
}

/** A moment on a record, with the hour in the instance's time zone, labelled: consultations end at a time, not just on a day. */
export function DecisionTime({ date }: { date: Date }) {
  return <time datetime={date.toISOString()}>{formatDecisionTime(date, useTimeZone())}</time>;
}

/** A Markdown field of the record (context, decision, rationale…) as safe HTML. */
export function RecordText({ markdown }: { markdown: string }) {
  return <div class="prose">{raw(renderMarkdown(markdown))}</div>;
}

/** What each kind of history entry did, in words; also the start of the feed's entry titles. */
export const ACTION_WORDS: Record<DecisionAction, string> = {
  proposed: "Proposed",
  opened: "Opened for comment",
  closed: "Comments closed",
  decided: "Decided",
  superseded: "Marked superseded",
  withdrawn: "Withdrawn",
  edited: "Edited",
  amended: "Amended",
};

/** "Amended: decision, deciders": an edit names the fields it changed, so readers know where to look. */
export function actionText(entry: Pick<DecisionHistoryEntry, "action" | "changes">): string {
  const words = ACTION_WORDS[entry.action];
  const namesFields = entry.action === "edited" || entry.action === "amended";
  return namesFields && entry.changes.length > 0 ? `${words}: ${entry.changes.join(", ")}` : words;
}

/** The move between states in words, or null when there was none (a new record, or a change of its text). */
export function statusChangeText(entry: Pick<DecisionHistoryEntry, "fromStatus" | "toStatus">): string | null {
  if (entry.fromStatus === null || entry.fromStatus === entry.toStatus) return null;
  return `Status changed from ${STATUS_LABELS[entry.fromStatus]} to ${STATUS_LABELS[entry.toStatus]}`;
}

/** The one date that matters most in the record's current state. */
export function KeyDate({ decision }: { decision: Decision }) {
  const { status, consultationClosesAt, decidedAt, statusChangedAt, post } = decision;
  if (status === "open" && consultationClosesAt)
    return (
      <>
        Closes <DecisionTime date={consultationClosesAt} />
      </>
    );
  if ((status === "decided" || status === "superseded") && decidedAt)
    return (
      <>
        Decided <DateText date={decidedAt} />
      </>
    );
  if (status === "closed")
    return (
      <>
        Comments closed <DateText date={statusChangedAt} />
      </>
    );
  if (status === "withdrawn")
    return (
      <>
        Withdrawn <DateText date={statusChangedAt} />
      </>
    );
  return (
    <>
      Proposed <DateText date={post.publishedAt ?? post.createdAt} />
    </>
  );
}

/** Tags, each linking to a register narrowed to it (`registerPath` is the register to narrow). */
export function TagLinks({ tags, registerPath }: { tags: string[]; registerPath: string }) {
  if (tags.length === 0) return null;
  return (
    <ul class="inline-list" aria-label="Tags">
      {tags.map((tag) => (
        <li>
          <a class="tag" href={`${registerPath}?tag=${encodeURIComponent(tag)}`}>
            #{tag}
          </a>
        </li>
      ))}
    </ul>
  );
}

/**
 * Records as a list: title, status, community and the date that matters; the
 * full form adds the summary (question or decision) and tags. `names` holds
 * the communities' names; leave out `showCommunity` where all are in one.
 */
export function DecisionList(props: {
  decisions: Decision[];
  names: PostNames;
  showCommunity?: boolean;
  brief?: boolean;
  /** The register that tag links narrow. */
  registerPath?: string;
}) {
  return (
    <ul class="post-list decision-list">
      {props.decisions.map((d) => {
        const community = d.post.communityId === null ? undefined : props.names.get(d.post.communityId);
        return (
          <li>
            <h3>
              <a href={decisionPath(d.post.id)}>{d.post.title}</a>
            </h3>
            <p class="meta">
              <StatusTag status={d.status} />
              {props.showCommunity && community ? (
                <>
                  {" "}
                  · in <a href={actorPath(community.handle)}>{community.displayName}</a>
                </>
              ) : null}
              {" · "}
              <KeyDate decision={d} />
            </p>
            {props.brief ? null : (
              <>
                {d.post.summary ? <p>{d.post.summary}</p> : null}
                <TagLinks tags={d.post.tags} registerPath={props.registerPath ?? DECISIONS_PATH} />
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** A person named in the history: their name links to their page. */
export type PeopleById = Map<number, { handle: string; displayName: string }>;

/**
 * The record's history, oldest first: when, who (or "Automatically" when the
 * instance did it, as when a consultation reaches its date), what, and why.
 * Each entry has an anchor, which the Atom feed's entry ids name.
 */
export function HistoryTimeline({ entries, people }: { entries: DecisionHistoryEntry[]; people: PeopleById }) {
  return (
    <ol class="history">
      {entries.map((entry) => {
        const person = entry.actorId === null ? null : people.get(entry.actorId);
        const who =
          entry.actorId === null ? (
            "Automatically"
          ) : person ? (
            <a href={actorPath(person.handle)}>{person.displayName}</a>
          ) : (
            "Someone no longer here"
          );
        return (
          <li id={`history-${entry.id}`}>
            <HistoryEntryText entry={entry} at={entry.at} who={who} />
          </li>
        );
      })}
    </ol>
  );
}

/** One entry of a history, here or from another instance: when and who, what, the move, and why. */
export function HistoryEntryText(props: {
  entry: Pick<DecisionHistoryEntry, "action" | "changes" | "fromStatus" | "toStatus" | "reason">;
  at: Date;
  who: unknown;
}) {
  const { entry } = props;
  const change = statusChangeText(entry);
  return (
    <>
      <p class="meta">
        <DecisionTime date={props.at} /> · {props.who}
      </p>
      <p class="history-action">{actionText(entry)}</p>
      {change ? <p>{change}</p> : null}
      {entry.reason ? <p>Reason: {entry.reason}</p> : null}
    </>
  );
}

/**
 * A few recent records beside other content (home, community and person
 * pages), with the way to the full register.
 */
export function LatestDecisions(props: {
  title: string;
  decisions: Decision[];
  names: PostNames;
  showCommunity: boolean;
  register: { href: string; label: string };
}) {
  return (
    <section aria-labelledby="decisions-title">
      <h2 id="decisions-title">{props.title}</h2>
      {props.decisions.length === 0 ? (
        <p class="secondary">No decision records yet.</p>
      ) : (
        <DecisionList decisions={props.decisions} names={props.names} showCommunity={props.showCommunity} brief />
      )}
      <p>
        <a href={props.register.href}>{props.register.label}</a>
      </p>
    </section>
  );
}
