import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeUser } from "../helpers/fake-mastodon.ts";
import { eventually } from "../helpers/instance.ts";
import { follow, received, startInboxWorld, type InboxWorld } from "./inbox/setup.ts";

type Json = Record<string, any>;

/**
 * A profile edited here reaches Mastodon: followers of a person and of a
 * community receive an `Update` of the actor with what Mastodon shows (name,
 * bio as HTML, the picture as `icon` with its description, and profile
 * fields as `PropertyValue`s).
 */
describe("profile changes, as a Mastodon follower receives them", () => {
  let world: InboxWorld;
  let mira: FakeUser;

  const updatesOf = (uri: string) => received(world.mastodon).filter((a) => a.type === "Update" && (a.object as Json)?.id === uri);

  beforeAll(async () => {
    world = await startInboxWorld(["mira"]);
    mira = world.mastodon.user("mira");
    await world.send(follow(mira, world.aliceUri), mira, `${world.aliceUri}/inbox`);
    await world.send(follow(mira, world.teamUri), mira, world.teamInbox);
    await eventually(async () => (await world.connexo.store.follows.countFollowers(world.team.id)) === 1, 15_000, "mira following");
    await eventually(async () => (await world.connexo.store.follows.countFollowers(world.alice.id)) === 1, 15_000, "mira following alice");
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("sends a person's new name, bio, picture and fields to their followers", async () => {
    const picture = await sharp({ create: { width: 500, height: 500, channels: 3, background: "#205080" } })
      .jpeg()
      .toBuffer();
    await world.connexo.services.profiles.editPerson(world.alice, {
      displayName: "Alice Adeyemi",
      jobTitle: "Head of Roads",
      summary: "Roads, *pavements* and cycle lanes.",
      links: [{ name: "Blog", url: "https://blog.example/alice" }],
      avatar: new Uint8Array(picture),
      avatarAlt: "Alice in a hard hat",
    });
    const [update] = await eventually(
      async () => {
        const found = updatesOf(world.aliceUri);
        return found.length > 0 ? found : null;
      },
      15_000,
      "the Update of alice",
    );
    const actor = update!.object as Json;
    expect(update!.actor).toBe(world.aliceUri);
    expect([update!.cc].flat()).toContain(`${world.aliceUri}/followers`);
    expect(actor).toMatchObject({ type: "Person", name: "Alice Adeyemi", summary: "<p>Roads, <em>pavements</em> and cycle lanes.</p>" });
    expect(actor.icon).toMatchObject({ type: "Image", mediaType: "image/jpeg", name: "Alice in a hard hat" });
    expect(actor.icon.url).toMatch(new RegExp(`^${world.connexo.origin}/media/.+\\.jpg$`));
    expect(actor.attachment).toEqual([
      expect.objectContaining({ type: "PropertyValue", name: "Organisation" }),
      { type: "PropertyValue", name: "Job title", value: "Head of Roads" },
      expect.objectContaining({ type: "PropertyValue", name: "Blog", value: expect.stringContaining('href="https://blog.example/alice"') }),
    ]);
    // The picture it names is there to fetch.
    expect((await fetch(actor.icon.url)).status).toBe(200);
  });

  it("sends a community's new purpose, description and icon to its followers", async () => {
    const icon = await sharp({ create: { width: 100, height: 100, channels: 3, background: "#802050" } })
      .png()
      .toBuffer();
    await world.connexo.services.profiles.editCommunity(world.alice, "team", {
      displayName: "The Team",
      summary: "Working in the open.",
      description: "We publish every **Friday**.",
      links: [],
      avatar: new Uint8Array(icon),
      avatarAlt: "The team's logo",
    });
    const [update] = await eventually(
      async () => {
        const found = updatesOf(world.teamUri);
        return found.length > 0 ? found : null;
      },
      15_000,
      "the Update of the team",
    );
    const actor = update!.object as Json;
    expect(actor.type).toBe("Group");
    expect(actor.summary).toBe("<p>Working in the open.</p>\n<p>We publish every <strong>Friday</strong>.</p>");
    expect(actor.icon).toMatchObject({ mediaType: "image/png", name: "The team's logo" });
  });
});
