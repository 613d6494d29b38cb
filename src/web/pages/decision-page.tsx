import type { Child } from "hono/jsx";
import { isFinal, mayMove, type Decision, type DecisionHistoryEntry, type DecisionMove, type InformedBy } from "../../domain/decisions.ts";
import type { Actor } from "../../domain/types.ts";
import { actorPath, communityDecisionFeedPath, decisionFormPath, decisionPath, DECISIONS_PATH, notePath } from "../../domain/urls.ts";
import type { ConsultationReply } from "../../services/consultation-input.ts";
import type { RelatedRecord } from "../../services/decision-reading.ts";
import type { ThreadEntry } from "../../services/threads.ts";
import type { PageContext } from "./context.ts";
import { Notice, RemoteLink, type FieldErrors } from "./components.tsx";
import { DecisionTime, HistoryTimeline, RecordText, StatusTag, TagLinks, type PeopleById } from "./decision-parts.tsx";
import { Layout } from "./layout.tsx";
import { InputOutcomes } from "./outcome-parts.tsx";
import type { ReplyPolicy } from "../../domain/reply-policy.ts";
import { Replying } from "./post-page.tsx";
import { REPLY_MODERATION_DONE, Thread, type ModerationProblem } from "./thread.tsx";
import { reportLink } from "./reports-page.tsx";

/** Someone who decided: a person here links to their page; someone elsewhere is shown by their handle. */
export interface Decider {
  name: string;
  href: string | null;
}

export interface DecisionPageProps {
  ctx: PageContext;
  decision: Decision;
  community: Actor;
  author: Actor | null;
  history: DecisionHistoryEntry[];
  /** The people named in the history. */
  people: PeopleById;
  deciders: Decider[];
  supersededBy: RelatedRecord | null;
  supersedes: RelatedRecord[];
  thread: ThreadEntry[];
  /** Whether the viewer may edit the record and move it between states. */
  mayChange: boolean;
  /** Whether the viewer may hide and restore its replies. */
  mayModerate: boolean;
  /** Whether the viewer may reply here, under the community's reply policy. */
  mayReply: boolean;
  /** The replies that answer the record, with what became of each. */
  input: ConsultationReply[];
  /** Whether the viewer may set those outcomes. */
  maySetOutcomes: boolean;
  /** A reply's hide form shown again with its problem. */
  moderationProblem?: ModerationProblem;
  /** What was just done (from `?done=`), to confirm it. */
  done?: string;
  /** The reply form's text and errors, when it is shown again. */
  reply?: { body: string; errors: FieldErrors };
}

/** The sentence confirming each thing the forms (and the reply form) redirect back here after. */
const DONE_MESSAGES: Record<string, string> = {
  proposed: "The record is published as a proposed decision.",
  edited: "Your changes are saved and shown in the history.",
  amended: "The amendment is saved, with its reason, in the history.",
  opened: "The record is open for comment. Replies are invited until the closing time.",
  closed: "Comments are closed. Record the decision when it is made.",
  decided: "The decision is recorded.",
  superseded: "The record is marked as superseded.",
  withdrawn: "The record is withdrawn.",
  replied: "Your reply is published.",
  ...REPLY_MODERATION_DONE,
};

// Own keys only: `?done=toString` must not find Object's methods.
const doneMessage = (done: string | undefined) => (done && Object.hasOwn(DONE_MESSAGES, done) ? DONE_MESSAGES[done] : undefined);

/** Each move's button, in the order a record usually goes through them. */
const MOVE_BUTTONS: { move: DecisionMove; label: string; primary: boolean }[] = [
  { move: "open", label: "Open for comment", primary: true },
  { move: "close", label: "Close comments", primary: true },
  { move: "decide", label: "Record the decision", primary: true },
  { move: "supersede", label: "Mark superseded", primary: false },
  { move: "withdraw", label: "Withdraw", primary: false },
];

