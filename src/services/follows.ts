import { randomUUID } from "node:crypto";
import { invalid } from "../domain/errors.ts";
import { normaliseRemoteAccount } from "../domain/handle.ts";
import type { Actor, Following, RemoteActor, RemoteActorInput } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import type { ActorService } from "./actors.ts";
import type { FederationPolicyService } from "./federation-policy.ts";

/** Who follows whom, across servers. */
export class FollowService {
  constructor(
    private readonly store: Store,
    private readonly actors: ActorService,
    private readonly policy: FederationPolicyService,
  ) {}

  /**
   * A remote actor asks to follow a local actor. Returns whether the follow
   * was accepted; blocked actors, and those blocked from the community they
   * ask to follow, are rejected.
   */
  async receiveFollow(localHandle: string, follower: RemoteActorInput, followUri: string): Promise<"accepted" | "rejected" | "unknown"> {
    const local = await this.actors.find(localHandle);
    if (!local || local.deactivatedAt) return "unknown";
    if (await this.store.accountBlocks.isBlocked(follower.uri)) {
      // Blocked before its follows were ended on blocking: it follows no one here now either.
      await this.store.follows.removeFollowsBy(follower.uri);
      return "rejected";
    }
    // Blocked from this community by its moderators: refused, and nothing of it kept.
    if (local.kind === "community" && (await this.store.communityBlocks.isBlocked(local.id, follower.uri))) return "rejected";
    const remote = await this.store.remoteActors.upsert(follower);
    await this.store.follows.addFollower(local.id, remote.id, followUri);
    return "accepted";
  }

  async receiveUnfollow(localHandle: string, followerUri: string): Promise<boolean> {
    const local = await this.actors.find(localHandle);
    return local ? this.store.follows.removeFollower(local.id, followerUri) : false;
  }

  /**
   * A local actor asks to follow a remote actor, given as an actor URL or
   * @user@host. Resolving and sending happen in the background.
   */
  async requestFollow(localHandle: string, target: string): Promise<Following> {
    const local = await this.actors.find(localHandle);
    if (!local || local.kind === "instance") throw invalid(`There is no person or community @${localHandle} here.`);
    const normalised = normaliseTarget(target);
    await this.policy.mayFollow(normalised);
    const id = randomUUID();
    return this.store.follows.createFollowing({ id, actorId: local.id, target: normalised }, [
      { type: "follow.requested", followingId: id },
    ]);
  }

  /** The background resolver found (or failed to find) the actor to follow. */
  async followingResolved(followingId: string, remote: RemoteActorInput | null): Promise<void> {
    if (!remote) return this.store.follows.resolveFollowing(followingId, null, "failed");
    const saved = await this.store.remoteActors.upsert(remote);
    await this.store.follows.resolveFollowing(followingId, saved.id, "pending");
  }

  async receiveAccept(localActorId: number, remoteUri: string): Promise<boolean> {
    return this.store.follows.setFollowingState(localActorId, remoteUri, "accepted");
  }

  async receiveReject(localActorId: number, remoteUri: string): Promise<boolean> {
    return this.store.follows.setFollowingState(localActorId, remoteUri, "rejected");
  }

  /** An inbox answered 404 or 410: its actors no longer follow us. */
  async dropUnreachableInbox(inbox: string): Promise<number> {
    return this.store.follows.removeFollowersAtInbox(inbox);
  }

  /** The remote actors this local actor follows (or asked to), the first `limit` of them. */
  async following(actor: Actor, limit = 100): Promise<RemoteActor[]> {
    return (await this.store.follows.following(actor.id, null, limit)).items;
  }

  async removeRemoteActor(uri: string): Promise<boolean> {
    return this.store.remoteActors.remove(uri);
  }

  /**
   * Whether anyone on this server (an origin: scheme, host and any port)
   * follows an actor here yet; a server's first Follow is never held back
   * by the limits on what one server may send.
   */
  hasFollowerFrom(origin: string): Promise<boolean> {
    return this.store.follows.hasFollowerFrom(new URL(origin).origin);
  }
}

function normaliseTarget(target: string): string {
  const normalised = normaliseRemoteAccount(target);
  if (normalised) return normalised;
  throw invalid("Give the account to follow as @user@host or as its actor URL.", { target: "use @user@host or a URL" });
}
