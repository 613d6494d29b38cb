/**
 * The remote origin one of Fedify's queue messages concerns, so the queue can
 * share its workers out between servers: where a delivery goes, or who sent
 * a received activity. Fan-out messages (one local activity, many inboxes)
 * concern no one server.
 */
export function fedifyMessageOrigin(message: unknown): string | null {
  if (typeof message !== "object" || message === null) return null;
  const { type, inbox, activity } = message as { type?: unknown; inbox?: unknown; activity?: { actor?: unknown } };
  if (type === "outbox") return originOf(inbox);
  if (type === "inbox") {
    const actor = activity?.actor;
    return originOf(typeof actor === "object" && actor !== null ? (actor as { id?: unknown }).id : actor);
  }
  return null;
}

function originOf(url: unknown): string | null {
  return typeof url === "string" && URL.canParse(url) ? new URL(url).origin : null;
}

/** What one of Fedify's queue messages is, for counting: a delivery to an inbox, a received activity, or a fan-out. */
export function fedifyMessageKind(message: unknown): "delivery" | "received" | "fanout" | "other" {
  const type = typeof message === "object" && message !== null ? (message as { type?: unknown }).type : undefined;
  if (type === "outbox") return "delivery";
  if (type === "inbox") return "received";
  return type === "fanout" ? "fanout" : "other";
}