/** A decision record with its history, the input that shaped it, and its replies. */
export function DecisionPage(props: DecisionPageProps) {
  const { ctx, decision: d, community } = props;
  const title = d.post.title ?? "Decision record";
  const feeds = [{ title: `Decisions in ${community.displayName}`, href: communityDecisionFeedPath(community.handle) }];
  const hasErrors = Object.keys(props.reply?.errors ?? {}).length > 0;
  return (
    <Layout ctx={ctx} title={hasErrors ? `Error: ${title}` : title} feeds={feeds} description={d.post.summary ?? undefined}>
      <article aria-labelledby="record-title">
        <header class="post-header">
          <p class="secondary">Decision record</p>
          <h1 id="record-title">{title}</h1>
          <p class="meta">
            <StatusTag status={d.status} /> · in <a href={actorPath(community.handle)}>{community.displayName}</a>
            {props.author ? (
              <>
                {" "}
                · proposed by <a href={actorPath(props.author.handle)}>{props.author.displayName}</a>
              </>
            ) : null}
          </p>
        </header>
        <Notice message={doneMessage(props.done)} />
        {d.post.summary ? <p class="summary">{d.post.summary}</p> : null}
        <Invitation ctx={ctx} decision={d} community={community} />
        {props.mayChange ? <Actions decision={d} /> : null}
        <RecordFields {...props} />
        <InputOutcomes decision={d} input={props.input} maySet={props.maySetOutcomes} />
      </article>
      <Replies
        ctx={ctx}
        decision={d}
        thread={props.thread}
        reply={props.reply}
        mayModerate={props.mayModerate}
        mayReply={props.mayReply}
        policy={community.replyPolicy}
        moderationProblem={props.moderationProblem}
      />
    </Layout>
  );
}

