import { and, count, desc, eq, isNull, lt, type SQL } from "drizzle-orm";
import type { MembershipElsewhere, RemoteMember, Role } from "../../domain/types.ts";
import { toRemoteActor } from "../mappers.ts";
import type { CommunityElsewhere, MembershipRepository } from "../repositories.ts";
import { notBlockedAccount, notOnBlockedDomain } from "./blocked-hosts.ts";
import type { Unit } from "./unit.ts";

/** Memberships that cross servers: remote people in our communities, our people in remote communities, and what remote members publish here. */
export function membershipRepository(unit: Unit): MembershipRepository {
  const { db } = unit;
  const { remoteMembers, membershipsElsewhere, communityPosts, remoteActors, remotePosts, memberships, actors, followings } = unit.tables;

  const date = (ms: number | null) => (ms === null ? null : new Date(ms));

  async function members(where: SQL | undefined): Promise<RemoteMember[]> {
    const rows = await db
      .select()
      .from(remoteMembers)
      .leftJoin(remoteActors, eq(remoteActors.id, remoteMembers.remoteActorId))
      .where(where)
      .orderBy(remoteMembers.createdAt, remoteMembers.id);
    return rows.map(({ remote_members: m, remote_actors: actor }) => ({
      ...m,
      person: actor ? toRemoteActor(actor) : null,
      expiresAt: date(m.expiresAt),
      createdAt: new Date(m.createdAt),
    }));
  }

  async function elsewhere(where: SQL | undefined): Promise<MembershipElsewhere[]> {
    const rows = await db
      .select()
      .from(membershipsElsewhere)
      .leftJoin(remoteActors, eq(remoteActors.id, membershipsElsewhere.remoteActorId))
      .where(where)
      .orderBy(membershipsElsewhere.createdAt, membershipsElsewhere.id);
    return rows.map(({ memberships_elsewhere: m, remote_actors: actor }) => ({
      ...m,
      community: actor ? toRemoteActor(actor) : null,
      createdAt: new Date(m.createdAt),
    }));
  }

  return {
    async addMember(member) {
      await unit.write((db) =>
        db.insert(remoteMembers).values({
          ...member,
          expiresAt: member.expiresAt?.getTime() ?? null,
          createdAt: unit.now(),
        }),
      );
    },

    async updateMember(id, change) {
      const { expiresAt, ...rest } = change;
      const set = expiresAt === undefined ? rest : { ...rest, expiresAt: expiresAt?.getTime() ?? null };
      const changed = await unit.write((db) =>
        db.update(remoteMembers).set(set).where(eq(remoteMembers.id, id)).returning({ id: remoteMembers.id }),
      );
      return changed.length > 0;
    },

    async removeMember(id) {
      const removed = await unit.write((db) =>
        db.delete(remoteMembers).where(eq(remoteMembers.id, id)).returning({ id: remoteMembers.id }),
      );
      return removed.length > 0;
    },

    async findMember(id) {
      return (await members(eq(remoteMembers.id, id)))[0] ?? null;
    },

    async memberByActor(communityId, remoteActorUri) {
      const [row] = await members(and(eq(remoteMembers.communityId, communityId), eq(remoteActors.uri, remoteActorUri)));
      return row ?? null;
    },

    async memberByTarget(communityId, target) {
      const [row] = await members(and(eq(remoteMembers.communityId, communityId), eq(remoteMembers.target, target)));
      return row ?? null;
    },

    async memberByActivity(activityUri) {
      const [row] = await members(eq(remoteMembers.activityUri, activityUri));
      return row ?? null;
    },

    membersOf: (communityId) => members(eq(remoteMembers.communityId, communityId)),

    async countRemoteAdmins(communityId) {
      const [row] = await db
        .select({ n: count() })
        .from(remoteMembers)
        .where(and(eq(remoteMembers.communityId, communityId), eq(remoteMembers.role, "admin"), eq(remoteMembers.state, "active")));
      return row?.n ?? 0;
    },

    async activeRole(communityId, remoteActorUri): Promise<Role | null> {
      const member = await this.memberByActor(communityId, remoteActorUri);
      return member?.state === "active" ? member.role : null;
    },

    async addElsewhere(membership) {
      await unit.write((db) => db.insert(membershipsElsewhere).values({ ...membership, createdAt: unit.now() }));
    },

    async updateElsewhere(id, change) {
      const changed = await unit.write((db) =>
        db.update(membershipsElsewhere).set(change).where(eq(membershipsElsewhere.id, id)).returning({ id: membershipsElsewhere.id }),
      );
      return changed.length > 0;
    },

    async removeElsewhere(id) {
      const removed = await unit.write((db) =>
        db.delete(membershipsElsewhere).where(eq(membershipsElsewhere.id, id)).returning({ id: membershipsElsewhere.id }),
      );
      return removed.length > 0;
    },

    async findElsewhere(id) {
      return (await elsewhere(eq(membershipsElsewhere.id, id)))[0] ?? null;
    },

    async elsewhereByCommunity(personId, communityUri) {
      const [row] = await elsewhere(and(eq(membershipsElsewhere.personId, personId), eq(remoteActors.uri, communityUri)));
      return row ?? null;
    },

    async elsewhereByTarget(personId, target) {
      const [row] = await elsewhere(and(eq(membershipsElsewhere.personId, personId), eq(membershipsElsewhere.target, target)));
      return row ?? null;
    },

    async elsewhereByActivity(activityUri) {
      const [row] = await elsewhere(eq(membershipsElsewhere.activityUri, activityUri));
      return row ?? null;
    },

    elsewhereOf: (personId) => elsewhere(eq(membershipsElsewhere.personId, personId)),

    async addCommunityPost(communityId, postUri, remoteActorId) {
      const added = await unit.write((db) =>
        db
          .insert(communityPosts)
          .values({ communityId, postUri, remoteActorId, receivedAt: unit.now() })
          .onConflictDoNothing()
          .returning({ postUri: communityPosts.postUri }),
      );
      return added.length > 0;
    },

    async removeCommunityPost(communityId, postUri) {
      const removed = await unit.write((db) =>
        db
          .delete(communityPosts)
          .where(and(eq(communityPosts.communityId, communityId), eq(communityPosts.postUri, postUri)))
          .returning({ postUri: communityPosts.postUri }),
      );
      return removed.length > 0;
    },

    async communityOfPost(postUri) {
      const rows = await db
        .select({ communityId: communityPosts.communityId })
        .from(communityPosts)
        .where(eq(communityPosts.postUri, postUri));
      return rows.map((row) => row.communityId);
    },

    async communityPosts(communityId, before, limit) {
      const rows = await db
        .select()
        .from(communityPosts)
        .innerJoin(remotePosts, eq(remotePosts.uri, communityPosts.postUri))
        .leftJoin(remoteActors, eq(remoteActors.id, communityPosts.remoteActorId))
        .where(
          and(
            eq(communityPosts.communityId, communityId),
            before ? lt(communityPosts.receivedAt, before.getTime()) : undefined,
            // Nothing from a blocked domain or account while the block lasts.
            notOnBlockedDomain(remotePosts.uri),
            notOnBlockedDomain(remoteActors.uri),
            notBlockedAccount(remoteActors.uri),
          ),
        )
        .orderBy(desc(communityPosts.receivedAt))
        .limit(limit);
      return rows
        .filter((row) => row.remote_posts.deletedAt === null)
        .map((row) => ({
          uri: row.remote_posts.uri,
          author: row.remote_actors ? toRemoteActor(row.remote_actors) : null,
          name: row.remote_posts.name,
          summary: row.remote_posts.summary,
          contentHtml: row.remote_posts.contentHtml,
          url: row.remote_posts.url,
          publishedAt: new Date(row.remote_posts.publishedAt),
          updatedAt: date(row.remote_posts.updatedAt),
        }));
    },

    async memberCounts() {
      const [local, remote] = await Promise.all([
        db
          .select({ communityId: memberships.communityId, n: count() })
          .from(memberships)
          .innerJoin(actors, eq(actors.id, memberships.personId))
          .where(isNull(actors.deactivatedAt))
          .groupBy(memberships.communityId),
        db
          .select({ communityId: remoteMembers.communityId, n: count() })
          .from(remoteMembers)
          .where(eq(remoteMembers.state, "active"))
          .groupBy(remoteMembers.communityId),
      ]);
      const counts = new Map<number, number>();
      for (const row of [...local, ...remote]) counts.set(row.communityId, (counts.get(row.communityId) ?? 0) + Number(row.n));
      return counts;
    },

    async communitiesElsewhere() {
      const [joined, followed] = await Promise.all([
        db
          .select({ actor: remoteActors, n: count() })
          .from(membershipsElsewhere)
          .innerJoin(remoteActors, eq(remoteActors.id, membershipsElsewhere.remoteActorId))
          .where(eq(membershipsElsewhere.state, "active"))
          .groupBy(remoteActors.id),
        db
          .selectDistinct({ actor: remoteActors })
          .from(followings)
          .innerJoin(remoteActors, eq(remoteActors.id, followings.remoteActorId))
          .where(and(eq(followings.state, "accepted"), eq(remoteActors.type, "Group"))),
      ]);
      const found = new Map<number, CommunityElsewhere>();
      for (const row of joined) found.set(row.actor.id, { community: toRemoteActor(row.actor), members: Number(row.n), followed: false });
      for (const row of followed) {
        const known = found.get(row.actor.id);
        if (known) known.followed = true;
        else found.set(row.actor.id, { community: toRemoteActor(row.actor), members: 0, followed: true });
      }
      const nameOf = (c: CommunityElsewhere) => (c.community.name ?? c.community.handle ?? c.community.uri).toLowerCase();
      return [...found.values()].sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
    },
  };
}
