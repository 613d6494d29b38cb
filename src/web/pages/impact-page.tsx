import {
  daysBetween,
  daysText,
  OUTCOME_COLUMN_LABELS,
  OUTCOME_COLUMNS,
  percentText,
  quarterText,
  REPLY_SOURCE_LABELS,
  REPLY_SOURCES,
  type Consultation,
  type ImpactFigures,
} from "../../domain/impact.ts";
import type { Actor } from "../../domain/types.ts";
import { actorPath, decisionPath, impactFeedPath } from "../../domain/urls.ts";
import type { ImpactPage as ImpactData } from "../../services/impact.ts";
import type { PageContext } from "./context.ts";
import { DateText, RemoteLink, ScrollableTable } from "./components.tsx";
import { Layout } from "./layout.tsx";
import { OutcomeChart, Swatch } from "./outcome-chart.tsx";

/** Every community here, or one of them. */
export type ImpactScope = { kind: "instance" } | { kind: "community"; community: Actor };

const handleOf = (scope: ImpactScope) => (scope.kind === "community" ? scope.community.handle : undefined);

/** The quarter as the tables name it, with its months for those who do not read "Q3". */
function QuarterName({ figures }: { figures: ImpactFigures }) {
  if (figures.quarter === null) return <>All quarters</>;
  return (
    <>
      {figures.quarter} <span class="secondary">({quarterText(figures.quarter)})</span>
    </>
  );
}

/**
 * A public impact page: what a community's consultations (or every
 * community's here) received, and what became of it, quarter by quarter, as
 * a table, a chart with the same figures beside it, and the decisions with
 * the input that shaped them.
 */
