/**
 * Which inbox activities are handled while their sender waits, instead of
 * going through the queue. Handling one at once saves the queue's round trip
 * (storing, claiming and removing the message) and reading the activity a
 * second time; the sender's 2xx still comes only once the activity is
 * stored, and a failure answers 500, so the sender tries again: nothing is
 * lost. The queue keeps what may be slow or may need other servers
 * (Announce fetches what it boosts; Update, Flag and the membership
 * activities may fetch too), Follow (its Accept is built, stored and signed:
 * the queue's round trip is a small part of that, and a burst of follows is
 * better answered 202 at once and worked through), and anything whose actor
 * is not the key's owner (a forwarded activity, whose proof Fedify must
 * check itself).
 *
 * The JSON read here only decides where the activity goes: a context can
 * make Fedify read another actor from the same body, so the listeners
 * compare the key's owner with the actor again, as Fedify parsed it
 * (`signedByActor` in federation/inbox/index.ts), whether the activity is
 * handled at once or queued with its signer.
 */
const AT_ONCE = new Set(["Create", "Undo", "Like", "Accept", "Reject", "Delete"]);

/**
 * Where an inbox activity whose signature the screen verified goes: handled
 * at once (a known cheap type, naming as its actor the owner of the key that
 * signed it); queued without a second check of its signature ("screened":
 * any other type its actor signed; the listener compares the signer with the
 * actor once the worker takes it); or left to Fedify, which verifies it
 * again and checks a forwarded activity's proof itself.
 */
export function inboxRoute(body: Uint8Array, signer: string): "at once" | "screened" | "fedify" {
  let activity: unknown;
  try {
    activity = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8"));
  } catch {
    return "fedify";
  }
  if (typeof activity !== "object" || activity === null) return "fedify";
  const { type, actor } = activity as { type?: unknown; actor?: unknown };
  const actorId = typeof actor === "string" ? actor : typeof actor === "object" && actor !== null ? (actor as { id?: unknown }).id : null;
  if (actorId !== signer) return "fedify";
  return typeof type === "string" && AT_ONCE.has(type) ? "at once" : "screened";
}
