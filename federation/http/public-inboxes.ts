import { validatePublicUrl } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";

const logger = getLogger(["connexo", "federation", "delivery"]);

/** How long, and for how many hosts at most, whether a host is on a public address is remembered. */
const VERDICT_MS = 60_000;
const VERDICTS_HELD = 10_000;

/**
 * Which inboxes deliveries may go to. An inbox is whatever a remote actor's
 * document says, so any server could otherwise have the instance post to
 * addresses inside its own network (loopback, a private network, link-local:
 * by the inbox's address, or by what its host name resolves to). Unless the
 * instance allows private addresses (tests and local demos), deliveries there
 * are refused, as fetches from there are. Each host's verdict is kept for a
 * minute, so that a fan-out resolves each server's name once.
 */
export class PublicInboxes {
  readonly #verdicts = new Map<string, { public: boolean; at: number }>();
  readonly #allowPrivateAddress: boolean;
  readonly #now: () => number;

  constructor({ allowPrivateAddress, now }: { allowPrivateAddress: boolean; now: () => number }) {
    this.#allowPrivateAddress = allowPrivateAddress;
    this.#now = now;
  }

  /**
   * Whether a delivery to this inbox is refused. A host name that cannot be
   * resolved just now is not refused: the delivery fails as it would have,
   * and is retried.
   */
  async refuses(inbox: string, activityId?: string): Promise<boolean> {
    if (this.#allowPrivateAddress) return false;
    const { host } = new URL(inbox);
    const known = this.#verdicts.get(host);
    if (known && this.#now() - known.at < VERDICT_MS) return !known.public;
    let isPublic = true;
    try {
      await validatePublicUrl(inbox);
    } catch (error) {
      // The one failure that says nothing about the address (Fedify's words for it).
      if (error instanceof Error && error.message === "DNS lookup failed") return false;
      isPublic = false;
    }
    // Kept in the order they were found; past the bound, the oldest goes first.
    this.#verdicts.delete(host);
    if (this.#verdicts.size >= VERDICTS_HELD) this.#verdicts.delete(this.#verdicts.keys().next().value!);
    this.#verdicts.set(host, { public: isPublic, at: this.#now() });
    if (!isPublic) logger.warn("Not delivering {activityId} to {inbox}: it is not on a public address", { activityId, inbox });
    return !isPublic;
  }
}
