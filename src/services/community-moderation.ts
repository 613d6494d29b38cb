import type { Clock } from "../domain/clock.ts";
import { MAX_MODERATION_REASON } from "../domain/moderation.ts";
import { conflict, forbidden, invalid, notFound } from "../domain/errors.ts";
import { normaliseHandle } from "../domain/handle.ts";
import { accountElsewhere } from "./account-lookup.ts";
import { isReplyPolicy, REPLY_POLICIES, type ReplyPolicy } from "../domain/reply-policy.ts";
import type { Actor, CommunityBlock } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import { can } from "./permissions.ts";

/** A community's moderation settings, as its moderators see them. */
export interface CommunityModeration {
  community: Actor;
  blocks: CommunityBlock[];
}

/**
 * What a community's moderators (its facilitators and administrators, and the
 * instance's administrators) decide for it: who may reply to its posts, and
 * which accounts elsewhere are blocked from it. Each change and its entry in
 * the moderation log are one transaction.
 */
export class CommunityModerationService {
  private readonly origin: string;

  constructor(
    private readonly store: Store,
    origin: string,
    private readonly now: Clock,
  ) {
    this.origin = new URL(origin).origin;
  }

  /** Whether this person moderates this community (the instance's administrators moderate every one). One query at most. */
  async mayModerate(person: Actor | null, community: Actor, store: Store = this.store): Promise<boolean> {
    if (person?.kind !== "person" || person.deactivatedAt || community.kind !== "community") return false;
    if (person.isAdmin) return true;
    return can(await store.actors.membership(community.id, person.id), "moderate");
  }

  /** The community, if this person moderates it; not found or forbidden otherwise. */
  async moderatedCommunity(acting: Actor, communityHandle: string, store: Store = this.store): Promise<Actor> {
    const community = await store.actors.findByHandle(normaliseHandle(communityHandle));
    if (community?.kind !== "community" || community.deactivatedAt) {
      throw notFound(`There is no community @${normaliseHandle(communityHandle)} here.`);
    }
    if (!(await this.mayModerate(acting, community, store))) {
      throw forbidden(`Only facilitators and administrators of ${community.displayName}, and of this server, can moderate it.`);
    }
    return community;
  }

  /** Chooses who may reply to the community's posts. */
  async setReplyPolicy(acting: Actor, communityHandle: string, policy: string): Promise<Actor> {
    return this.store.transaction(async (tx) => {
      const community = await this.moderatedCommunity(acting, communityHandle, tx);
      if (!isReplyPolicy(policy)) throw invalid("Choose who may reply.", { policy: `choose one of ${REPLY_POLICIES.join(", ")}` });
      const from = community.replyPolicy;
      if (from === policy) return community;
      await tx.actors.setReplyPolicy(community.id, policy);
      await tx.moderationLog.record({
        at: new Date(this.now()),
        actorId: acting.id,
        communityId: community.id,
        action: "community.reply-policy",
        subject: community.handle,
        reason: "",
        details: { from, to: policy },
      });
      return { ...community, replyPolicy: policy as ReplyPolicy };
    });
  }

  /**
   * Blocks an account elsewhere (its actor URL, or the handle of one known
   * here) from the community: its follow of the community ends, and its
   * follows, requests to join, posts and replies are refused from now on.
   * Part of `store`'s transaction when given one. Returns the actor URI blocked.
   */
  async block(acting: Actor, communityHandle: string, account: string, reason: string, store: Store = this.store): Promise<string> {
    const why = (reason ?? "").trim();
    return store.transaction(async (tx) => {
      const community = await this.moderatedCommunity(acting, communityHandle, tx);
      const fields: Record<string, string> = {};
      const found = await accountElsewhere(tx, this.origin, account ?? "");
      if (typeof found !== "string") Object.assign(fields, found);
      if (!why) fields.reason = "say why the account is blocked";
      else if (why.length > MAX_MODERATION_REASON) fields.reason = `at most ${MAX_MODERATION_REASON} characters`;
      if (Object.keys(fields).length > 0) throw invalid(`Check the block: ${Object.values(fields).join("; ")}.`, fields);
      const actorUri = found as string;
      if (await tx.communityBlocks.isBlocked(community.id, actorUri)) {
        throw conflict(`That account is already blocked from ${community.displayName}.`, { account: "already blocked" });
      }
      const at = new Date(this.now());
      await tx.communityBlocks.add({ communityId: community.id, actorUri, reason: why, createdAt: at, createdBy: acting.id });
      // A blocked account no longer receives what the community publishes.
      const unfollowed = await tx.follows.removeFollower(community.id, actorUri);
      await tx.moderationLog.record({
        at,
        actorId: acting.id,
        communityId: community.id,
        action: "community.account-blocked",
        subject: actorUri,
        reason: why,
        details: { unfollowed },
      });
      return actorUri;
    });
  }

  /** Lifts a block: the account may follow, join and reply again. */
  async unblock(acting: Actor, communityHandle: string, actorUri: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const community = await this.moderatedCommunity(acting, communityHandle, tx);
      if (!actorUri || !(await tx.communityBlocks.remove(community.id, actorUri))) {
        throw notFound(`That account is not blocked from ${community.displayName}.`);
      }
      await tx.moderationLog.record({
        at: new Date(this.now()),
        actorId: acting.id,
        communityId: community.id,
        action: "community.account-unblocked",
        subject: actorUri,
        reason: "",
        details: {},
      });
    });
  }

  /** The community and the accounts blocked from it, newest first, for its moderators. */
  async blocks(acting: Actor, communityHandle: string): Promise<CommunityModeration> {
    const community = await this.moderatedCommunity(acting, communityHandle);
    return { community, blocks: await this.store.communityBlocks.list(community.id) };
  }

  /** Whether an account elsewhere is blocked from a community, for the inbox. */
  isBlocked(communityId: number, actorUri: string): Promise<boolean> {
    return this.store.communityBlocks.isBlocked(communityId, actorUri);
  }
}
