import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isFinal, mayMove, MOVES, type Decision, type DecisionMove, type DecisionOption } from "../../domain/decisions.ts";
import { DomainError, notFound } from "../../domain/errors.ts";
import { decisionPath, type CitableReply, type DecisionText } from "../../services/decisions.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import type { FieldErrors } from "../pages/components.tsx";
import { decidersText, FORM_ID, type DecisionPartValues } from "../pages/decision-form-parts.tsx";
import {
  EditPage,
  MAX_OPTION_SLOTS,
  NoDecisionCommunityPage,
  optionDescription,
  optionTitle,
  ProposePage,
  type DecisionTextValues,
} from "../pages/decision-forms.tsx";
import {
  informedByInput,
  informedByValues,
  otherNote,
  otherUrl,
  replyNote,
  type InformedByValues,
} from "../pages/decision-informed-by.tsx";
import {
  ClosePage,
  DecidePage,
  MoveRefusedPage,
  OpenPage,
  SupersedePage,
  whyNot,
  WithdrawPage,
  type DecideValues,
  type OpenValues,
  type SupersedeValues,
} from "../pages/decision-move-forms.tsx";
import type { Render } from "../render.ts";
import { bodyText, bodyTexts, formBody, formProblem, type FormBody } from "./forms.ts";
import { DECISION_ID } from "./decisions.tsx";
import { publishableCommunities } from "./page-data.ts";
import { askedFor, signInFirst } from "./sign-in-first.ts";

/** Numbered slots, read from 1 until the form has no more (a browser sends every text field, filled or not). */
const slots = <T,>(body: FormBody, firstField: (slot: number) => string, max: number, read: (slot: number) => T): T[] => {
  const found: T[] = [];
  for (let slot = 1; slot <= max && firstField(slot) in body; slot++) found.push(read(slot));
  return found;
};

/** The most other-post slots read: as many as a record may cite, and the free ones. */
const MAX_OTHER_SLOTS = 60;

/**
 * A datetime-local field's value ("2026-12-05T17:00", seconds optional),
 * read as UTC as the form says. Empty is null; anything that is not a real
 * time is an invalid date, which the service refuses.
 */
function utcTime(value: string): Date | null {
  if (!value) return null;
  const date = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? new Date(`${value}Z`) : new Date(Number.NaN);
  // 31 February would roll over into March: only a time that reads back the same is real.
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) ? date : new Date(Number.NaN);
}
const MALFORMED_TIME = "enter a date and time like 2026-12-05T17:00";

