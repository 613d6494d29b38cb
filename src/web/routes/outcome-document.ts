import type { Context } from "hono";
import { outcomeDocument } from "../../../federation/vocab/outcome-document.ts";
import type { WebDeps } from "../deps.ts";

/**
 * What became of a reply, for the instance of the person who wrote it: the
 * document an answering note links to. Fedify's Note has no room for
 * Connexo's terms, so this route serves them. Public, like the note.
 */
export const outcomeDocumentHandler =
  ({ services, federation, contextData }: WebDeps) =>
  async (c: Context) => {
    const noteId = c.req.param("id")!;
    const answered = await services.outcomes.answeredBy(noteId);
    const community = answered ? await services.actors.findById(answered.record.post.communityId!) : null;
    if (!answered || !community) return c.json({ error: "This note states no outcome." }, 404);
    const ctx = federation.createContext(c.req.raw, contextData);
    const document = outcomeDocument(ctx, { ...answered, communityHandle: community.handle });
    return c.body(JSON.stringify(document), 200, { "content-type": "application/activity+json" });
  };
