import type { Context } from "hono";
import { isFinal, MOVES, type Decision } from "../../../domain/decisions.ts";
import type { WebDeps } from "../../deps.ts";
import type { WebEnv } from "../../env.ts";
import {
  ClosePage,
  DecidePage,
  OpenPage,
  SupersedePage,
  WithdrawPage,
  type DecideValues,
  type OpenValues,
  type SupersedeValues,
} from "../../pages/decision-move-forms.tsx";
import { informedByInput } from "../../pages/decision-informed-by.tsx";
import type { Render } from "../../render.ts";
import { bodyText, formBody } from "../forms.ts";
import type { RecordChanging } from "./changing.tsx";
import { MALFORMED_TIME, readDecisionPart, readInformedBy, recordValues, zonedTime } from "./form-input.ts";

/**
 * Moving a record between states (`/decisions/{id}/open`, `/close`,
 * `/decide`, `/supersede`, `/withdraw`): a form for each, for those who may
 * make the move; what is posted is judged by the service.
 */
export function moveHandlers({ services }: WebDeps, render: Render, { recordIn, moveForm, submit }: RecordChanging) {
  const viewer = (c: Context<WebEnv>) => c.get("viewer")!;

  const open = {
    form: (c: Context<WebEnv>) =>
      moveForm(c, "open", (decision) =>
        render(c, (ctx) => <OpenPage ctx={ctx} decision={decision} values={{ closesAt: "", reason: "" }} />),
      ),
    async save(c: Context<WebEnv>) {
      const decision = await recordIn(c);
      const body = await formBody(c);
      const values: OpenValues = { closesAt: bodyText(body, "closesAt").trim(), reason: bodyText(body, "reason") };
      const closesAt = zonedTime(values.closesAt, c.get("timeZone"));
      const malformed = closesAt !== null && Number.isNaN(closesAt.getTime());
      return submit(
        c,
        decision,
        MOVES.open.action,
        () => services.decisions.open(decision.post.id, viewer(c), { closesAt, reason: values.reason }),
        (status, errors) => {
          // The service only knows the time is missing; what was typed was not one.
          const shown = malformed && errors.closesAt ? { ...errors, closesAt: MALFORMED_TIME } : errors;
          return render(c, (ctx) => <OpenPage ctx={ctx} decision={decision} values={values} errors={shown} />, status);
        },
      );
    },
  };

  const close = {
    form: (c: Context<WebEnv>) =>
      moveForm(c, "close", (decision) =>
        render(c, (ctx) => (
          <ClosePage ctx={ctx} decision={decision} early={services.decisions.closesEarly(decision)} values={{ reason: "" }} />
        )),
      ),
    async save(c: Context<WebEnv>) {
      const decision = await recordIn(c);
      const values = { reason: bodyText(await formBody(c), "reason") };
      return submit(
        c,
        decision,
        MOVES.close.action,
        () => services.decisions.close(decision.post.id, viewer(c), values),
        (status, errors) =>
          render(
            c,
            (ctx) => (
              <ClosePage ctx={ctx} decision={decision} early={services.decisions.closesEarly(decision)} values={values} errors={errors} />
            ),
            status,
          ),
      );
    },
  };

  const decide = {
    form: (c: Context<WebEnv>) =>
      moveForm(c, "decide", async (decision) => {
        const [replies, pending] = await Promise.all([
          services.decisions.citableReplies(decision.post.id),
          services.outcomes.pendingCount(decision),
        ]);
        const { part, informedBy } = recordValues(decision, replies);
        // Whoever records the decision most likely took part in it.
        const values: DecideValues = { part: { ...part, deciders: part.deciders || `@${viewer(c).handle}` }, informedBy, reason: "" };
        return render(c, (ctx) => <DecidePage ctx={ctx} decision={decision} replies={replies} values={values} pendingOutcomes={pending} />);
      }),
    async save(c: Context<WebEnv>) {
      const decision = await recordIn(c);
      const [replies, pending] = await Promise.all([
        services.decisions.citableReplies(decision.post.id),
        services.outcomes.pendingCount(decision),
      ]);
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
        () => services.decisions.decide(decision.post.id, viewer(c), input),
        (status, errors) =>
          render(
            c,
            (ctx) => (
              <DecidePage ctx={ctx} decision={decision} replies={replies} values={values} errors={errors} pendingOutcomes={pending} />
            ),
            status,
          ),
      );
    },
  };

  /** The records that may replace this one: the community's others still standing (the service refuses the rest). */
  async function replacements(decision: Decision): Promise<Decision[]> {
    const { items } = await services.decisions.register({ communityId: decision.post.communityId! }, 1, 100);
    return items.filter((d) => d.post.id !== decision.post.id && !isFinal(d.status));
  }

  const supersede = {
    form: (c: Context<WebEnv>) =>
      moveForm(c, "supersede", async (decision) => {
        const candidates = await replacements(decision);
        return render(c, (ctx) => (
          <SupersedePage ctx={ctx} decision={decision} candidates={candidates} values={{ record: "", address: "", reason: "" }} />
        ));
      }),
    async save(c: Context<WebEnv>) {
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
        () => services.decisions.supersede(decision.post.id, viewer(c), { by, reason: values.reason }),
        async (status, errors) => {
          const candidates = await replacements(decision);
          return render(
            c,
            (ctx) => <SupersedePage ctx={ctx} decision={decision} candidates={candidates} values={values} errors={errors} />,
            status,
          );
        },
      );
    },
  };

  const withdraw = {
    form: (c: Context<WebEnv>) =>
      moveForm(c, "withdraw", (decision) => render(c, (ctx) => <WithdrawPage ctx={ctx} decision={decision} values={{ reason: "" }} />)),
    async save(c: Context<WebEnv>) {
      const decision = await recordIn(c);
      const values = { reason: bodyText(await formBody(c), "reason") };
      return submit(
        c,
        decision,
        MOVES.withdraw.action,
        () => services.decisions.withdraw(decision.post.id, viewer(c), values),
        (status, errors) => render(c, (ctx) => <WithdrawPage ctx={ctx} decision={decision} values={values} errors={errors} />, status),
      );
    },
  };

  return { open, close, decide, supersede, withdraw };
}