/** A section of the record under its own heading. */
function Section({ id, title, children }: { id: string; title: string; children: Child }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** While the record is open, readers are asked for their view, here or from wherever they are on the fediverse. */
function Invitation({ ctx, decision, community }: { ctx: PageContext; decision: Decision; community: Actor }) {
  if (decision.status !== "open" || !decision.consultationClosesAt) return null;
  return (
    <section class="panel" aria-labelledby="invitation-title">
      <h2 id="invitation-title">
        Open for comment until <DecisionTime date={decision.consultationClosesAt} />
      </h2>
      <p>
        Reply here, or from Mastodon by replying to{" "}
        <span class="handle">
          @{community.handle}@{ctx.host}
        </span>
        's post about this record. Every reply is public and is read before the decision is made.
      </p>
      <p>
        <a href={ctx.viewer ? "#reply-form" : "#replies-title"}>Write a reply</a>
      </p>
    </section>
  );
}

/** Links to the forms for what may be done next: what the current status allows, and nothing else. */
function Actions({ decision }: { decision: Decision }) {
  const moves = MOVE_BUTTONS.filter((b) => mayMove(decision.status, b.move));
  const editable = !isFinal(decision.status);
  if (!editable && moves.length === 0) return null;
  return (
    <section aria-labelledby="actions-title">
      <h2 id="actions-title">Change this record</h2>
      <p class="button-group">
        {moves.map((b) => (
          <a class={b.primary ? "button" : "button button-secondary"} href={decisionFormPath(decision.post.id, b.move)}>
            {b.label}
          </a>
        ))}
        {editable ? (
          <a class="button button-secondary" href={decisionFormPath(decision.post.id, "edit")}>
            {decision.status === "decided" ? "Amend" : "Edit"}
          </a>
        ) : null}
      </p>
      {decision.status === "open" ? (
        <p class="hint">Close comments before recording the decision, so everyone can see the consultation has ended.</p>
      ) : null}
    </section>
  );
}

/** Everything the record says, in the order a reader needs it. */
function RecordFields(props: DecisionPageProps) {
  const { decision: d } = props;
  return (
    <>
      <Section id="question-title" title="The question">
        <p class="prose">{d.question}</p>
      </Section>
      <Section id="context-title" title="Context">
        <RecordText markdown={d.context} />
      </Section>
      {d.options.length > 0 ? (
        <Section id="options-title" title="Options considered">
          <ul class="record-options">
            {d.options.map((option) => (
              <li>
                <h3>{option.title}</h3>
                {option.description ? <RecordText markdown={option.description} /> : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {d.decision ? (
        <Section id="decision-title" title="The decision">
          <RecordText markdown={d.decision} />
        </Section>
      ) : null}
      {d.rationale ? (
        <Section id="rationale-title" title="Rationale">
          <RecordText markdown={d.rationale} />
        </Section>
      ) : null}
      {d.consequences ? (
        <Section id="consequences-title" title="Consequences">
          <RecordText markdown={d.consequences} />
        </Section>
      ) : null}
      {d.informedBy.length > 0 ? (
        <Section id="informed-by-title" title="Informed by">
          <InformedByList inputs={d.informedBy} />
        </Section>
      ) : null}
      {props.deciders.length > 0 ? (
        <Section id="deciders-title" title="Who decided">
          <ul class="link-list">
            {props.deciders.map((p) => (
              <li>{p.href ? <a href={p.href}>{p.name}</a> : <span class="handle">{p.name}</span>}</li>
            ))}
          </ul>
        </Section>
      ) : null}
      <Section id="dates-title" title="Dates">
        <dl class="record-dates">
          <dt>Proposed</dt>
          <dd>
            <DecisionTime date={d.post.publishedAt ?? d.post.createdAt} />
          </dd>
          {d.consultationClosesAt ? (
            <>
              <dt>{d.status === "open" ? "Consultation closes" : "Consultation closed"}</dt>
              <dd>
                <DecisionTime date={d.consultationClosesAt} />
              </dd>
            </>
          ) : null}
          {d.decidedAt ? (
            <>
              <dt>Decided</dt>
              <dd>
                <DecisionTime date={d.decidedAt} />
              </dd>
            </>
          ) : null}
        </dl>
      </Section>
      {d.post.tags.length > 0 ? (
        <Section id="tags-title" title="Tags">
          <TagLinks tags={d.post.tags} registerPath={DECISIONS_PATH} />
        </Section>
      ) : null}
      {props.supersededBy || props.supersedes.length > 0 ? (
        <Section id="related-title" title="Related records">
          <ul class="link-list">
            {props.supersededBy ? (
              <li>
                Superseded by <a href={decisionPath(props.supersededBy.id)}>{props.supersededBy.title}</a>
              </li>
            ) : null}
            {props.supersedes.map((r) => (
              <li>
                Supersedes <a href={decisionPath(r.id)}>{r.title}</a>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      <Section id="history-title" title="History">
        <HistoryTimeline entries={props.history} people={props.people} />
      </Section>
    </>
  );
}

/** The posts that shaped the record, how each did, and whether its author was told ("you said, we did"). */
function InformedByList({ inputs }: { inputs: InformedBy[] }) {
  return (
    <ul class="link-list informed-by">
      {inputs.map((input) => {
        const label = input.authorName ? `Reply from ${input.authorName}` : (input.url ?? input.uri);
        return (
          <li>
            <p>
              <RemoteLink href={input.url} or={input.uri}>
                {label}
              </RemoteLink>
            </p>
            <p>How it informed the record: {input.note}</p>
            {input.acknowledgementId ? (
              <p class="meta">
                We told them how their input was used: <a href={notePath(input.acknowledgementId)}>our reply to them</a>
              </p>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** The replies, and a way to add one; replying stays possible after the consultation, but is only invited while it runs. */
function Replies(props: {
  ctx: PageContext;
  decision: Decision;
  thread: ThreadEntry[];
  reply?: { body: string; errors: FieldErrors };
  mayModerate: boolean;
  mayReply: boolean;
  policy: ReplyPolicy;
  moderationProblem?: ModerationProblem;
}) {
  const { ctx, decision } = props;
  const path = decisionPath(decision.post.id);
  return (
    <>
      <p class="report-link">
        <a href={reportLink(path)}>Report this record</a>
      </p>
      <section aria-labelledby="replies-title">
        <h2 id="replies-title">Replies</h2>
        {props.thread.length === 0 ? (
          <p class="secondary">No replies yet.</p>
        ) : (
          <Thread
            entries={props.thread}
            moderation={
              props.mayModerate
                ? { base: decisionFormPath(decision.post.id, "replies"), csrfToken: ctx.csrfToken, problem: props.moderationProblem }
                : undefined
            }
          />
        )}
        <Replying
          ctx={ctx}
          action={decisionFormPath(decision.post.id, "replies")}
          path={path}
          policy={props.policy}
          mayReply={props.mayReply}
          reply={props.reply}
        />
      </section>
    </>
  );
}
