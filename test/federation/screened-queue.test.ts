import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../helpers/database.ts";
import { eventually } from "../helpers/eventually.ts";
import { deliver, FakeMastodon, type FakeUser } from "../helpers/fake-mastodon.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { follow } from "./inbox/setup.ts";

/**
 * An activity signed by its own actor that is not handled at once is queued
 * with the key owner the signature screen found, and Fedify does not check
 * its signature a second time: the listener compares that owner with the
 * actor once the worker takes it (federation/inbox/signer.ts).
 */
describe("a queued activity whose signature the screen checked", () => {
  let connexo: RunningInstance;
  let mastodon: FakeMastodon;
  let mira: FakeUser;
  let otto: FakeUser;
  const inbox = () => `${connexo.origin}/inbox`;
  const followers = async () =>
    (
      await queryRows<{ uri: string }>(
        connexo.database,
        "SELECT r.uri FROM followers f JOIN remote_actors r ON r.id = f.remote_actor_id ORDER BY r.uri",
      )
    ).map((row) => row.uri);
  const queueEmpty = async () =>
    (await queryRows<{ n: number }>(connexo.database, "SELECT count(*) AS n FROM queue_messages WHERE queue = 'fedify'"))[0]!.n === 0;

  beforeAll(async () => {
    [connexo, mastodon] = await Promise.all([startInstance({}), FakeMastodon.start(["mira", "otto"])]);
    [mira, otto] = [mastodon.user("mira"), mastodon.user("otto")];
    await seedCommunity(connexo, { person: "alice", community: "team" });
  });
  afterAll(async () => {
    await Promise.all([connexo?.stop(), mastodon?.close()]);
  });

  it("is taken by the worker and answered, with its actor's key fetched once", async () => {
    const sent = follow(mira, `${connexo.origin}/@team`);
    expect((await deliver(inbox(), sent, mira)).status).toBe(202);
    const accept = await eventually(
      () => mastodon.inboxPosts.map((post) => JSON.parse(post.body)).find((body) => body.type === "Accept"),
      10_000,
      "the Accept",
    );
    expect(accept).toMatchObject({ actor: `${connexo.origin}/@team`, object: { id: sent.id, actor: mira.id } });
    expect(await followers()).toEqual([mira.id]);
    expect(mastodon.gets.filter((path) => path === new URL(mira.id).pathname)).toHaveLength(1);
  });

  it("is dropped by the worker when its context makes its actor someone other than the key's owner", async () => {
    // The JSON's own "actor" names the signer, so it is queued unchecked by Fedify; as Fedify reads it, otto follows.
    const forged = {
      ...follow(mira, `${connexo.origin}/@team`),
      "@context": ["https://www.w3.org/ns/activitystreams", { actor: null }],
      "as:actor": { "@id": otto.id },
    };
    expect((await deliver(inbox(), forged, mira)).status).toBe(202);
    await eventually(queueEmpty, 10_000, "the forged Follow taken from the queue");
    expect(await followers()).toEqual([mira.id]);
    expect(mastodon.inboxPosts.map((post) => JSON.parse(post.body)).filter((body) => body.type === "Accept")).toHaveLength(1);
  });
});
