import { validatePublicUrl } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { TimedMemory } from "./timed-memory.ts";

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
  /** Whether each host was found on a public address. */
  readonly #verdicts: TimedMemory<boolean>;
  readonly #allowPrivateAddress: boolean;

  constructor({ allowPrivateAddress, now }: { allowPrivateAddress: boolean; now: () => number }) {
    this.#allowPrivateAddress = allowPrivateAddress;
    this.#verdicts = new TimedMemory(VERDICT_MS, VERDICTS_HELD, now);
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
    if (known !== undefined) return !known;
    let isPublic = true;
    try {
      await validatePublicUrl(inbox);
    } catch (error) {
      // The one failure that says nothing about the address (Fedify's words for it).
      if (error instanceof Error && error.message === "DNS lookup failed") return false;
      isPublic = false;
    }
    this.#verdicts.set(host, isPublic);
    if (!isPublic) logger.warn("Not delivering {activityId} to {inbox}: it is not on a public address", { activityId, inbox });
    return !isPublic;
  }
}
