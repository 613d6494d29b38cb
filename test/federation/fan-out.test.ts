import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor, RemoteActorInput } from "../../src/domain/types.ts";
import { DeliveryService } from "../../src/services/deliveries.ts";
import { queryRows } from "../helpers/database.ts";
import { FakeMastodon } from "../helpers/fake-mastodon.ts";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

const PAGE_SIZE = 3;

/**
 * federation/outbox/recipients.ts: an activity for all of an actor's
 * followers reads them a page at a time, and still reaches every inbox once.
 * The follower page is made small here, so that a handful of followers fill
 * several pages.
 */
describe("fan-out to followers, a page at a time", () => {
  let connexo: RunningInstance;
  /** Followers with an inbox each and no shared inbox. */
  let own: FakeMastodon;
  /** Followers behind one shared inbox, as on Mastodon. */
  let shared: FakeMastodon;
  let alice: Actor;
  let postId: string;
  /** How many followers each page the outbox read held. */
  const pages: number[] = [];

  const ownInbox = (name: string) => `${own.origin}/users/${name}/inbox`;
  const follower = (fake: FakeMastodon, name: string, sharedInbox: boolean): RemoteActorInput => fake.accountInput(name, { sharedInbox });
  const follow = async (handle: string, actor: RemoteActorInput) =>
    expect(await connexo.services.follows.receiveFollow(handle, actor, `${actor.uri}#follows/${handle}`)).toBe("accepted");

  /** Each accepted delivery of this activity type, by inbox URL (a repeated one shows up twice). */
  const deliveries = (type: string) =>
    [own, shared].flatMap((fake) =>
      fake.inboxPosts
        .filter((post) => post.status === 202 && (JSON.parse(post.body) as { type?: string }).type === type)
        .map((post) => `${fake.origin}${post.path}`),
    );
  const settled = () =>
    eventually(
      async () => {
        const [row] = await queryRows<{ n: number }>(connexo.database, "SELECT count(*) AS n FROM queue_messages");
        return Number(row!.n) === 0;
      },
      30_000,
      "both queues to drain",
    );

  beforeAll(async () => {
    [connexo, own, shared] = await Promise.all([startInstance(), FakeMastodon.start([]), FakeMastodon.start([])]);
    ({ person: alice } = await seedCommunity(connexo, { person: "alice", community: "team" }));
    // The outbox reads followers through the delivery service: give it small pages.
    const small = new DeliveryService(connexo.store, { followerPageSize: PAGE_SIZE });
    const read = small.followerPage.bind(small);
    small.followerPage = async (actorId, cursor) => {
      const page = await read(actorId, cursor);
      pages.push(page.items.length);
      return page;
    };
    connexo.services.deliveries = small;

    // Alice: seven followers with inboxes of their own and five behind one shared inbox, mixed so that
    // the shared inbox comes up on several pages. The community: two of alice's followers, one of the
    // shared inbox's, and one of its own.
    for (let i = 0; i < 7; i++) {
      await follow("alice", follower(own, `own${i}`, false));
      if (i < 5) await follow("alice", follower(shared, `shared${i}`, true));
    }
    await follow("team", follower(own, "own0", false));
    await follow("team", follower(own, "own1", false));
    await follow("team", follower(shared, "shared0", true));
    await follow("team", follower(own, "member", false));
  });
  afterAll(async () => {
    await Promise.all([connexo?.stop(), own?.close(), shared?.close()]);
  });

  it("sends a new post's Create to every follower and its Announce to the community's, each inbox once", async () => {
    const post = await connexo.services.weeknotes.publish("team", alice, { title: "Week 3", summary: "Paged.", body: "To everyone." });
    postId = post.id;
    const aliceInboxes = [...Array.from({ length: 7 }, (_, i) => ownInbox(`own${i}`)), `${shared.origin}/inbox`];
    const teamInboxes = [ownInbox("own0"), ownInbox("own1"), ownInbox("member"), `${shared.origin}/inbox`];
    await eventually(() => aliceInboxes.every((inbox) => deliveries("Create").includes(inbox)), 30_000, "the Create everywhere");
    await eventually(() => teamInboxes.every((inbox) => deliveries("Announce").includes(inbox)), 30_000, "the Announce everywhere");
    await settled();
    expect(deliveries("Create").sort()).toEqual(aliceInboxes.sort());
    expect(deliveries("Announce").sort()).toEqual(teamInboxes.sort());
    // A public post may be passed on, so it carries a proof (Ed25519) that servers receiving it second-hand can check.
    const create = JSON.parse(own.inboxPosts.find((p) => (JSON.parse(p.body) as { type?: string }).type === "Create")!.body);
    expect(create.proof).toMatchObject({ type: "DataIntegrityProof", cryptosuite: "eddsa-jcs-2022" });
    // Twelve followers of alice came in pages of three at most (and the community's four after them).
    expect(pages.length).toBeGreaterThanOrEqual(4 + 2);
    expect(Math.max(...pages)).toBeLessThanOrEqual(PAGE_SIZE);
  });

  it("sends an edit to the followers of the author and of the community, each inbox once", async () => {
    await connexo.services.weeknotes.edit(postId, alice, { title: "Week 3, amended", summary: "Paged.", body: "To everyone, again." });
    const everyone = [...Array.from({ length: 7 }, (_, i) => ownInbox(`own${i}`)), ownInbox("member"), `${shared.origin}/inbox`];
    await eventually(() => everyone.every((inbox) => deliveries("Update").includes(inbox)), 30_000, "the Update everywhere");
    await settled();
    expect(deliveries("Update").sort()).toEqual(everyone.sort());
  });
});
