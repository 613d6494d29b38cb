import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Decision, DecisionOption } from "../../../domain/decisions.ts";
import { DomainError } from "../../../domain/errors.ts";
import type { CitableReply, DecisionText } from "../../../services/decisions.ts";
import type { FieldErrors } from "../../pages/components.tsx";
import { decidersText, FORM_ID, type DecisionPartValues } from "../../pages/decision-form-parts.tsx";
import { MAX_OPTION_SLOTS, optionDescription, optionTitle, type DecisionTextValues } from "../../pages/decision-forms.tsx";
import {
  informedByInput,
  informedByValues,
  otherNote,
  otherUrl,
  replyNote,
  type InformedByValues,
} from "../../pages/decision-informed-by.tsx";
import { bodyText, bodyTexts, formProblem, type FormBody } from "../forms.ts";
import { parseMoment } from "../../../domain/time-zone.ts";

/** The forms of decision records as read from what a browser sent, and as filled in from a stored record. */

/** Numbered slots, read from 1 until the form has no more (a browser sends every text field, filled or not). */
const slots = <T>(body: FormBody, firstField: (slot: number) => string, max: number, read: (slot: number) => T): T[] => {
  const found: T[] = [];
  for (let slot = 1; slot <= max && firstField(slot) in body; slot++) found.push(read(slot));
  return found;
};

/** The most other-post slots read: as many as a record may cite, and the free ones. */
const MAX_OTHER_SLOTS = 60;

/**
 * A closing time as typed, in the instance's time zone: day first
 * ("05/12/2026 17:00") or a datetime-local value ("2026-12-05T17:00").
 * Empty is null; anything that is not a real time is an invalid date, which
 * the service refuses.
 */
export function zonedTime(value: string, zone: string): Date | null {
  if (!value) return null;
  return parseMoment(value, zone) ?? new Date(Number.NaN);
}
export const MALFORMED_TIME = "enter the day, month, year and time, like 05/12/2026 17:00";

export function readRecordText(body: FormBody) {
  return {
    title: bodyText(body, "title"),
    question: bodyText(body, "question"),
    context: bodyText(body, "context"),
    tags: bodyText(body, "tags"),
    options: slots<DecisionOption>(body, optionTitle, MAX_OPTION_SLOTS, (slot) => ({
      title: bodyText(body, optionTitle(slot)),
      description: bodyText(body, optionDescription(slot)),
    })),
  };
}

export function readDecisionPart(body: FormBody): DecisionPartValues {
  return {
    decision: bodyText(body, "decision"),
    rationale: bodyText(body, "rationale"),
    consequences: bodyText(body, "consequences"),
    deciders: bodyText(body, "deciders"),
  };
}

export function readInformedBy(body: FormBody, replies: CitableReply[]): InformedByValues {
  const cited = bodyTexts(body, "cite");
  const uris = [...new Set([...replies.map((r) => r.uri), ...cited])];
  return {
    cited,
    notes: Object.fromEntries(uris.map((uri) => [uri, bodyText(body, replyNote(uri))])),
    others: slots(body, otherUrl, MAX_OTHER_SLOTS, (slot) => ({
      uri: bodyText(body, otherUrl(slot)).trim(),
      note: bodyText(body, otherNote(slot)),
    })).filter((post) => post.uri || post.note.trim()),
  };
}

/** The form's values for a stored record. */
export function recordValues(decision: Decision, replies: CitableReply[]): DecisionTextValues {
  return {
    community: "",
    title: decision.post.title ?? "",
    question: decision.question,
    context: decision.context,
    tags: decision.post.tags.join(", "),
    options: decision.options,
    part: {
      decision: decision.decision,
      rationale: decision.rationale,
      consequences: decision.consequences,
      deciders: decidersText(decision.deciders),
    },
    informedBy: informedByValues(decision.informedBy, replies),
    reason: "",
    version: String(decision.post.version),
  };
}

export const EMPTY_TEXT: DecisionTextValues = {
  community: "",
  title: "",
  question: "",
  context: "",
  tags: "",
  options: [],
  part: { decision: "", rationale: "", consequences: "", deciders: "" },
  informedBy: { cited: [], notes: {}, others: [] },
  reason: "",
  version: "",
};

/** The edit form shows the decision's part once decided, or once any of it is filled in (a draft of the decision). */
export const editsDecision = (d: Decision) =>
  d.status === "decided" ||
  [d.decision, d.rationale, d.consequences].some((text) => text !== "") ||
  d.deciders.length > 0 ||
  d.informedBy.length > 0;

/** What the service is given: the record's text, and the decision's part only where the form showed it. */
export function toText(values: DecisionTextValues, withDecision: boolean): DecisionText {
  const text: DecisionText = {
    title: values.title,
    question: values.question,
    context: values.context,
    tags: values.tags,
    options: values.options,
  };
  if (!withDecision) return text;
  return { ...text, ...values.part, informedBy: informedByInput(values.informedBy) };
}

/**
 * The problems of a refused change, for its form: those of fields, and one
 * of no field in particular ("Nothing has changed") for the form as a whole.
 */
export function problems(error: unknown): { status: ContentfulStatusCode; errors: FieldErrors } {
  if (error instanceof DomainError && error.code === "invalid" && Object.keys(error.fields).length === 0) {
    return { status: 400, errors: { [FORM_ID]: error.message } };
  }
  return formProblem(error);
}