export function ImpactPage({ ctx, scope, data }: { ctx: PageContext; scope: ImpactScope; data: ImpactData }) {
  const { report, communities } = data;
  const name = scope.kind === "community" ? scope.community.displayName : ctx.instanceName;
  const heading = `What consultations changed: ${name}`;
  const feed = { title: `Outcomes of replies to consultations – ${name}`, href: impactFeedPath(handleOf(scope)) };
  const rows = [...report.quarters, report.total];
  return (
    <Layout
      ctx={ctx}
      title={heading}
      feeds={[feed]}
      description={`What ${name}'s consultations received, and what became of it, quarter by quarter.`}
    >
      {scope.kind === "community" ? (
        <p class="secondary">
          <a href={actorPath(scope.community.handle)}>{scope.community.displayName}</a>
        </p>
      ) : null}
      <h1>{heading}</h1>
      <p class="lede">
        How many people answered{" "}
        {scope.kind === "community" ? "this community's consultations" : "the consultations of the communities here"}, where they wrote
        from, and what became of what they said: whether it informed a decision, and how soon a decision followed. How each figure is
        counted is explained at the end of the page.
      </p>

      {report.quarters.length === 0 ? (
        <p class="secondary" id="impact-none">
          No consultation has closed yet: there is nothing to count.
        </p>
      ) : (
        <>
          <section aria-labelledby="impact-replies-title">
            <h2 id="impact-replies-title">Consultations and replies</h2>
            <ScrollableTable label="Consultations and replies per quarter">
              <table class="impact-table" id="impact-replies">
                <caption>
                  Consultations held, replies received by where they came from, and how soon decisions followed, per quarter
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Quarter</th>
                    <th scope="col">Consultations</th>
                    <th scope="col">Replies received</th>
                    {REPLY_SOURCES.map((source) => (
                      <th scope="col">{REPLY_SOURCE_LABELS[source]}</th>
                    ))}
                    <th scope="col">Informed a decision</th>
                    <th scope="col">Share that informed a decision</th>
                    <th scope="col">Median days from closing to decision</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((figures) => (
                    <tr data-quarter={figures.quarter ?? "all"} class={figures.quarter === null ? "impact-total" : undefined}>
                      <th scope="row">
                        <QuarterName figures={figures} />
                      </th>
                      <td>{figures.consultations}</td>
                      <td>{figures.repliesTotal}</td>
                      {REPLY_SOURCES.map((source) => (
                        <td>{figures.replies[source]}</td>
                      ))}
                      <td>{figures.outcomes.informed}</td>
                      <td>{percentText(figures.shareInformed)}</td>
                      <td>{daysText(figures.medianDaysToDecision)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollableTable>
          </section>

          <section aria-labelledby="impact-outcomes-title">
            <h2 id="impact-outcomes-title">Outcomes per quarter</h2>
            <div class="impact-chart">
              <div class="impact-chart-figure">
                <OutcomeChart id="impact-chart" quarters={report.quarters} />
                <ul class="impact-legend" aria-label="Key to the chart">
                  {OUTCOME_COLUMNS.map((column) => (
                    <li>
                      <Swatch column={column} /> {OUTCOME_COLUMN_LABELS[column]}
                    </li>
                  ))}
                </ul>
              </div>
              <ScrollableTable label="Outcomes per quarter">
                <table class="impact-table" id="impact-outcomes">
                  <caption>What became of the replies each quarter: the figures the chart shows</caption>
                  <thead>
                    <tr>
                      <th scope="col">Quarter</th>
                      {OUTCOME_COLUMNS.map((column) => (
                        <th scope="col">{OUTCOME_COLUMN_LABELS[column]}</th>
                      ))}
                      <th scope="col">All replies</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((figures) => (
                      <tr data-quarter={figures.quarter ?? "all"} class={figures.quarter === null ? "impact-total" : undefined}>
                        <th scope="row">
                          <QuarterName figures={figures} />
                        </th>
                        {OUTCOME_COLUMNS.map((column) => (
                          <td>{figures.outcomes[column]}</td>
                        ))}
                        <td>{figures.repliesTotal}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollableTable>
            </div>
          </section>

          <section aria-labelledby="impact-decisions-title">
            <h2 id="impact-decisions-title">Decisions and the input that shaped them</h2>
            {report.total.decided.length === 0 ? (
              <p class="secondary">No consultation counted here has led to a decision yet.</p>
            ) : (
              [...report.quarters]
                .reverse()
                .filter((figures) => figures.decided.length > 0)
                .map((figures) => (
                  <section aria-labelledby={`decided-${figures.quarter}`} class="impact-quarter">
                    <h3 id={`decided-${figures.quarter}`}>
                      Consultations closed in {quarterText(figures.quarter!)} ({figures.quarter})
                    </h3>
                    <ul class="impact-decisions">
                      {figures.decided.map((consultation) => (
                        <DecidedRecord
                          consultation={consultation}
                          community={scope.kind === "instance" ? communities.get(consultation.communityId) : undefined}
                        />
                      ))}
                    </ul>
                  </section>
                ))
            )}
          </section>
        </>
      )}
      <HowCounted ctx={ctx} scope={scope} countedAt={data.countedAt} />
      <p>
        <a href={feed.href}>Atom feed of outcomes</a>
      </p>
    </Layout>
  );
}

/** What each figure counts, in plain words. */
function HowCounted({ ctx, scope, countedAt }: { ctx: PageContext; scope: ImpactScope; countedAt: Date }) {
  return (
    <section class="impact-how" aria-labelledby="impact-how-title">
      <h2 id="impact-how-title">How these figures are counted</h2>
      <ul>
        <li>
          A consultation counts in the quarter (in UTC) in which it closed, once it has closed: one still open is not counted yet. These are
          the published decision records {scope.kind === "community" ? "of this community" : "of every community here"} that were open for
          comment.
        </li>
        <li>
          Replies received are the replies that answer the record itself, as its page lists them: notes written on {ctx.instanceName} ("this
          instance"), and replies from other Connexo instances and from other servers of the fediverse. Answers to those replies are
          conversation, and are not counted. Replies a moderator hid, replies held and not approved, and replies from blocked accounts and
          domains are not counted either.
        </li>
        <li>
          Each reply's outcome is what the community told its author: acknowledged, informed the decision, referred elsewhere, or not used.
          A reply not yet given one, or whose outcome was taken back, has "no outcome yet".
        </li>
        <li>The share that informed a decision is the replies that informed it, out of all the replies received.</li>
        <li>
          Days from closing to decision are counted from the time the consultation closed to the time the decision was recorded; the median
          is the middle value over the quarter's decided records (the mean of the two middle ones when their number is even), to one decimal
          place. A dash means there is nothing to count.
        </li>
      </ul>
      <p class="secondary">
        Counted on <DateText date={countedAt} />.
      </p>
    </section>
  );
}

/** A decided record: its title, when it was decided, and the input it cites as having shaped it. */
function DecidedRecord({ consultation, community }: { consultation: Consultation; community: Actor | undefined }) {
  const days = daysBetween(consultation.closedAt, consultation.decidedAt!);
  return (
    <li>
      <p class="impact-record">
        <a href={decisionPath(consultation.recordId)}>{consultation.title}</a>
        {community ? <span class="secondary"> in {community.displayName}</span> : null}
      </p>
      <p class="secondary">
        Decided <DateText date={consultation.decidedAt!} />, {daysText(Math.round(days * 10) / 10)} days after the consultation closed.
      </p>
      {consultation.informedBy.length === 0 ? (
        <p class="secondary">No input is cited as having shaped it.</p>
      ) : (
        <ul class="impact-input" aria-label={`Input that shaped “${consultation.title}”`}>
          {consultation.informedBy.map((input) => (
            <li>
              <RemoteLink href={input.url} or={input.uri}>
                {input.authorName ?? "A post"}
              </RemoteLink>
              {input.note ? `: ${input.note}` : null}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
