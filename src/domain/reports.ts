/** What a report is about. */
export type ReportSubjectKind = "post" | "reply" | "account";
export const REPORT_SUBJECT_KINDS = ["post", "reply", "account"] as const satisfies readonly ReportSubjectKind[];

/** Why something is reported. */
export type ReportCategory = "spam" | "abuse" | "illegal" | "other";
export const REPORT_CATEGORIES = ["spam", "abuse", "illegal", "other"] as const satisfies readonly ReportCategory[];

export type ReportState = "open" | "resolved" | "dismissed";
export const REPORT_STATES = ["open", "resolved", "dismissed"] as const satisfies readonly ReportState[];

/** What a moderator does about a report; `block-in-community` blocks the account from the community the content is in. */
export type ReportAction = "hide" | "block-account" | "block-domain" | "block-in-community" | "dismiss";
export const REPORT_ACTIONS: readonly ReportAction[] = ["hide", "block-account", "block-domain", "block-in-community", "dismiss"];

/** The actions only the instance's administrators may take: they reach beyond one community. */
export const ADMIN_REPORT_ACTIONS: readonly ReportAction[] = ["block-account", "block-domain"];

export const isReportCategory = (value: string): value is ReportCategory => (REPORT_CATEGORIES as readonly string[]).includes(value);
export const isReportAction = (value: string): value is ReportAction => (REPORT_ACTIONS as readonly string[]).includes(value);

/** The longest note a report may carry. */
export const MAX_REPORT_NOTE = 1000;
/** The most of the reported content a report keeps. */
export const MAX_REPORT_SNAPSHOT = 20_000;

/** A report of a post, reply or account, from a person here, a server elsewhere, or a visitor. */
export interface Report {
  id: string;
  createdAt: Date;
  /** The person here who reported it; null for a visitor or a server elsewhere. */
  reporterId: number | null;
  /** The actor elsewhere whose server sent the report (as a `Flag`). */
  reporterUri: string | null;
  subjectKind: ReportSubjectKind;
  subjectUri: string;
  /** The community here the content is in, if any. */
  communityId: number | null;
  /** The account elsewhere the content is by (or is), if it is not ours. */
  remoteAuthorUri: string | null;
  /** The reported content as it was when reported (HTML, sanitised as it was shown). */
  snapshot: string;
  category: ReportCategory;
  note: string;
  state: ReportState;
  resolvedBy: number | null;
  resolvedAt: Date | null;
  /** What was done: the action taken. */
  resolution: ReportAction | null;
  resolutionNote: string;
  forwardedAt: Date | null;
}

export type NewReport = Omit<Report, "state" | "resolvedBy" | "resolvedAt" | "resolution" | "resolutionNote" | "forwardedAt">;

/** Keeps at most `max` characters of a text. */
export const bounded = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);
