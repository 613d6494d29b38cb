import { and, desc, eq, sql } from "drizzle-orm";
import { conflict } from "../../domain/errors.ts";
import { toRemoteActor } from "../mappers.ts";
import type { CommunityBlockRepository } from "../repositories.ts";
import { prepared } from "./prepared.ts";
import type { Unit } from "./unit.ts";

/** Accounts blocked from a community by its moderators. */
export function communityBlockRepository(unit: Unit): CommunityBlockRepository {
  const { db } = unit;
  const { communityBlocks, remoteActors } = unit.tables;

  return {
    async add(block) {
      const added = await unit.write((db) =>
        db
          .insert(communityBlocks)
          .values({ ...block, createdAt: block.createdAt.getTime() })
          .onConflictDoNothing()
          .returning({ uri: communityBlocks.actorUri }),
      );
      if (added.length === 0) throw conflict("That account is already blocked from this community.");
    },

    async remove(communityId, actorUri) {
      const removed = await unit.write((db) =>
        db
          .delete(communityBlocks)
          .where(and(eq(communityBlocks.communityId, communityId), eq(communityBlocks.actorUri, actorUri)))
          .returning({ uri: communityBlocks.actorUri }),
      );
      return removed.length > 0;
    },

    async list(communityId) {
      const rows = await db
        .select()
        .from(communityBlocks)
        .leftJoin(remoteActors, eq(remoteActors.uri, communityBlocks.actorUri))
        .where(eq(communityBlocks.communityId, communityId))
        .orderBy(desc(communityBlocks.createdAt));
      return rows.map(({ community_blocks: b, remote_actors: account }) => ({
        communityId: b.communityId,
        actorUri: b.actorUri,
        account: account ? toRemoteActor(account) : null,
        reason: b.reason,
        createdAt: new Date(b.createdAt),
        createdBy: b.createdBy,
      }));
    },

    async isBlocked(communityId, actorUri) {
      const query = prepared(db, "community_block", (db, name) =>
        db
          .select({ uri: communityBlocks.actorUri })
          .from(communityBlocks)
          .where(
            and(eq(communityBlocks.communityId, sql.placeholder("communityId")), eq(communityBlocks.actorUri, sql.placeholder("actorUri"))),
          )
          .prepare(name),
      );
      const [row] = await query.execute({ communityId, actorUri });
      return row !== undefined;
    },
  };
}
