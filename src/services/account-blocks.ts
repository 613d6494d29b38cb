import type { Clock } from "../domain/clock.ts";
import { invalid, notFound } from "../domain/errors.ts";
import { MAX_MODERATION_REASON, type AccountBlock } from "../domain/moderation.ts";
import type { RemoteActor } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import { accountElsewhere } from "./account-lookup.ts";
import { actorIdOf, detailsOf, type InstanceAdministrator, mayAdminister } from "./federation-policy.ts";

/** A blocked account as the public list shows it: an account is a person, so only its server is named. */
export interface PublicAccountBlock {
  server: string;
  reason: string;
  createdAt: Date;
}

/**
 * Accounts elsewhere that the instance refuses, blocked one by one by its
 * administrators (from the web or the command line), with a reason that is
 * published with the account's server (not its name). While blocked, an account's requests are refused before
 * its key is fetched (`FederationPolicyService.refusesKey`), nothing is sent
 * to it, its follows of anyone here end, and what it sent before is left out
 * wherever it is read; unblocking brings that back. Each change and its log
 * entry are one transaction.
 */
export class AccountBlockService {
  private readonly origin: string;

  constructor(
    private readonly store: Store,
    origin: string,
    private readonly now: Clock,
  ) {
    this.origin = new URL(origin).origin;
  }

  /** Blocks an account (its URL, or the handle of one known here), or gives a blocked one a new reason; part of `store`'s transaction when given one. */
  async block(
    acting: InstanceAdministrator,
    account: string,
    reason: string,
    store: Store = this.store,
  ): Promise<{ uri: string; added: boolean; followsEnded: number }> {
    mayAdminister(acting);
    const why = (reason ?? "").trim();
    return store.transaction(async (tx) => {
      const found = await accountElsewhere(tx, this.origin, account ?? "");
      const fields: Record<string, string> = typeof found === "string" ? {} : { ...found };
      if (!why) fields.reason = "say why the account is blocked";
      else if (why.length > MAX_MODERATION_REASON) fields.reason = `at most ${MAX_MODERATION_REASON} characters`;
      if (Object.keys(fields).length > 0) throw invalid(`Check the block: ${Object.values(fields).join("; ")}.`, fields);
      const uri = found as string;
      const at = new Date(this.now());
      const added = await tx.accountBlocks.put({ uri, reason: why, createdAt: at, createdBy: actorIdOf(acting) });
      const followsEnded = await tx.follows.removeFollowsBy(uri);
      await tx.moderationLog.record({
        at,
        actorId: actorIdOf(acting),
        communityId: null,
        action: "account.blocked",
        subject: uri,
        reason: why,
        details: { ...detailsOf(acting), followsEnded, ...(added ? {} : { reasonChanged: true }) },
      });
      return { uri, added, followsEnded };
    });
  }

  /** Lifts an account's block: what it sent before shows again, and it may follow people here. */
  async unblock(acting: InstanceAdministrator, uri: string): Promise<void> {
    mayAdminister(acting);
    await this.store.transaction(async (tx) => {
      if (!uri || !(await tx.accountBlocks.remove(uri))) throw notFound("That account is not blocked.");
      await tx.moderationLog.record({
        at: new Date(this.now()),
        actorId: actorIdOf(acting),
        communityId: null,
        action: "account.unblocked",
        subject: uri,
        reason: "",
        details: detailsOf(acting),
      });
    });
  }

  /** Whether an account (its actor URI) is blocked, for the inbox. One query. */
  isBlocked(uri: string): Promise<boolean> {
    return this.store.accountBlocks.isBlocked(uri);
  }

  /** The blocked accounts as anyone may see them: each one's server and the reason, not its name. */
  async publicList(): Promise<PublicAccountBlock[]> {
    return (await this.store.accountBlocks.list()).map((b) => ({
      server: new URL(b.uri).host,
      reason: b.reason,
      createdAt: b.createdAt,
    }));
  }

  /** Every blocked account, newest first, for the instance's administrators. */
  async list(acting: InstanceAdministrator): Promise<(AccountBlock & { account: RemoteActor | null })[]> {
    mayAdminister(acting);
    return this.store.accountBlocks.list();
  }
}
