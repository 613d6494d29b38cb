import { Hono } from "hono";
import { MOVES, type DecisionMove } from "../../../domain/decisions.ts";
import { decisionPath } from "../../../domain/urls.ts";
import type { WebDeps } from "../../deps.ts";
import type { WebEnv } from "../../env.ts";
import type { Pages } from "../../people.ts";
import { askedFor, signInFirst } from "../sign-in-first.ts";
import { recordChanges } from "./changing.tsx";
import { recordDocument } from "./document.ts";
import { editHandlers } from "./edit.tsx";
import { instanceDecisionFeed } from "./feed.ts";
import { moveHandlers } from "./moves.tsx";
import { outcomeHandlers } from "./outcomes.tsx";
import { proposeHandlers } from "./propose.tsx";
import { recordPages } from "./record.tsx";
import { registerPages } from "./register.tsx";

/** A record's id in a path; the pattern keeps `/decisions/new` and `/decisions/feed.atom` for their own routes. */
const RECORD = "/:id{[0-9a-f-]{36}}";

/**
 * Decision records (`/decisions`): the instance's register and its feed,
 * proposing a record, each record's page (and, for servers, its document),
 * replying to it (and hiding and restoring replies), the outcomes of its
 * replies, editing it and moving it between states. A community's
 * register and feed are the community's (actors/).
 */
export function decisionRoutes(deps: WebDeps, { render, forPeople, cached }: Pages) {
  const app = new Hono<WebEnv>();
  const register = registerPages(deps, render);
  const record = recordPages(deps, render);
  const propose = proposeHandlers(deps, render);
  const changes = recordChanges(deps, render);
  const edit = editHandlers(deps, render, changes);
  const moves = moveHandlers(deps, render, changes);
  const outcomes = outcomeHandlers(deps, render);

  // For feed readers and servers: no session, no cookie.
  app.get("/feed.atom", instanceDecisionFeed(deps));
  app.get(RECORD, recordDocument(deps));

  // For people.
  app.use("/", cached);
  app.use(RECORD, cached);
  app.use("*", forPeople);
  app.use("/new", signInFirst(askedFor("/decisions/new")));
  for (const form of ["edit", "draft", "draft/delete", "outcomes", ...Object.keys(MOVES)])
    app.use(
      `${RECORD}/${form}`,
      signInFirst((c) => c.req.path),
    );
  // The reply form lives on the record's page; after signing in, that is where to come back to.
  for (const form of ["replies", "replies/hide", "replies/restore"])
    app.use(
      `${RECORD}/${form}`,
      signInFirst((c) => decisionPath(c.req.param("id")!)),
    );

  app.get("/", register.instance);
  app.get("/new", propose.form);
  app.post("/new", propose.propose);
  app.get(RECORD, record.page);
  app.post(`${RECORD}/replies`, record.reply);
  app.post(`${RECORD}/replies/hide`, record.hideReply);
  app.post(`${RECORD}/replies/restore`, record.restoreReply);
  app.get(`${RECORD}/outcomes`, outcomes.page);
  app.post(`${RECORD}/outcomes`, outcomes.save);
  app.get(`${RECORD}/draft`, propose.draftForm);
  app.post(`${RECORD}/draft`, propose.saveDraft);
  app.get(`${RECORD}/draft/delete`, propose.deleteForm);
  app.post(`${RECORD}/draft/delete`, propose.deleteDraft);
  app.get(`${RECORD}/edit`, edit.form);
  app.post(`${RECORD}/edit`, edit.save);
  for (const move of Object.keys(MOVES) as DecisionMove[]) {
    app.get(`${RECORD}/${move}`, moves[move].form);
    app.post(`${RECORD}/${move}`, moves[move].save);
  }

  return app;
}
