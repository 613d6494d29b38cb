import { randomUUID } from "node:crypto";
import type { Clock } from "../domain/clock.ts";
import { conflict, forbidden, invalid, notFound } from "../domain/errors.ts";
import { normaliseRemoteAccount } from "../domain/handle.ts";
import type { ListPage, PageAt } from "../domain/paging.ts";
import type { Actor, Following, RemoteActor, RemoteActorInput } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import type { ActorService } from "./actors.ts";
import type { FederationPolicyService } from "./federation-policy.ts";
import { notify } from "./notify.ts";
import { can } from "./permissions.ts";

/** How many follows, or followers, a page of the follows page lists. */
const FOLLOWS_PAGE_SIZE = 50;

/** What the follows page shows for one actor: who it follows, who follows it, and whom else the viewer may act for. */
export interface FollowLists {
  /** The viewer, then the communities they manage. */
  actors: Actor[];
  /** The one whose lists these are. */
  actor: Actor;
  following: ListPage<Following>;
  followers: ListPage<RemoteActor>;
}

/** Who follows whom, across servers. */
export class FollowService {
  constructor(
    private readonly store: Store,
    private readonly actors: ActorService,
    private readonly policy: FederationPolicyService,
    private readonly now: Clock = () => Date.now(),
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
    await this.store.transaction(async (tx) => {
      const remote = await tx.remoteActors.upsert(follower);
      await tx.follows.addFollower(local.id, remote.id, followUri);
      if (local.kind !== "community") return;
      // A community's administrators hear of its new followers.
      for (const admin of await tx.actors.activeAdminsOf(local.id)) {
        await notify(tx, {
          recipient: admin,
          kind: "follow",
          source: followUri,
          actor: { uri: remote.uri, name: remote.name ?? remote.handle, url: remote.url },
          details: { title: local.displayName, communityHandle: local.handle },
          at: new Date(this.now()),
        });
      }
    });
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
    // One that failed or was refused may be asked again; one that stands may not.
    const existing = await this.store.follows.findFollowingTo(local.id, normalised);
    if (existing && existing.state !== "failed" && existing.state !== "rejected") {
      throw conflict(`@${local.handle} already follows ${normalised}.`, { target: "already followed" });
    }
    const id = randomUUID();
    return this.store.follows.createFollowing({ id, actorId: local.id, target: normalised }, [
      { type: "follow.requested", followingId: id },
    ]);
  }

  /**
   * A person follows someone as themselves or as a community they manage
   * (`as`: a handle); those who do not manage it are refused.
   */
  async requestFollowAs(person: Actor, as: string, target: string): Promise<Following> {
    await this.actingFor(person, as);
    return this.requestFollow(as, target);
  }

  /**
   * Stops a follow of the person's own, or of a community they manage. A
   * follow that reached someone is taken back with an `Undo`.
   */
  async unfollow(person: Actor, followingId: string): Promise<Following> {
    const following = await this.store.follows.findFollowing(followingId);
    if (!following) throw notFound("There is no such follow.");
    const actor = await this.actors.findById(following.actorId);
    if (!actor) throw notFound("There is no such follow.");
    await this.actingFor(person, actor.handle);
    const remoteActorUri = following.remoteActor?.uri;
    const events = remoteActorUri ? [{ type: "follow.undone" as const, followingId: following.id, actorId: actor.id, remoteActorUri }] : [];
    if (!(await this.store.follows.removeFollowing(following.id, events))) throw notFound("There is no such follow.");
    return following;
  }

  /**
   * The follows page: whom the viewer, or a community they manage (`as`),
   * follows, and who follows them, a page of each. Three queries.
   */
  async lists(person: Actor, as: string | null, followingAt: PageAt, followersAt: PageAt): Promise<FollowLists> {
    const memberships = await this.store.actors.membershipsOfPerson(person.id);
    const managed = memberships.filter((m) => can(m.role, "manage") && !m.community.deactivatedAt).map((m) => m.community);
    const actors = [person, ...managed];
    const actor = as === null ? person : actors.find((a) => a.handle === as);
    if (!actor) throw forbidden(`Only administrators of @${as} may see and change whom it follows.`);
    const [following, followers] = await Promise.all([
      this.followingPage(actor, followingAt),
      this.store.follows.followersPage(actor.id, followersAt, FOLLOWS_PAGE_SIZE),
    ]);
    return { actors, actor, following, followers };
  }

  /** A page of an actor's follows that stand (asked for, waiting, or accepted), newest first. One query. */
  followingPage(actor: Actor, at: PageAt, limit = FOLLOWS_PAGE_SIZE): Promise<ListPage<Following>> {
    return this.store.follows.followingPage(actor.id, at, limit);
  }

  /** The person themselves, or a community here they manage; refused otherwise. */
  private async actingFor(person: Actor, handle: string): Promise<Actor> {
    if (handle === person.handle) return person;
    const community = await this.actors.find(handle);
    if (!community || community.kind !== "community") throw notFound(`There is no community @${handle} here.`);
    if (!can(await this.actors.roleIn(community, person), "manage")) {
      throw forbidden(`Only administrators of @${community.handle} may follow and unfollow for it.`);
    }
    return community;
  }

  /** The background resolver found (or failed to find) the actor to follow. */
  /** Records what a follow's lookup found; false when the person took the follow back meanwhile (nothing is to be sent). */
  async followingResolved(followingId: string, remote: RemoteActorInput | null): Promise<boolean> {
    if (!remote) return this.store.follows.resolveFollowing(followingId, null, "failed");
    const saved = await this.store.remoteActors.upsert(remote);
    return this.store.follows.resolveFollowing(followingId, saved.id, "pending");
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