function readRecordText(body: FormBody) {
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

function readDecisionPart(body: FormBody): DecisionPartValues {
  return {
    decision: bodyText(body, "decision"),
    rationale: bodyText(body, "rationale"),
    consequences: bodyText(body, "consequences"),
    deciders: bodyText(body, "deciders"),
  };
}

function readInformedBy(body: FormBody, replies: CitableReply[]): InformedByValues {
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
function recordValues(decision: Decision, replies: CitableReply[]): DecisionTextValues {
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

const EMPTY_TEXT: DecisionTextValues = {
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
const editsDecision = (d: Decision) =>
  d.status === "decided" ||
  [d.decision, d.rationale, d.consequences].some((text) => text !== "") ||
  d.deciders.length > 0 ||
  d.informedBy.length > 0;

/** What the service is given: the record's text, and the decision's part only where the form showed it. */
function toText(values: DecisionTextValues, withDecision: boolean): DecisionText {
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
function problems(error: unknown): { status: ContentfulStatusCode; errors: FieldErrors } {
  if (error instanceof DomainError && error.code === "invalid" && Object.keys(error.fields).length === 0) {
    return { status: 400, errors: { [FORM_ID]: error.message } };
  }
  return formProblem(error);
}

/** A record being edited, with what its form needs besides. */
interface Editable {
  decision: Decision;
  replies: CitableReply[];
  communityName: string;
}

type ShowForm = (status: ContentfulStatusCode, errors: FieldErrors) => Response | Promise<Response>;

/** Proposing, editing and amending decision records, and moving them between states. */
export function decisionFormRoutes({ services }: WebDeps, render: Render) {
  const app = new Hono<WebEnv>();
  app.use("/decisions/new", signInFirst(askedFor("/decisions/new")));
  for (const page of ["edit", ...Object.keys(MOVES)])
    app.use(
      `/decisions/${DECISION_ID}/${page}`,
      signInFirst((c) => c.req.path),
    );

  /** The record named in the path. */
  async function recordIn(c: Context<WebEnv>): Promise<Decision> {
    const decision = await services.decisions.get(c.req.param("id") ?? "");
    if (!decision || decision.post.state !== "published") throw notFound("There is no such decision record.");
    return decision;
  }

  /** The record, for someone who may change it: only they get its forms (the service says who may). */
  const changeableRecord = (c: Context<WebEnv>): Promise<Decision> =>
    services.decisions.requireChangeable(c.req.param("id") ?? "", c.get("viewer")!);

  const refused = (c: Context<WebEnv>, decision: Decision, message: string) =>
    render(c, (ctx) => <MoveRefusedPage ctx={ctx} decision={decision} message={message} />, 409);

  /** A move's form, or (when the record's state does not allow the move) why not. */
  async function moveForm(c: Context<WebEnv>, move: DecisionMove, show: (decision: Decision) => Response | Promise<Response>) {
    const decision = await changeableRecord(c);
    return mayMove(decision.status, move) ? show(decision) : refused(c, decision, whyNot(decision.status, move));
  }

  /**
   * Makes a change through `save`, then goes back to the record saying what
   * was done. A refusal shows the form again with its problems, or, when the
   * record's state does not allow it, a page saying why.
   */
  async function submit(c: Context<WebEnv>, decision: Decision, done: string, save: () => Promise<unknown>, showForm: ShowForm) {
    try {
      await save();
    } catch (error) {
      if (error instanceof DomainError && error.code === "conflict" && Object.keys(error.fields).length === 0) {
        // Its state may have moved on since the form was shown: say where it is now.
        return refused(c, (await services.decisions.get(decision.post.id)) ?? decision, error.message);
      }
      const { status, errors } = problems(error);
      return showForm(status, errors);
    }
    return c.redirect(`${decisionPath(decision.post.id)}?done=${done}`, 303);
  }

  // Proposing.

  app.get("/decisions/new", async (c) => {
    const communities = await publishableCommunities(services, c.get("viewer")!);
    if (communities.length === 0) return render(c, (ctx) => <NoDecisionCommunityPage ctx={ctx} />, 403);
    const community = (communities.find((x) => x.handle === c.req.query("community")) ?? communities[0]!).handle;
    return render(c, (ctx) => <ProposePage ctx={ctx} communities={communities} values={{ ...EMPTY_TEXT, community }} />);
  });

  app.post("/decisions/new", async (c) => {
    const viewer = c.get("viewer")!;
    const communities = await publishableCommunities(services, viewer);
    if (communities.length === 0) return render(c, (ctx) => <NoDecisionCommunityPage ctx={ctx} />, 403);
    const body = await formBody(c);
    const values: DecisionTextValues = { ...EMPTY_TEXT, ...readRecordText(body), community: bodyText(body, "community") };
    const show = (status: ContentfulStatusCode, errors: FieldErrors, preview = false) =>
      render(c, (ctx) => <ProposePage ctx={ctx} communities={communities} values={values} errors={errors} preview={preview} />, status);
    if (bodyText(body, "action") !== "propose") return show(200, {}, true);
    if (!values.community) return show(400, { community: "choose a community" });
    try {
      const decision = await services.decisions.propose(values.community, viewer, toText(values, false));
      return c.redirect(`${decisionPath(decision.post.id)}?done=proposed`, 303);
    } catch (error) {
      const { status, errors } = problems(error);
      return show(status, errors);
    }
  });

  // Editing, and amending once decided.

  /** The record to edit, or why it cannot be: final records stay as they are. */
  async function editable(c: Context<WebEnv>): Promise<Editable | Response> {
    const decision = await changeableRecord(c);
    if (isFinal(decision.status)) return refused(c, decision, whyNot(decision.status));
    const [replies, community] = await Promise.all([
      services.decisions.citableReplies(decision.post.id),
      services.store.actors.findById(decision.post.communityId!),
    ]);
    return { decision, replies, communityName: community?.displayName ?? "" };
  }

  /** The edit form for these values, to show as it is, with problems, or with a preview. */
  const editPage =
    (c: Context<WebEnv>, found: Editable, values: DecisionTextValues) =>
    (status: ContentfulStatusCode, errors: FieldErrors, preview = false) =>
      render(
        c,
        (ctx) => (
          <EditPage
            ctx={ctx}
            decision={found.decision}
            communityName={found.communityName}
            withDecision={editsDecision(found.decision)}
            replies={found.replies}
            values={values}
            errors={errors}
            preview={preview}
          />
        ),
        status,
      );

  app.get(`/decisions/${DECISION_ID}/edit`, async (c) => {
    const found = await editable(c);
    if (found instanceof Response) return found;
    return editPage(c, found, recordValues(found.decision, found.replies))(200, {});
  });

  app.post(`/decisions/${DECISION_ID}/edit`, async (c) => {
    const found = await editable(c);
    if (found instanceof Response) return found;
    const { decision, replies } = found;
    const body = await formBody(c);
    const withDecision = editsDecision(decision);
    const values: DecisionTextValues = {
      ...recordValues(decision, replies),
      ...readRecordText(body),
      ...(withDecision ? { part: readDecisionPart(body), informedBy: readInformedBy(body, replies) } : {}),
      reason: bodyText(body, "reason"),
      version: bodyText(body, "version") || String(decision.post.version),
    };
    const show = editPage(c, found, values);
    if (bodyText(body, "action") !== "save") return show(200, {}, true);
    const done = decision.status === "decided" ? "amended" : "edited";
    return submit(
      c,
      decision,
      done,
      () =>
        services.decisions.edit(decision.post.id, c.get("viewer")!, toText(values, withDecision), values.reason, Number(values.version)),
      show,
    );
  });

  // Moves. Their forms are for those who may make them; what is posted is judged by the service.

  app.get(`/decisions/${DECISION_ID}/open`, (c) =>
    moveForm(c, "open", (decision) => render(c, (ctx) => <OpenPage ctx={ctx} decision={decision} values={{ closesAt: "", reason: "" }} />)),
  );

  app.post(`/decisions/${DECISION_ID}/open`, async (c) => {
    const decision = await recordIn(c);
    const body = await formBody(c);
    const values: OpenValues = { closesAt: bodyText(body, "closesAt").trim(), reason: bodyText(body, "reason") };
    const closesAt = utcTime(values.closesAt);
    const malformed = closesAt !== null && Number.isNaN(closesAt.getTime());
    return submit(
      c,
      decision,
      MOVES.open.action,
      () => services.decisions.open(decision.post.id, c.get("viewer")!, { closesAt, reason: values.reason }),
      (status, errors) => {
        // The service only knows the time is missing; what was typed was not one.
        const shown = malformed && errors.closesAt ? { ...errors, closesAt: MALFORMED_TIME } : errors;
        return render(c, (ctx) => <OpenPage ctx={ctx} decision={decision} values={values} errors={shown} />, status);
      },
    );
  });

  app.get(`/decisions/${DECISION_ID}/close`, (c) =>
    moveForm(c, "close", (decision) => render(c, (ctx) => <ClosePage ctx={ctx} decision={decision} values={{ reason: "" }} />)),
  );

  app.post(`/decisions/${DECISION_ID}/close`, async (c) => {
    const decision = await recordIn(c);
    const values = { reason: bodyText(await formBody(c), "reason") };
    return submit(
      c,
      decision,
      MOVES.close.action,
      () => services.decisions.close(decision.post.id, c.get("viewer")!, values),
      (status, errors) => render(c, (ctx) => <ClosePage ctx={ctx} decision={decision} values={values} errors={errors} />, status),
    );
  });

  app.get(`/decisions/${DECISION_ID}/decide`, (c) =>
    moveForm(c, "decide", async (decision) => {
      const replies = await services.decisions.citableReplies(decision.post.id);
      const { part, informedBy } = recordValues(decision, replies);
      // Whoever records the decision most likely took part in it.
      const values: DecideValues = { part: { ...part, deciders: part.deciders || `@${c.get("viewer")!.handle}` }, informedBy, reason: "" };
      return render(c, (ctx) => <DecidePage ctx={ctx} decision={decision} replies={replies} values={values} />);
    }),
  );

  app.post(`/decisions/${DECISION_ID}/decide`, async (c) => {
    const decision = await recordIn(c);
    const replies = await services.decisions.citableReplies(decision.post.id);
    const body = await formBody(c);
    const values: DecideValues = {
      part: readDecisionPart(body),
      informedBy: readInformedBy(body, replies),
      reason: bodyText(body, "reason"),
    };
    const input = { ...values.part, informedBy: informedByInput(values.informedBy), reason: values.reason };
    return submit(
      c,
      decision,
      MOVES.decide.action,
      () => services.decisions.decide(decision.post.id, c.get("viewer")!, input),
      (status, errors) =>
        render(c, (ctx) => <DecidePage ctx={ctx} decision={decision} replies={replies} values={values} errors={errors} />, status),
    );
  });

  /** The records that may replace this one: the community's others still standing (the service refuses the rest). */
  async function replacements(decision: Decision): Promise<Decision[]> {
    const { items } = await services.decisions.register({ communityId: decision.post.communityId! }, 1, 100);
    return items.filter((d) => d.post.id !== decision.post.id && !isFinal(d.status));
  }

  app.get(`/decisions/${DECISION_ID}/supersede`, (c) =>
    moveForm(c, "supersede", async (decision) => {
      const candidates = await replacements(decision);
      return render(c, (ctx) => (
        <SupersedePage ctx={ctx} decision={decision} candidates={candidates} values={{ record: "", address: "", reason: "" }} />
      ));
    }),
  );

  app.post(`/decisions/${DECISION_ID}/supersede`, async (c) => {
    const decision = await recordIn(c);
    const body = await formBody(c);
    const values: SupersedeValues = {
      record: bodyText(body, "by-record"),
      address: bodyText(body, "by-address").trim(),
      reason: bodyText(body, "reason"),
    };
    // A pasted address is the more deliberate choice.
    const by = values.address || values.record;
    return submit(
      c,
      decision,
      MOVES.supersede.action,
      () => services.decisions.supersede(decision.post.id, c.get("viewer")!, { by, reason: values.reason }),
      async (status, errors) => {
        const candidates = await replacements(decision);
        return render(
          c,
          (ctx) => <SupersedePage ctx={ctx} decision={decision} candidates={candidates} values={values} errors={errors} />,
          status,
        );
      },
    );
  });

  app.get(`/decisions/${DECISION_ID}/withdraw`, (c) =>
    moveForm(c, "withdraw", (decision) => render(c, (ctx) => <WithdrawPage ctx={ctx} decision={decision} values={{ reason: "" }} />)),
  );

  app.post(`/decisions/${DECISION_ID}/withdraw`, async (c) => {
    const decision = await recordIn(c);
    const values = { reason: bodyText(await formBody(c), "reason") };
    return submit(
      c,
      decision,
      MOVES.withdraw.action,
      () => services.decisions.withdraw(decision.post.id, c.get("viewer")!, values),
      (status, errors) => render(c, (ctx) => <WithdrawPage ctx={ctx} decision={decision} values={values} errors={errors} />, status),
    );
  });

  return app;
}
