import type { InformedBy } from "./decisions.ts";
import { OUTCOME_KINDS, OUTCOME_LABELS, quarterOf, type OutcomeKind, type Referral } from "./outcomes.ts";

/**
 * The figures of a public impact page: what consultations received and what
 * became of it, quarter by quarter. Pure arithmetic on records already read,
 * so that the page's words and its tests share one definition.
 */

/** Where a reply came from: written here, from another Connexo instance, or from any other server. */
export const REPLY_SOURCES = ["here", "connexo", "elsewhere"] as const;
export type ReplySource = (typeof REPLY_SOURCES)[number];

export const REPLY_SOURCE_LABELS: Record<ReplySource, string> = {
  here: "This instance",
  connexo: "Other Connexo instances",
  elsewhere: "Other servers",
};

/** An outcome as the figures count it: one of the kinds, or none yet (never set, or taken back). */
export const OUTCOME_COLUMNS = [...OUTCOME_KINDS, "none"] as const;
export type OutcomeColumn = (typeof OUTCOME_COLUMNS)[number];

export const OUTCOME_COLUMN_LABELS: Record<OutcomeColumn, string> = { ...OUTCOME_LABELS, none: "No outcome yet" };

const DAY_MS = 86_400_000;

/** A published record whose consultation has closed, as the impact figures read it. */
export interface ImpactRecord {
  id: string;
  title: string;
  communityId: number;
  closedAt: Date;
  decidedAt: Date | null;
  informedBy: InformedBy[];
}

/** A consultation that has closed: its record, and every reply it received with that reply's outcome. */
export interface Consultation {
  recordId: string;
  title: string;
  communityId: number;
  closedAt: Date;
  decidedAt: Date | null;
  informedBy: InformedBy[];
  replies: { source: ReplySource; outcome: OutcomeKind | null }[];
}

/** The figures of one quarter (or of all of them together). */
export interface ImpactFigures {
  /** "2026-Q3", or null for the figures of every quarter together. */
  quarter: string | null;
  consultations: number;
  replies: Record<ReplySource, number>;
  repliesTotal: number;
  outcomes: Record<OutcomeColumn, number>;
  /** Replies that informed a decision, out of all replies received (0 to 1); null when there were none. */
  shareInformed: number | null;
  /** Days from a consultation closing to its decision, the median over decided records, to one decimal; null when none was decided. */
  medianDaysToDecision: number | null;
  /** The quarter's decided records, earliest decision first. */
  decided: Consultation[];
}

/** The whole report: each quarter from the first to the last (quarters between with nothing are shown as such), and the totals. */
export interface ImpactReport {
  quarters: ImpactFigures[];
  total: ImpactFigures;
}

/** The quarter after "2026-Q4": "2027-Q1". */
export function nextQuarter(quarter: string): string {
  const [year, q] = quarter.split("-Q").map(Number) as [number, number];
  return q === 4 ? `${year + 1}-Q1` : `${year}-Q${q + 1}`;
}

/** The median of some numbers (the mean of the two middle ones when their count is even); null for none. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Days between two times, as a decimal. */
export const daysBetween = (from: Date, to: Date): number => (to.getTime() - from.getTime()) / DAY_MS;

/** Rounds to one decimal place, halves away from zero. */
const oneDecimal = (value: number) => (Math.sign(value) * Math.round(Math.abs(value) * 10)) / 10;

const zeroes = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** The figures of some consultations, counted together. */
export function figuresOf(quarter: string | null, consultations: Consultation[]): ImpactFigures {
  const replies = zeroes(REPLY_SOURCES);
  const outcomes = zeroes(OUTCOME_COLUMNS);
  for (const consultation of consultations) {
    for (const reply of consultation.replies) {
      replies[reply.source]++;
      outcomes[reply.outcome ?? "none"]++;
    }
  }
  const repliesTotal = replies.here + replies.connexo + replies.elsewhere;
  const decided = consultations
    .filter((c) => c.decidedAt !== null)
    .sort((a, b) => a.decidedAt!.getTime() - b.decidedAt!.getTime() || a.recordId.localeCompare(b.recordId));
  const days = median(decided.map((c) => daysBetween(c.closedAt, c.decidedAt!)));
  return {
    quarter,
    consultations: consultations.length,
    replies,
    repliesTotal,
    outcomes,
    shareInformed: repliesTotal === 0 ? null : outcomes.informed / repliesTotal,
    medianDaysToDecision: days === null ? null : oneDecimal(days),
    decided,
  };
}

/** Each consultation counted in the quarter (UTC) in which it closed. */
export function impactReport(consultations: Consultation[]): ImpactReport {
  const byQuarter = new Map<string, Consultation[]>();
  for (const consultation of consultations) {
    const quarter = quarterOf(consultation.closedAt);
    const list = byQuarter.get(quarter);
    if (list) list.push(consultation);
    else byQuarter.set(quarter, [consultation]);
  }
  const known = [...byQuarter.keys()].sort();
  const quarters: ImpactFigures[] = [];
  // Quarters in between with no consultation are shown with none, so that the chart's time runs evenly.
  for (let quarter = known[0]; quarter !== undefined && quarter <= known.at(-1)!; quarter = nextQuarter(quarter)) {
    quarters.push(figuresOf(quarter, byQuarter.get(quarter) ?? []));
  }
  return { quarters, total: figuresOf(null, consultations) };
}

/** "40%": a share as a whole percentage; "—" when there is nothing to share. */
export const percentText = (share: number | null): string => (share === null ? "—" : `${Math.round(share * 100)}%`);

/** "3.5": days to one decimal place; "—" when there are none. */
export const daysText = (days: number | null): string => (days === null ? "—" : days.toFixed(1));

/** "2026-Q3" as people read it: "July to September 2026". */
export function quarterText(quarter: string): string {
  const [year, q] = quarter.split("-Q") as [string, string];
  const months = ["January to March", "April to June", "July to September", "October to December"];
  return `${months[Number(q) - 1]} ${year}`;
}

/** An outcome as the feed of outcomes tells it: the record, the reply, and who wrote it. */
export interface PublishedOutcome {
  recordId: string;
  recordTitle: string;
  replyUri: string;
  kind: OutcomeKind;
  note: string;
  referral: Referral | null;
  setAt: Date;
  /** The record's community, which gave the outcome. */
  community: { handle: string; name: string };
  /** The reply's author as shown: a name, or a handle; null when not known. */
  replyAuthor: string | null;
}
