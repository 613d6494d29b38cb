// The Store's contract, run on whichever database the suite runs on (npm test
// runs it on SQLite and then on PostgreSQL): units of work, and the
// repository behaviours whose SQL differs by dialect or is easy to get wrong.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/errors.ts";
import type { Post } from "../../src/domain/types.ts";
import { createStore, type Database, openDatabase } from "../../src/storage/database.ts";
import type { NewActor, Store } from "../../src/storage/repositories.ts";
import { createTestDatabase, dialect, queryRows } from "../helpers/database.ts";

const person = (handle: string): NewActor => ({ handle, kind: "person", displayName: handle, summary: "" });

function weeknote(id: string, authorId: number, tags: string[], publishedAt: Date): Post {
  return {
    id,
    kind: "weeknote",
    authorId,
    communityId: null,
    remoteCommunityId: null,
    title: id,
    isoWeek: "2026-W48",
    summary: null,
    bodyMarkdown: "",
    contentHtml: "",
    tags,
    inReplyTo: null,
    replyAuthorization: null,
    replyRefusedAt: null,
    hiddenAt: null,
    state: "published",
    version: 1,
    createdAt: publishedAt,
    publishedAt,
    updatedAt: null,
    deletedAt: null,
  };
}

describe(`the store on ${dialect}`, () => {
  let dir: string;
  let database: Database;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "connexo-store-"));
    database = await openDatabase(await createTestDatabase(dir));
    store = createStore(database);
  });
  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const queued = async () => (await queryRows<{ n: number }>(database, "SELECT count(*) AS n FROM queue_messages"))[0]!.n;

  describe("units of work", () => {
    it("commits everything a transaction did when it returns", async () => {
      const ada = await store.transaction(async (tx) => {
        await tx.settings.set("instance_name", "Northshire");
        return tx.actors.create(person("ada"), []);
      });
      expect(await store.actors.findById(ada.id)).toMatchObject({ handle: "ada" });
      expect(await store.settings.get("instance_name")).toBe("Northshire");
    });

    it("keeps nothing of a transaction that throws, its events included", async () => {
      const ada = await store.actors.create(person("ada"), []);
      const failure = store.transaction(async (tx) => {
        await tx.settings.set("instance_name", "Northshire");
        await tx.actors.create(person("bob"), []);
        await tx.posts.insert(weeknote("w1", ada.id, [], new Date()), [{ type: "post.published", postId: "w1" }]);
        throw new Error("changed my mind");
      });
      await expect(failure).rejects.toThrow("changed my mind");
      expect(await store.settings.get("instance_name")).toBeNull();
      expect(await store.actors.findByHandle("bob")).toBeNull();
      expect(await store.posts.findById("w1")).toBeNull();
      expect(await queued()).toBe(0);
    });

    it("writes a change and its events together", async () => {
      const ada = await store.actors.create(person("ada"), []);
      await store.posts.insert(weeknote("w1", ada.id, [], new Date()), [{ type: "post.published", postId: "w1" }]);
      expect(await store.posts.findById("w1")).toMatchObject({ id: "w1" });
      expect(await queued()).toBe(1);
    });

    it("lets a transaction inside a transaction join it, and roll back with it", async () => {
      const failure = store.transaction(async (tx) => {
        await tx.transaction((inner) => inner.settings.set("instance_name", "Inner"));
        expect(await tx.settings.get("instance_name")).toBe("Inner");
        throw new Error("outer fails");
      });
      await expect(failure).rejects.toThrow("outer fails");
      expect(await store.settings.get("instance_name")).toBeNull();
    });

    it("shows readers outside a transaction only what it has committed", async () => {
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let written = () => {};
      const wrote = new Promise<void>((resolve) => {
        written = resolve;
      });
      const transaction = store.transaction(async (tx) => {
        await tx.settings.set("instance_name", "Uncommitted");
        written();
        await held;
      });
      await wrote;
      expect(await store.settings.get("instance_name")).toBeNull();
      release();
      await transaction;
      expect(await store.settings.get("instance_name")).toBe("Uncommitted");
    });

    it("lets only one of several concurrent claims win", async () => {
      await store.settings.set("setup_token_hash", "secret");
      const claims = await Promise.all(
        Array.from({ length: 5 }, () => store.transaction((tx) => tx.settings.take("setup_token_hash", "secret"))),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it.runIf(dialect === "sqlite")(
      "refuses, instead of waiting for ever, a write through the outer store inside a transaction",
      async () => {
        const misuse = store.transaction(() => store.settings.set("instance_name", "Outer"));
        await expect(misuse).rejects.toThrow(/inside a transaction, use the store it was given/);
        // The lock was let go: the next transaction runs.
        await store.settings.set("instance_name", "Later");
        expect(await store.settings.get("instance_name")).toBe("Later");
      },
    );
  });

  describe("repositories", () => {
    it("refuses a taken handle as a conflict, and keeps nothing of the attempt", async () => {
      await store.actors.create(person("ada"), []);
      const again = store.transaction(async (tx) => {
        await tx.settings.set("instance_name", "Second try");
        return tx.actors.create(person("ada"), []);
      });
      await expect(again).rejects.toBeInstanceOf(DomainError);
      expect(await store.actors.count("person")).toBe(1);
      expect(await store.settings.get("instance_name")).toBeNull();
    });

    it("keeps a person's email address lower-cased, finds them by it in any case, and refuses another's address", async () => {
      const ada = await store.actors.create(person("ada"), []);
      const bob = await store.actors.create(person("bob"), []);
      expect(await store.accounts.emailOf(ada.id)).toBeNull();
      await store.accounts.setEmail(ada.id, "Ada@Council.Example");
      expect(await store.accounts.emailOf(ada.id)).toBe("ada@council.example");
      expect((await store.accounts.personByEmail("ADA@council.example"))?.id).toBe(ada.id);
      expect(await store.accounts.personByEmail("bob@council.example")).toBeNull();
      // Setting one's own address again is no conflict.
      await store.accounts.setEmail(ada.id, "ada@council.example");
      const taken = store.accounts.setEmail(bob.id, "ADA@COUNCIL.EXAMPLE");
      await expect(taken).rejects.toMatchObject({ code: "conflict", fields: { email: "belongs to another account here" } });
      expect(await store.accounts.emailOf(bob.id)).toBeNull();
      await store.accounts.setEmail(ada.id, null);
      expect(await store.accounts.personByEmail("ada@council.example")).toBeNull();
      await store.accounts.setEmail(bob.id, "ada@council.example");
      expect((await store.accounts.personByEmail("ada@council.example"))?.id).toBe(bob.id);
    });

    it("finds several actors, posts and images in one call each, leaving out unknown ones", async () => {
      const ada = await store.actors.create(person("ada"), []);
      const bob = await store.actors.create(person("bob"), []);
      expect((await store.actors.findByIds([ada.id, bob.id, 9999])).map((a) => a.handle).sort()).toEqual(["ada", "bob"]);
      expect((await store.actors.findByHandles(["bob", "nobody"])).map((a) => a.id)).toEqual([bob.id]);
      expect(await store.actors.findByIds([])).toEqual([]);
      await store.posts.insert(weeknote("w1", ada.id, [], new Date(1000)), []);
      await store.posts.insert(weeknote("w2", bob.id, [], new Date(2000)), []);
      expect((await store.posts.findByIds(["w2", "w1", "w9"])).map((p) => p.id).sort()).toEqual(["w1", "w2"]);
      const image = await store.media.create({
        id: "m1",
        ownerId: ada.id,
        fileName: "m1.webp",
        contentType: "image/webp",
        width: 1,
        height: 1,
        bytes: 1,
        alt: "",
      });
      expect((await store.media.findByIds(["m1", "m2"])).map((m) => m.id)).toEqual([image.id]);
    });

    it("finds a community's active administrators alone, not its other members or its deactivated administrators", async () => {
      const team = await store.actors.create({ handle: "team", kind: "community", displayName: "Team", summary: "" }, []);
      const other = await store.actors.create({ handle: "other", kind: "community", displayName: "Other", summary: "" }, []);
      const [zoe, ada, bob, cy] = await Promise.all(["zoe", "ada", "bob", "cy"].map((handle) => store.actors.create(person(handle), [])));
      await store.actors.setMembership(team.id, zoe!.id, "admin");
      await store.actors.setMembership(team.id, ada!.id, "admin");
      await store.actors.setMembership(team.id, bob!.id, "facilitator");
      await store.actors.setMembership(team.id, cy!.id, "admin");
      await store.actors.setMembership(other.id, bob!.id, "admin");
      await store.accounts.deactivate(cy!.id, new Date(1000));
      expect((await store.actors.activeAdminsOf(team.id)).map((admin) => admin.handle)).toEqual(["ada", "zoe"]);
      expect((await store.actors.activeAdminsOf(other.id)).map((admin) => admin.handle)).toEqual(["bob"]);
      await store.transaction(async (tx) => {
        await tx.actors.setMembership(team.id, ada!.id, "member");
        expect((await tx.actors.activeAdminsOf(team.id)).map((admin) => admin.handle)).toEqual(["zoe"]);
      });
    });

    it("keeps the moderation log in order, newest first, and offers no way to change an entry", async () => {
      const ada = await store.actors.create(person("ada"), []);
      const entry = (n: number, action: "reply.hidden" | "reply.restored") => ({
        at: new Date(1_000 * n),
        actorId: ada.id,
        communityId: null,
        action,
        subject: `https://elsewhere.example/notes/${n % 2}`,
        reason: action === "reply.hidden" ? `Reason ${n}` : "",
        details: { postId: "w1", n },
      });
      await store.transaction(async (tx) => {
        await tx.moderationLog.record(entry(1, "reply.hidden"));
        await tx.moderationLog.record(entry(2, "reply.hidden"));
      });
      await store.moderationLog.record(entry(3, "reply.restored"));
      const all = await store.moderationLog.list({}, 10, 0);
      expect(all.map((e) => [e.action, e.reason, e.details])).toEqual([
        ["reply.restored", "", { postId: "w1", n: 3 }],
        ["reply.hidden", "Reason 2", { postId: "w1", n: 2 }],
        ["reply.hidden", "Reason 1", { postId: "w1", n: 1 }],
      ]);
      expect(all.map((e) => e.at.getTime())).toEqual([3_000, 2_000, 1_000]);
      expect(all.every((e) => e.actorId === ada.id)).toBe(true);
      expect((await store.moderationLog.list({ action: "reply.hidden" }, 1, 1)).map((e) => e.reason)).toEqual(["Reason 1"]);
      expect((await store.moderationLog.list({ subjects: ["https://elsewhere.example/notes/1"] }, 10, 0)).map((e) => e.reason)).toEqual([
        "",
        "Reason 1",
      ]);
      expect(await store.moderationLog.list({ subjects: [] }, 10, 0)).toEqual([]);
      expect(await store.moderationLog.list({ actorId: ada.id + 1 }, 10, 0)).toEqual([]);
      // Entries are only ever added and read.
      expect(Object.keys(store.moderationLog).sort()).toEqual(["list", "record"]);
    });

    it("runs a prepared query again with new values, inside transactions too, and keeps fields an upsert was not given", async () => {
      const ada = await store.actors.create(person("ada"), []);
      const bob = await store.actors.create(person("bob"), []);
      // The same prepared queries, asked again with other values (and lists of other lengths), answer for those values.
      expect((await store.actors.findById(ada.id))?.handle).toBe("ada");
      expect((await store.actors.findById(bob.id))?.handle).toBe("bob");
      expect(await store.actors.findById(9999)).toBeNull();
      expect((await store.actors.findByIds([bob.id])).map((a) => a.handle)).toEqual(["bob"]);
      expect((await store.actors.findByIds([ada.id, bob.id])).map((a) => a.handle).sort()).toEqual(["ada", "bob"]);
      expect(await store.transaction(async (tx) => (await tx.actors.findByHandle("bob"))?.id)).toBe(bob.id);
      // One prepared query for lists of any length: one domain, then three.
      await store.domainBlocks.put({ domain: "spam.example", reason: "Spam", createdAt: new Date(1_000), createdBy: ada.id });
      expect(await store.domainBlocks.blockedAmong(["one.example"])).toEqual([]);
      expect(await store.domainBlocks.blockedAmong(["spam.example"])).toEqual(["spam.example"]);
      expect(await store.domainBlocks.blockedAmong(["a.example", "spam.example", "b.example"])).toEqual(["spam.example"]);

      const actor = {
        uri: "https://elsewhere.example/users/cy",
        type: "Person",
        handle: "cy@elsewhere.example",
        name: "Cy",
        url: null,
        iconUrl: null,
        inbox: "https://elsewhere.example/users/cy/inbox",
        sharedInbox: null,
      };
      const first = await store.remoteActors.upsert({ ...actor, organisation: "Elsewhere Council" });
      // Refreshed without its organisation (as an activity's actor is): the name changes, the organisation stays.
      const again = await store.remoteActors.upsert({ ...actor, name: "Cy Renamed" });
      expect(again).toMatchObject({ id: first.id, name: "Cy Renamed", organisation: "Elsewhere Council" });
      // The same upsert again, with other values: another actor, and this one back to a null name.
      const other = await store.remoteActors.upsert({ ...actor, uri: "https://elsewhere.example/users/di", name: "Di" });
      expect(other).toMatchObject({ name: "Di", organisation: null });
      expect(other.id).not.toBe(first.id);
      expect(await store.remoteActors.upsert({ ...actor, name: null })).toMatchObject({
        id: first.id,
        name: null,
        organisation: "Elsewhere Council",
      });
      // Inside a transaction, and rolled back with it.
      const rolledBack = store.transaction(async (tx) => {
        await tx.remoteActors.upsert({ ...actor, name: "Cy Again" });
        expect((await tx.remoteActors.findByUri(actor.uri))?.name).toBe("Cy Again");
        throw new Error("roll back");
      });
      await expect(rolledBack).rejects.toThrow("roll back");
      expect(await store.remoteActors.findByUri(actor.uri)).toMatchObject({ name: null, organisation: "Elsewhere Council" });
    });

    it("keeps domain blocks, and ends the follows of exactly the blocked domain's actors and its subdomains", async () => {
      const ada = await store.actors.create(person("ada"), []);
      const remote = (uri: string) =>
        store.remoteActors.upsert({
          uri,
          type: "Person",
          handle: null,
          name: null,
          url: null,
          iconUrl: null,
          inbox: `${uri}/inbox`,
          sharedInbox: null,
        });
      const uris = [
        "https://spam.example/users/a",
        "https://sub.spam.example/users/b",
        "https://spam.example:8443/users/c",
        "https://notspam.example/users/d",
        "https://spam.example.org/users/e",
        "https://elsewhere.example/spam.example/f",
      ];
      for (const [i, uri] of uris.entries()) await store.follows.addFollower(ada.id, (await remote(uri)).id, `${uri}#follow-${i}`);

      const block = { domain: "spam.example", reason: "Spam", createdAt: new Date(5_000), createdBy: ada.id };
      expect(await store.domainBlocks.put(block)).toBe(true);
      expect(await store.domainBlocks.put({ ...block, reason: "Spam, still" })).toBe(false);
      expect(await store.domainBlocks.find("spam.example")).toEqual({ ...block, reason: "Spam, still" });
      expect(await store.domainBlocks.blockedAmong(["sub.spam.example", "spam.example", "other.example"])).toEqual(["spam.example"]);
      expect(await store.domainBlocks.blockedAmong([])).toEqual([]);

      expect(await store.transaction((tx) => tx.domainBlocks.removeFollowersOn("spam.example"))).toBe(3);
      const left = (await store.follows.followers(ada.id, null, 10)).items.map((f) => f.uri).sort();
      expect(left).toEqual([
        "https://elsewhere.example/spam.example/f",
        "https://notspam.example/users/d",
        "https://spam.example.org/users/e",
      ]);

      expect((await store.domainBlocks.list()).map((b) => b.domain)).toEqual(["spam.example"]);
      expect(await store.domainBlocks.remove("spam.example")).toBe(true);
      expect(await store.domainBlocks.remove("spam.example")).toBe(false);
      expect(await store.domainBlocks.list()).toEqual([]);
    });

    it("hides what a blocked domain sent, its subdomains' too, and nothing from a host that only looks alike", async () => {
      const ada = await store.actors.create(person("ada"), []);
      await store.posts.insert(weeknote("w1", ada.id, [], new Date(1000)), []);
      for (const host of ["a_b.example", "axb.example", "x.a_b.example"]) {
        const author = await store.remoteActors.upsert({
          uri: `https://${host}/users/u`,
          type: "Person",
          handle: `@u@${host}`,
          name: null,
          url: null,
          iconUrl: null,
          inbox: `https://${host}/users/u/inbox`,
          sharedInbox: null,
        });
        await store.interactions.saveReply({
          uri: `https://${host}/notes/1`,
          postId: "w1",
          inReplyTo: "w1",
          remoteActorId: author.id,
          url: null,
          contentHtml: "",
          publishedAt: new Date(2000),
          updatedAt: null,
        });
      }
      await store.domainBlocks.put({ domain: "a_b.example", reason: "", createdAt: new Date(3000), createdBy: null });
      expect((await store.interactions.replies("w1")).map((r) => new URL(r.uri).host)).toEqual(["axb.example"]);
    });

    it("finds weeknotes by a tag exactly", async () => {
      const ada = await store.actors.create(person("ada"), []);
      await store.posts.insert(weeknote("w1", ada.id, ["Bins", "data"], new Date(1000)), []);
      await store.posts.insert(weeknote("w2", ada.id, ["bins"], new Date(2000)), []);
      expect((await store.posts.listByTag("bins", 10)).map((p) => p.id)).toEqual(["w2"]);
      expect((await store.posts.listByTag("data", 10)).map((p) => p.id)).toEqual(["w1"]);
      expect(await store.posts.listByTag("dat", 10)).toEqual([]);
    });

    it("keeps memberships across servers: one per community and account, found by activity, with members' posts newest first", async () => {
      const team = await store.actors.create({ ...person("team"), kind: "community" }, []);
      const bob = await store.remoteActors.upsert({
        uri: "https://remote.example/users/bob",
        type: "Person",
        handle: "@bob@remote.example",
        name: "Bob",
        url: null,
        iconUrl: null,
        inbox: "https://remote.example/users/bob/inbox",
        sharedInbox: null,
        organisation: "Northshire Council",
      });
      const member = {
        id: "m1",
        communityId: team.id,
        target: bob.uri,
        remoteActorId: bob.id,
        role: "member" as const,
        state: "invited" as const,
        channel: "invite" as const,
        activityUri: "https://here.example/activities/invite-m1",
        invitedBy: null,
        expiresAt: null,
      };
      await store.memberships.addMember(member);
      await expect(store.memberships.addMember({ ...member, id: "m2" })).rejects.toThrow();
      expect((await store.memberships.memberByActivity(member.activityUri))?.person?.organisation).toBe("Northshire Council");
      expect(await store.memberships.activeRole(team.id, bob.uri)).toBeNull();
      await store.memberships.updateMember("m1", { state: "active", role: "facilitator" });
      expect(await store.memberships.activeRole(team.id, bob.uri)).toBe("facilitator");

      for (const [uri, receivedAt] of [
        ["https://remote.example/posts/1", 1000],
        ["https://remote.example/posts/2", 2000],
      ] as const) {
        await store.interactions.saveRemotePost({
          uri,
          announcedBy: null,
          type: "Article",
          name: uri,
          summary: null,
          contentHtml: "",
          url: null,
          inReplyTo: null,
          decision: null,
          publishedAt: new Date(receivedAt),
          updatedAt: null,
          remoteActorId: bob.id,
        });
        expect(await store.memberships.addCommunityPost(team.id, uri, bob.id)).toBe(true);
        await queryRows(database, `UPDATE community_posts SET received_at = ${receivedAt} WHERE post_uri = '${uri}'`);
      }
      expect(await store.memberships.addCommunityPost(team.id, "https://remote.example/posts/1", bob.id)).toBe(false);
      expect((await store.memberships.communityPosts(team.id, null, 10)).map((p) => p.uri)).toEqual([
        "https://remote.example/posts/2",
        "https://remote.example/posts/1",
      ]);
      expect((await store.memberships.communityPosts(team.id, new Date(2000), 10)).map((p) => p.uri)).toEqual([
        "https://remote.example/posts/1",
      ]);
      expect(await store.memberships.communityOfPost("https://remote.example/posts/2")).toEqual([team.id]);
    });

    it("pages followers who followed at the same moment without losing or repeating one", async () => {
      const team = await store.actors.create({ ...person("team"), kind: "community" }, []);
      for (let i = 0; i < 7; i++) {
        const remote = await store.remoteActors.upsert({
          uri: `https://remote.example/users/${i}`,
          type: "Person",
          handle: `u${i}@remote.example`,
          name: `U${i}`,
          url: null,
          iconUrl: null,
          inbox: `https://remote.example/users/${i}/inbox`,
          sharedInbox: "https://remote.example/inbox",
        });
        await store.follows.addFollower(team.id, remote.id, `https://remote.example/follows/${i}`);
      }
      await queryRows(database, "UPDATE followers SET created_at = 1000");
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await store.follows.followers(team.id, cursor, 3);
        seen.push(...page.items.map((f) => f.uri));
        cursor = page.next;
      } while (cursor);
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);
      expect(await store.follows.removeFollowersAtInbox("https://remote.example/inbox")).toBe(7);
      expect(await store.follows.countFollowers(team.id)).toBe(0);
    });

    it("finds a remote actor by its handle whatever its case, and lists the open reports of some communities only", async () => {
      const zoe = await store.remoteActors.upsert({
        uri: "https://Remote.example/users/Zoe",
        type: "Person",
        handle: "@Zoe@remote.example",
        name: null,
        url: null,
        iconUrl: null,
        inbox: "https://remote.example/users/Zoe/inbox",
        sharedInbox: null,
      });
      expect((await store.remoteActors.findByHandle("@zoe@REMOTE.example"))?.id).toBe(zoe.id);
      expect(await store.remoteActors.findByHandle("@zoe@elsewhere.example")).toBeNull();

      const [team, crew] = [
        await store.actors.create({ handle: "team", kind: "community", displayName: "team", summary: "" }, []),
        await store.actors.create({ handle: "crew", kind: "community", displayName: "crew", summary: "" }, []),
      ];
      const report = (id: string, communityId: number | null, at: number) =>
        store.reports.create({
          id,
          createdAt: new Date(at),
          reporterId: null,
          reporterUri: null,
          subjectKind: "reply",
          subjectUri: `https://remote.example/notes/${id}`,
          communityId,
          remoteAuthorUri: zoe.uri,
          snapshot: "",
          category: "spam",
          note: "",
        });
      await report("00000000-0000-4000-8000-000000000001", team.id, 1000);
      await report("00000000-0000-4000-8000-000000000002", crew.id, 2000);
      await report("00000000-0000-4000-8000-000000000003", null, 3000);
      const ids = async (communityIds?: number[]) => (await store.reports.list("open", 10, communityIds)).map((r) => r.id.slice(-1));
      expect(await ids()).toEqual(["1", "2", "3"]);
      expect(await ids([team.id])).toEqual(["1"]);
      expect(await ids([crew.id, team.id])).toEqual(["1", "2"]);
      expect(await ids([])).toEqual([]);
    });
  });
});
