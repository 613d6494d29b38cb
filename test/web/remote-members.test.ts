import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../src/cli/commands.ts";
import type { RemoteActorInput, RemoteMember } from "../../src/domain/types.ts";
import { page } from "../helpers/html.ts";
import { startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "correct horse battery";

/** Someone on another server, as their server describes them. */
const remote = (name: string, host = "other.example", organisation?: string): RemoteActorInput => ({
  uri: `https://${host}/users/${name}`,
  type: "Person",
  handle: `${name}@${host}`,
  name: `${name[0]!.toUpperCase()}${name.slice(1)} Elsewhere`,
  url: `https://${host}/@${name}`,
  iconUrl: null,
  inbox: `https://${host}/users/${name}/inbox`,
  sharedInbox: null,
  ...(organisation ? { organisation } : {}),
});

describe("members on other servers, from the web", () => {
  let instance: RunningInstance;
  const as: Record<string, WebClient> = {};
  let joins = 0;

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    const { actors } = instance.services;
    for (const [handle, displayName] of Object.entries({ ada: "Ada Admin", alice: "Alice Lead", bob: "Bob Builder" })) {
      await actors.createPerson({ handle, displayName, password: PASSWORD });
    }
    await actors.makeAdmin("ada");
    await actors.createCommunity({ handle: "team", name: "The Team", purpose: "Working in the open." });
    await actors.addMember("team", "alice", "admin");
    await actors.addMember("team", "bob", "member");
    for (const handle of ["ada", "alice", "bob"]) {
      as[handle] = new WebClient(instance, instance.origin);
      await as[handle].signIn(handle, PASSWORD);
    }
  });
  afterAll(async () => {
    await instance?.stop();
  });

  const team = async () => (await instance.services.actors.find("team"))!;
  const remoteMembers = async () => instance.services.communityMembers.members(await team());

  beforeEach(async () => {
    for (const m of await remoteMembers()) await instance.store.memberships.removeMember(m.id);
    await instance.services.actors.addMember("team", "alice", "admin");
  });

  /** Someone elsewhere asking to join, as the inbox records their Join. */
  async function request(name: string, organisation?: string): Promise<RemoteMember> {
    const person = remote(name, "other.example", organisation);
    expect(await instance.services.communityMembers.receiveJoin("team", person, `https://other.example/joins/${++joins}`)).toBe(
      "requested",
    );
    return (await remoteMembers()).find((m) => m.person?.uri === person.uri)!;
  }

  /** Someone elsewhere who is an active member, with this role. */
  async function activeMember(name: string, role = "member", organisation?: string): Promise<RemoteMember> {
    const asked = await request(name, organisation);
    const alice = (await instance.services.actors.find("alice"))!;
    return instance.services.communityMembers.answerRequest(alice, "team", asked.id, true, role);
  }

  describe("inviting someone elsewhere", () => {
    it("invites @bob@other.example as facilitator: one record, shown with its state", async () => {
      await as.alice!.get("/@team/members");
      const res = await as.alice!.post("/@team/members", { person: "@bob@other.example", role: "facilitator" });
      expect(res.status).toBe(303);
      const stored = await remoteMembers();
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ target: "@bob@other.example", role: "facilitator", state: "resolving" });
      expect(res.headers.get("location")).toBe(`/@team/members?invited=${stored[0]!.id}`);

      await as.alice!.get(res.headers.get("location")!);
      const shown = page(as.alice!.lastHtml);
      expect(shown.text('[role="status"]')).toContain("invitation is sent in the background");
      const row = shown.within('section[aria-labelledby="elsewhere-title"] tbody tr', "@bob@other.example");
      expect(row.text()).toContain("resolving");

      // The lookup found them and sent an Invite.
      await instance.services.communityMembers.invitationResolved(stored[0]!.id, remote("bob"), {
        channel: "invite",
        activityUri: "https://here.example/activities/invite-1",
      });
      await as.alice!.get("/@team/members");
      const invited = page(as.alice!.lastHtml).within('section[aria-labelledby="elsewhere-title"] tbody tr', "Bob Elsewhere");
      expect(invited.text()).toContain("invitation sent");
      expect(invited.text()).toContain("other.example");
      expect(invited.count(`form[action="/@team/members/elsewhere/${stored[0]!.id}/remove"]`)).toBe(1);
      expect(await remoteMembers()).toHaveLength(1);
    });

    it("says how long an invitation by direct message stays open", async () => {
      await as.alice!.get("/@team/members");
      await as.alice!.post("/@team/members", { person: "carol@other.example", role: "member" });
      const [member] = await remoteMembers();
      await instance.services.communityMembers.invitationResolved(member!.id, remote("carol"), {
        channel: "message",
        activityUri: "https://here.example/notes/invitation",
      });
      await as.alice!.get("/@team/members");
      const row = page(as.alice!.lastHtml).within('section[aria-labelledby="elsewhere-title"] tbody tr', "Carol Elsewhere");
      expect(row.text()).toMatch(/invited as member by direct message, open until \d+ \w+ \d{4}/i);
      expect(row.count("time[datetime]")).toBe(1);
    });

    it("shows a lookup that found no one, with a button to remove it", async () => {
      await as.alice!.get("/@team/members");
      await as.alice!.post("/@team/members", { person: "@nobody@other.example", role: "member" });
      const [member] = await remoteMembers();
      await instance.services.communityMembers.invitationResolved(member!.id, null, null);
      await as.alice!.get("/@team/members");
      const row = page(as.alice!.lastHtml).within('section[aria-labelledby="elsewhere-title"] tbody tr', "@nobody@other.example");
      expect(row.text()).toContain("Could not be found");
      const res = await as.alice!.post(`/@team/members/elsewhere/${member!.id}/remove`, {});
      expect(res.status).toBe(303);
      expect(await remoteMembers()).toHaveLength(0);
    });

    it("shows a bad handle or role next to its field and stores nothing", async () => {
      await as.alice!.get("/@team/members");
      const badHandle = await as.alice!.post("/@team/members", { person: "@bob@", role: "member" });
      expect(badHandle.status).toBe(400);
      const shown = page(as.alice!.lastHtml);
      expect(shown.text("#person-error")).toMatch(/^Error: Give their handle as @user@server/);
      expect(shown.value("input#person")).toBe("@bob@");

      await as.alice!.get("/@team/members");
      const badRole = await as.alice!.post("/@team/members", { person: "@bob@other.example", role: "boss" });
      expect(badRole.status).toBe(400);
      expect(page(as.alice!.lastHtml).text("#new-role-error")).toMatch(/^Error: Choose one of/);
      expect(await remoteMembers()).toHaveLength(0);
    });

    it("refuses someone who is not a manager (403), storing nothing", async () => {
      await as.bob!.get("/@team");
      const res = await as.bob!.post("/@team/members", { person: "@eve@other.example", role: "admin" });
      expect(res.status).toBe(403);
      expect(await remoteMembers()).toHaveLength(0);
      const member = await request("dan");
      const accept = await as.bob!.post(`/@team/members/elsewhere/${member.id}/accept`, { role: "admin" });
      expect(accept.status).toBe(403);
      expect((await remoteMembers())[0]!.state).toBe("requested");
    });
  });

  describe("requests to join", () => {
    it("accepts a request with the role chosen", async () => {
      const asked = await request("dan");
      await as.alice!.get("/@team/members");
      const row = page(as.alice!.lastHtml).within('section[aria-labelledby="elsewhere-title"] tbody tr', "Dan Elsewhere");
      expect(row.text()).toContain("Asking to join");
      expect(row.count(`label[for="remote-${asked.id}"]`)).toBe(1);
      expect(row.count(`form[action="/@team/members/elsewhere/${asked.id}/reject"]`)).toBe(1);

      const res = await as.alice!.post(`/@team/members/elsewhere/${asked.id}/accept`, { role: "observer" });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`/@team/members?accepted=${asked.id}`);
      expect((await remoteMembers())[0]).toMatchObject({ state: "active", role: "observer" });
      await as.alice!.get(res.headers.get("location")!);
      expect(page(as.alice!.lastHtml).text('[role="status"]')).toBe("Dan Elsewhere is now an observer of The Team.");
    });

    it("rejects a request", async () => {
      const asked = await request("dan");
      await as.alice!.get("/@team/members");
      const res = await as.alice!.post(`/@team/members/elsewhere/${asked.id}/reject`, {});
      expect(res.status).toBe(303);
      expect(await remoteMembers()).toHaveLength(0);
      await as.alice!.get(res.headers.get("location")!);
      expect(page(as.alice!.lastHtml).text('[role="status"]')).toContain("declined");
    });
  });

  describe("active members elsewhere", () => {
    it("changes the role of an active member, then removes them", async () => {
      const member = await activeMember("erin");
      await as.alice!.get("/@team/members");
      const row = page(as.alice!.lastHtml).within('section[aria-labelledby="elsewhere-title"] tbody tr', "Erin Elsewhere");
      expect(row.value(`select#remote-${member.id}`)).toBe("member");

      const changed = await as.alice!.post(`/@team/members/elsewhere/${member.id}/role`, { role: "facilitator" });
      expect(changed.status).toBe(303);
      expect((await remoteMembers())[0]!.role).toBe("facilitator");
      await as.alice!.get(changed.headers.get("location")!);
      expect(page(as.alice!.lastHtml).text('[role="status"]')).toBe("Erin Elsewhere is now a facilitator of The Team.");

      await as.alice!.get("/@team/members");
      const removed = await as.alice!.post(`/@team/members/elsewhere/${member.id}/remove`, {});
      expect(removed.status).toBe(303);
      expect(await remoteMembers()).toHaveLength(0);
    });

    it("refuses to demote or remove the last administrator, saying why next to the row", async () => {
      const member = await activeMember("erin", "admin");
      const teamId = (await team()).id;
      const alice = (await instance.services.actors.find("alice"))!;
      // Erin elsewhere is left the only administrator; the instance's administrator manages the team.
      await instance.store.actors.removeMembership(teamId, alice.id);
      await as.ada!.get("/@team/members");
      for (const [action, fields] of [
        ["remove", {}],
        ["role", { role: "member" }],
      ] as const) {
        const res = await as.ada!.post(`/@team/members/elsewhere/${member.id}/${action}`, fields);
        expect(res.status, action).toBe(400);
        const shown = page(as.ada!.lastHtml);
        expect(shown.text(`#remote-${member.id}-error`)).toContain("only administrator");
        expect(shown.count(`.error-summary a[href="#remote-${member.id}"]`)).toBe(1);
        expect(shown.attr(`select#remote-${member.id}`, "aria-invalid")).toBe("true");
      }
      expect((await remoteMembers())[0]).toMatchObject({ state: "active", role: "admin" });
    });
  });

  describe("the community's page", () => {
    it("groups members by organisation and lists posts from members elsewhere", async () => {
      await activeMember("fay", "member", "Ministry of Examples");
      await activeMember("gus");
      await request("hal");
      const html = await (await instance.app.request(`${instance.origin}/@team`, { headers: { accept: "text/html" } })).text();
      const shown = page(html);
      const people = shown.within('[aria-labelledby="people"]');
      expect(people.text()).toContain("4 members from 3 organisations");
      expect(people.texts("h3")).toEqual([instance.config.instanceName, "Ministry of Examples", "other.example"]);
      expect(people.text()).toContain("Fay Elsewhere");
      expect(people.text()).not.toContain("Hal Elsewhere");
    });

    it("lists the latest posts by members elsewhere, with their author and organisation", async () => {
      await activeMember("fay", "member", "Ministry of Examples");
      const result = await instance.services.communityMembers.receiveMemberPost("team", {
        post: {
          uri: "https://other.example/posts/1",
          inReplyTo: null,
          type: "Article",
          name: "Our week",
          summary: "What we did.",
          contentHtml: "<p>Things.</p>",
          url: "https://other.example/@fay/1",
          announcedBy: null,
          decision: null,
          publishedAt: new Date(),
          updatedAt: null,
        },
        author: remote("fay", "other.example", "Ministry of Examples"),
        activityUri: "https://other.example/activities/1",
      });
      expect(result).toBe("shared");
      const html = await (await instance.app.request(`${instance.origin}/@team`, { headers: { accept: "text/html" } })).text();
      const section = page(html).within('[aria-labelledby="from-elsewhere"]');
      expect(section.attr("a", "href")).toBe("https://other.example/@fay/1");
      expect(section.text()).toContain("By Fay Elsewhere, Ministry of Examples");
    });
  });

  describe("a person's page and the directory", () => {
    it("says which communities a person is a member of, and where", async () => {
      const html = await (await instance.app.request(`${instance.origin}/@alice`, { headers: { accept: "text/html" } })).text();
      const item = page(html).within('[aria-labelledby="people"] li', "The Team");
      expect(item.text()).toContain(`Member of The Team, at ${instance.config.instanceName}`);
      expect(item.attr("a", "href")).toBe("/@team");
    });

    it("lists this instance's communities with their member counts", async () => {
      await activeMember("gus");
      const html = await (await instance.app.request(`${instance.origin}/communities`, { headers: { accept: "text/html" } })).text();
      const shown = page(html);
      expect(shown.text("h1")).toBe("Communities");
      const entry = shown.within("#here li", "The Team");
      expect(entry.attr("a", "href")).toBe("/@team");
      expect(entry.text()).toContain("Working in the open.");
      expect(entry.text()).toContain("3 members");
      expect(shown.count('nav a[href="/communities"]')).toBe(1);
    });
  });

  describe("communities elsewhere", () => {
    it("shows a person's active membership elsewhere on their page, and lists the community in the directory", async () => {
      const group = {
        ...remote("council", "city.example"),
        type: "Group",
        name: "City Council Team",
        url: "https://city.example/@council",
      };
      const saved = await instance.store.remoteActors.upsert(group);
      const alice = (await instance.services.actors.find("alice"))!;
      await instance.store.memberships.addElsewhere({
        id: "council-alice",
        personId: alice.id,
        target: group.uri,
        remoteActorId: saved.id,
        role: "member",
        state: "active",
        activityUri: "https://city.example/invites/1",
        membershipUri: null,
      });
      // A community elsewhere followed from here, and no one's membership.
      const followedGroup = { ...remote("planners", "region.example"), type: "Group", name: "Regional Planners" };
      const followed = await instance.store.remoteActors.upsert(followedGroup);
      await instance.store.follows.createFollowing({ id: "follow-planners", actorId: alice.id, target: followedGroup.uri }, []);
      await instance.store.follows.resolveFollowing("follow-planners", followed.id, "accepted");
      try {
        const profile = page(await (await instance.app.request(`${instance.origin}/@alice`, { headers: { accept: "text/html" } })).text());
        const item = profile.within('[aria-labelledby="people"] li', "City Council Team");
        expect(item.text()).toContain("Member of City Council Team, at city.example");
        expect(item.attr("a", "href")).toBe("https://city.example/@council");

        const directory = page(
          await (await instance.app.request(`${instance.origin}/communities`, { headers: { accept: "text/html" } })).text(),
        );
        const entry = directory.within("#elsewhere li", "City Council Team");
        expect(entry.text()).toContain("city.example");
        expect(entry.text()).toContain("1 member from here");
        expect(directory.within("#elsewhere li", "Regional Planners").text()).toContain("region.example · followed from here");
      } finally {
        await instance.store.memberships.removeElsewhere("council-alice");
      }
    });
  });

  describe("the JSON API", () => {
    it("invites someone elsewhere to a community the caller manages, and refuses anyone else", async () => {
      const call = async (handle: string, body: unknown) => {
        const token = await instance.services.tokens.issue(handle, "test");
        return instance.app.request(`${instance.origin}/api/v1/communities/team/members`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      };
      const refused = await call("bob", { account: "@jo@other.example", role: "member" });
      expect(refused.status).toBe(403);
      const res = await call("alice", { account: "@jo@other.example", role: "facilitator" });
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ account: "@jo@other.example", role: "facilitator", state: "resolving" });
      expect(await remoteMembers()).toHaveLength(1);
      expect((await call("alice", { account: "@jo@other.example", role: "boss" })).status).toBe(400);
    });
  });

  describe("the command line", () => {
    it("invites someone elsewhere with add-member, saying the invitation is being sent", async () => {
      const out = await commands["add-member"]!.run(
        instance.services,
        { community: "team", person: "@ivy@other.example", role: "member" },
        instance.config,
      );
      expect(out).toContain("the invitation is being sent");
      expect(out).toContain("@alice");
      expect(await remoteMembers()).toMatchObject([{ target: "@ivy@other.example", role: "member", state: "resolving" }]);
    });
  });
});
