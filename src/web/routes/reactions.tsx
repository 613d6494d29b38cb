import { Hono } from "hono";
import { invalid } from "../../domain/errors.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import type { Pages } from "../people.ts";
import { formBody, bodyText } from "./forms.ts";
import { signInPath } from "./sign-in-first.ts";

/** What each button asks for, and the notice the page it came from shows after. */
const ACTIONS = {
  like: { kind: "like", undo: false, done: "liked" },
  unlike: { kind: "like", undo: true, done: "unliked" },
  boost: { kind: "announce", undo: false, done: "boosted" },
  unboost: { kind: "announce", undo: true, done: "unboosted" },
} as const;

/** A path on this site only: never `//host` or `/\\host`, which browsers read as another site. */
const localPath = (back: string) => (/^\/(?![/\\])/.test(back) ? back : "/");

/**
 * Where to go back to, with `done` added to its query.
 */
function backTo(back: string, done: string): string {
  const url = new URL(localPath(back), "http://here");
  url.searchParams.set("done", done);
  // Checked again once parsed: "/x/..//host" or "/a/../\\host" tidy up into "//host".
  const path = url.pathname + url.search + url.hash;
  return url.host === "here" && /^\/(?![/\\])/.test(path) ? path : `/?done=${done}`;
}

/**
 * Like and boost buttons (`/reactions`), on the network view and on posts
 * here: a like or boost goes out as a `Like` or `Announce`, taking it back as
 * the `Undo` of it.
 */
export function reactionRoutes({ services }: WebDeps, { forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);
  app.post("/", async (c) => {
    const body = await formBody(c);
    const viewer = c.get("viewer");
    // A signed-out reader who pressed a button signs in, then comes back to the page they were on.
    if (!viewer) return c.redirect(signInPath(localPath(bodyText(body, "back"))), 303);
    const action = bodyText(body, "action");
    if (!Object.hasOwn(ACTIONS, action)) throw invalid("Like, boost, or take one back.");
    const { kind, undo, done } = ACTIONS[action as keyof typeof ACTIONS];
    const object = bodyText(body, "object");
    if (undo) await services.interactions.undoReaction(viewer, object, kind);
    else await services.interactions.reactToKnown(viewer, object, kind);
    return c.redirect(backTo(bodyText(body, "back"), done), 303);
  });

  return app;
}
