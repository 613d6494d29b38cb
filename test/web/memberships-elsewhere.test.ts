import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RemoteActorInput, Role } from "../../src/domain/types.ts";
import { queryRows } from "../helpers/database.ts";
import { page } from "../helpers/html.ts";
import { startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";

/** A community on another server, as its actor document describes it. */
const remoteCommunity = (name: string): RemoteActorInput => ({
  uri: `https://other.example/groups/${name}`,
  type: "Group",
  handle: `@${name}@other.example`,
  name: `The ${name} team`,
  url: `https://other.example/@${name}`,
  iconUrl: null,
  inbox: `https://other.example/groups/${name}/inbox`,
  sharedInbox: null,
  organisation: "Other Council",
});

/** The weeknote form as a browser sends it, with an empty part for each file input left alone. */
function weeknoteForm(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (let slot = 1; slot <= 3; slot++) {
    form.append(`image-${slot}`, new File([], "", { type: "application/octet-stream" }));
    form.append(`image-${slot}-alt`, "");
  }
  return form;
}

describe("memberships of communities elsewhere, on the web", () => {
  let instance: RunningInstance;

  const signedIn = async (handle: string) => {
    const client = new WebClient(instance, instance.origin);
    await client.signIn(handle, PASSWORD);
    return client;
  };
  /** Invites a person here to a community elsewhere, as its signed Invite would; returns the membership's id. */
  const invite = async (person: string, community: string, role: Role) => {
    const actor = remoteCommunity(community);
    await instance.services.membershipsElsewhere.receiveInvite(person, actor, {
      uri: `${actor.uri}/invites/${person}`,
      role,
      membershipUri: null,
    });
    const own = await instance.services.membershipsElsewhere.of((await instance.services.actors.find(person))!);
    return own.find((m) => m.community?.uri === actor.uri)!.id;
  };
  const answeredEvents = async () =>
    (await queryRows<{ payload: string }>(instance.database, "SELECT payload FROM queue_messages WHERE queue = 'events'"))
      .map((r) => JSON.parse(r.payload) as { type: string; communityUri?: string })
      .filter((e) => e.type === "elsewhere.answered");
  const countPosts = async () => (await queryRows<{ n: number }>(instance.database, "SELECT count(*) AS n FROM posts"))[0]!.n;
  /** The memberships page, or where a form just sent the client (with its notice). */
  const membershipsPage = async (client: WebClient, after?: Response) => {
    const res = await client.get(after?.headers.get("location") ?? "/memberships");
    expect(res.status).toBe(200);
    return page(await res.text());
  };

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    for (const handle of ["alice", "bob", "carol", "dave"]) {
      await instance.services.actors.createPerson({ handle, displayName: `${handle} Example`, password: PASSWORD });
    }
  });
  afterAll(async () => {
    await instance?.stop();
  });

  it("sends signed-out visitors to sign in first", async () => {
    const client = new WebClient(instance, instance.origin);
    const res = await client.get("/memberships");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/sign-in?next=/memberships");
  });

  it("shows an invitation on the page and on the home page, and accepting it makes a membership", async () => {
    const id = await invite("alice", "parks", "member");
    const client = await signedIn("alice");

    const home = page(await (await client.get("/")).text());
    expect(home.text("#invitations-notice")).toBe("You have 1 invitation to join a community");
    expect(home.attr("#invitations-notice a", "href")).toBe("/memberships");
    expect(home.attr('nav a[href="/memberships"]', "href")).toBe("/memberships");

    const before = await membershipsPage(client);
    const invitation = before.within("#invitations-title + ul li", "The parks team");
    expect(invitation.text()).toContain("Other Council");
    expect(invitation.text()).toContain("Invites you as: Member");
    expect(invitation.attr("a", "href")).toBe("https://other.example/@parks");
    expect(invitation.attrs("form", "action")).toEqual([`/memberships/${id}/accept`, `/memberships/${id}/decline`]);
    expect(before.text("#memberships-title + p")).toContain("not a member of any community elsewhere");

    const accepted = await client.post(`/memberships/${id}/accept`, {});
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get("location")).toBe("/memberships?done=accepted");
    const after = await membershipsPage(client, accepted);
    expect(after.count("#invitations-title")).toBe(0);
    expect(after.text('[role="status"]')).toContain("Invitation accepted");
    const membership = after.within("#memberships-title + ul li", "The parks team");
    expect(membership.text()).toContain("Your role: Member");
    expect(membership.attr("form", "action")).toBe(`/memberships/${id}/leave`);
    expect((await answeredEvents()).filter((e) => e.communityUri === remoteCommunity("parks").uri)).toHaveLength(1);

    // Answered once: a second Accept finds no open invitation, and says nothing more to the community.
    expect((await client.post(`/memberships/${id}/accept`, {})).status).toBe(409);
    expect((await answeredEvents()).filter((e) => e.communityUri === remoteCommunity("parks").uri)).toHaveLength(1);
    expect(page(await (await client.get("/")).text()).count("#invitations-notice")).toBe(0);
  });

  it("declining an invitation removes it", async () => {
    const id = await invite("bob", "libraries", "member");
    const client = await signedIn("bob");
    expect((await membershipsPage(client)).text("#invitations-title + ul")).toContain("The libraries team");
    const res = await client.post(`/memberships/${id}/decline`, {});
    expect(res.headers.get("location")).toBe("/memberships?done=declined");
    const after = await membershipsPage(client);
    expect(after.count("#invitations-title")).toBe(0);
    expect(after.text()).not.toContain("The libraries team");
    expect(await instance.services.membershipsElsewhere.find(id)).toBeNull();
  });

  it("does not let anyone answer someone else's invitation", async () => {
    const id = await invite("carol", "harbour", "member");
    const bob = await signedIn("bob");
    await bob.get("/memberships");
    expect((await bob.post(`/memberships/${id}/accept`, {})).status).toBe(404);
    expect((await bob.post(`/memberships/${id}/leave`, {})).status).toBe(404);
    expect((await instance.services.membershipsElsewhere.find(id))?.state).toBe("invited");
  });

  it("shows a bad community address next to the field, and stores nothing", async () => {
    const client = await signedIn("dave");
    await client.get("/memberships");
    const res = await client.post("/memberships", { community: "not a handle" });
    expect(res.status).toBe(400);
    const form = page(await res.text());
    expect(form.text("#community-error")).toContain("Use @name@server");
    expect(form.attr("#community", "aria-invalid")).toBe("true");
    expect(form.value("#community")).toBe("not a handle");
    expect(form.text(".error-summary")).toContain("Community:");
    const dave = (await instance.services.actors.find("dave"))!;
    expect(await instance.services.membershipsElsewhere.of(dave)).toEqual([]);
  });

  it("asks to join a community elsewhere, and withdraws the request", async () => {
    const client = await signedIn("dave");
    await client.get("/memberships");
    const res = await client.post("/memberships", { community: "@rivers@other.example" });
    expect(res.headers.get("location")).toBe("/memberships?done=requested");
    const waiting = (await membershipsPage(client)).within("#requests-title + ul li", "@rivers@other.example");
    const action = waiting.attr("form", "action")!;
    expect(action).toMatch(/^\/memberships\/[^/]+\/leave$/);
    expect((await client.post(action, {})).headers.get("location")).toBe("/memberships?done=withdrawn");
    expect((await membershipsPage(client)).count("#requests-title")).toBe(0);
  });

  it("leaving a community removes it", async () => {
    const id = await invite("bob", "museums", "member");
    const client = await signedIn("bob");
    await client.get("/memberships");
    await client.post(`/memberships/${id}/accept`, {});
    expect((await membershipsPage(client)).text("#memberships-title + ul")).toContain("The museums team");
    const res = await client.post(`/memberships/${id}/leave`, {});
    expect(res.headers.get("location")).toBe("/memberships?done=left");
    const after = await membershipsPage(client, res);
    expect(after.text()).not.toContain("The museums team");
    expect(after.text('[role="status"]')).toContain("You have left the community");
  });

  describe("publishing a weeknote in a community elsewhere", () => {
    const weeknote = (community: string) =>
      weeknoteForm({
        community,
        title: "Week 12 in the parks",
        week: "2026-W12",
        summary: "We planted trees.",
        body: "Many trees.",
        action: "publish",
      });

    it("lets a member publish there, and names the community on the weeknote's page", async () => {
      const id = await invite("alice", "gardens", "member");
      const client = await signedIn("alice");
      await client.get("/memberships");
      await client.post(`/memberships/${id}/accept`, {});
      const community = remoteCommunity("gardens");

      const form = page(await (await client.get("/compose")).text());
      expect(form.text(`select#community option[value="${community.uri}"]`)).toBe("The gardens team (Other Council)");

      const res = await client.post("/compose", weeknote(community.uri));
      expect(res.status).toBe(303);
      const postId = /^\/posts\/([0-9a-f-]+)\?done=published$/.exec(res.headers.get("location") ?? "")![1]!;
      const post = (await instance.services.weeknotes.get(postId))!;
      const membership = (await instance.services.membershipsElsewhere.find(id))!;
      expect(post.communityId).toBeNull();
      expect(post.remoteCommunityId).toBe(membership.community!.id);

      const shown = page(await (await client.get(`/posts/${postId}`)).text());
      expect(shown.text(".post-header .meta")).toContain("in The gardens team");
      expect(shown.attr(`.post-header .meta a[href="${community.url}"]`, "href")).toBe(community.url);
    });

    it("does not let an observer publish there, and stores nothing", async () => {
      const id = await invite("carol", "zoo", "observer");
      const client = await signedIn("carol");
      await client.get("/memberships");
      await client.post(`/memberships/${id}/accept`, {});
      // An observer has nowhere to publish: the form is not offered.
      expect((await client.get("/compose")).status).toBe(403);
      const posts = await countPosts();
      const res = await client.post("/compose", weeknote(remoteCommunity("zoo").uri));
      expect(res.status).toBe(403);
      expect(await countPosts()).toBe(posts);
      const carol = (await instance.services.actors.find("carol"))!;
      await expect(
        instance.services.weeknotes.publish(remoteCommunity("zoo").uri, carol, { title: "T", summary: "S.", body: "B." }),
      ).rejects.toMatchObject({ code: "invalid", fields: { community: "not a community you publish in" } });
      expect(await countPosts()).toBe(posts);
    });
  });
});
