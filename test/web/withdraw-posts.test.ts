import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RemoteActorInput } from "../../src/domain/types.ts";
import { queryRows } from "../helpers/database.ts";
import { page } from "../helpers/html.ts";
import { startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";

/** Someone or some community on another server, as its actor document describes it. */
const remote = (path: string, name: string, type = "Person"): RemoteActorInput => ({
  uri: `https://other.example/${path}`,
  type,
  handle: `@${path.split("/").pop()}@other.example`,
  name,
  url: `https://other.example/@${path.split("/").pop()}`,
  iconUrl: null,
  inbox: `https://other.example/${path}/inbox`,
  sharedInbox: null,
});

/** A post published elsewhere. */
const postAt = (uri: string, name: string, announcedBy: string | null = null) => ({
  uri,
  inReplyTo: null,
  type: "Article",
  name,
  summary: null,
  contentHtml: "<p>Things.</p>",
  url: uri,
  announcedBy,
  decision: null,
  publishedAt: new Date(),
  updatedAt: null,
});

describe("taking posts out of a community, from the web", () => {
  let instance: RunningInstance;
  const as: Record<string, WebClient> = {};

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    const { actors } = instance.services;
    for (const [handle, displayName] of Object.entries({ alice: "Alice Admin", fran: "Fran Facilitator", bob: "Bob Member" })) {
      await actors.createPerson({ handle, displayName, password: PASSWORD });
    }
    await actors.createCommunity({ handle: "team", name: "The Team", purpose: "Working in the open." });
    await actors.addMember("team", "alice", "admin");
    await actors.addMember("team", "fran", "facilitator");
    await actors.addMember("team", "bob", "member");
    for (const handle of ["alice", "fran", "bob"]) {
      as[handle] = new WebClient(instance, instance.origin);
      await as[handle].signIn(handle, PASSWORD);
    }
  });
  afterAll(async () => {
    await instance?.stop();
  });

  describe("a member's post from elsewhere, on the community's page", () => {
    const author = remote("users/fay", "Fay Elsewhere");
    const postUri = "https://other.example/posts/1";

    beforeAll(async () => {
      const { communityMembers, actors } = instance.services;
      expect(await communityMembers.receiveJoin("team", author, "https://other.example/joins/1")).toBe("requested");
      const asked = (await communityMembers.members((await actors.find("team"))!)).find((m) => m.person?.uri === author.uri)!;
      await communityMembers.answerRequest((await actors.find("alice"))!, "team", asked.id, true);
      const shared = await communityMembers.receiveMemberPost("team", {
        post: postAt(postUri, "Our week"),
        author,
        activityUri: "https://other.example/activities/1",
      });
      expect(shared).toBe("shared");
    });

    it("gives a plain member no button, and refuses their form", async () => {
      const shown = page(await (await as.bob!.get("/@team")).text());
      const section = shown.within('[aria-labelledby="from-elsewhere"]');
      expect(section.text()).toContain("Our week");
      expect(section.count("form")).toBe(0);

      const res = await as.bob!.post("/@team/shared/withdraw", { post: postUri });
      expect(res.status).toBe(403);
      const again = page(await (await as.bob!.get("/@team")).text());
      expect(again.text('[aria-labelledby="from-elsewhere"]')).toContain("Our week");
    });

    it("gives a facilitator a labelled button, which takes the post off the page", async () => {
      const shown = page(await (await as.fran!.get("/@team")).text());
      expect(shown.attr('[aria-labelledby="from-elsewhere"] form', "method")).toBe("post");
      const form = shown.within('form[action="/@team/shared/withdraw"]');
      expect(form.value('input[name="post"]')).toBe(postUri);
      expect(form.value('input[name="_csrf"]')).not.toBe("");
      expect(form.text("button")).toBe("Take out of The Team: Our week");
      expect(form.text("button .visually-hidden")).toBe(": Our week");

      const res = await as.fran!.post("/@team/shared/withdraw", { post: postUri });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/@team?withdrawn=1");
      const after = page(await (await as.fran!.get(res.headers.get("location")!)).text());
      expect(after.text(".notice")).toBe("The post has been taken out of The Team.");
      expect(after.count('[aria-labelledby="from-elsewhere"]')).toBe(0);
      expect(after.text()).not.toContain("Our week");
    });

    it("says nothing to someone who may not take posts out", async () => {
      const shown = page(await (await as.bob!.get("/@team?withdrawn=1")).text());
      expect(shown.count(".notice")).toBe(0);
    });
  });

  describe("a post boosted by a community elsewhere, on the Following page", () => {
    const community = remote("groups/parks", "The Parks Team", "Group");
    const author = remote("users/gus", "Gus Elsewhere");
    const postUri = "https://other.example/posts/2";
    const withdrawals = async () =>
      (
        await queryRows<{ n: number }>(
          instance.database,
          "SELECT count(*) AS n FROM queue_messages WHERE payload LIKE '%elsewhere.withdraw%'",
        )
      )[0]!.n;

    beforeAll(async () => {
      const { store } = instance;
      const { membershipsElsewhere, actors, interactions } = instance.services;
      for (const handle of ["fran", "bob"]) {
        const person = (await actors.find(handle))!;
        await membershipsElsewhere.receiveInvite(handle, community, {
          uri: `${community.uri}/invites/${handle}`,
          role: "member",
          membershipUri: null,
        });
        const invited = (await membershipsElsewhere.of(person)).find((m) => m.community?.uri === community.uri)!;
        await membershipsElsewhere.answerInvitation(person, invited.id, true);
        // Both follow the community, so what it boosts reaches their Following page.
        const following = await store.follows.createFollowing({ id: `f-parks-${handle}`, actorId: person.id, target: community.uri }, []);
        const saved = await store.remoteActors.upsert(community);
        await store.follows.resolveFollowing(following.id, saved.id, "accepted");
      }
      expect(
        await membershipsElsewhere.receiveMemberChange("fran", community.uri, { action: "role", role: "facilitator", membershipUri: null }),
      ).toBe(true);
      expect(await interactions.receiveRemotePost(postAt(postUri, "Park opening", community.uri), author)).toBe(true);
    });

    it("gives a member who does not moderate the community no button, and refuses their form", async () => {
      const shown = page(await (await as.bob!.get("/timeline")).text());
      expect(shown.text(".post-list")).toContain("Park opening");
      expect(shown.count('form[action="/timeline/withdraw"]')).toBe(0);

      const before = await withdrawals();
      const res = await as.bob!.post("/timeline/withdraw", { community: community.uri, post: postUri });
      expect(res.status).toBe(403);
      expect(await withdrawals()).toBe(before);
    });

    it("gives a facilitator of the community a labelled button, which asks it to take the post out", async () => {
      const shown = page(await (await as.fran!.get("/timeline")).text());
      const form = shown.within('form[action="/timeline/withdraw"]');
      expect(form.value('input[name="community"]')).toBe(community.uri);
      expect(form.value('input[name="post"]')).toBe(postUri);
      expect(form.text("button")).toBe("Take out of The Parks Team: Park opening");

      const before = await withdrawals();
      const res = await as.fran!.post("/timeline/withdraw", { community: community.uri, post: postUri });
      expect(res.status).toBe(303);
      const location = res.headers.get("location")!;
      expect(location).toBe(`/timeline?withdrawn=${encodeURIComponent(community.uri)}`);
      expect(await withdrawals()).toBe(before + 1);
      const after = page(await (await as.fran!.get(location)).text());
      expect(after.text(".notice")).toBe("Asked The Parks Team to take the post out.");
    });
  });
});
