import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Role } from "../../src/domain/types.ts";
import { page } from "../helpers/html.ts";
import { startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "correct horse battery";
const EVIL = { origin: "https://evil.example" };

/** The team as each test starts: one administrator of its own, a member and an observer. */
const TEAM: Record<string, Role> = { alice: "admin", bob: "member", olive: "observer" };
const OTHERS = ["ada", "cy", "dora", "otto"];

describe("community administration from the web", () => {
  let instance: RunningInstance;
  /** Signed-in clients, by handle: ada administers the instance, alice the team. */
  const as: Record<string, WebClient> = {};

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    const { actors } = instance.services;
    const people = {
      ada: "Ada Admin",
      alice: "Alice Lead",
      bob: "Bob Builder",
      olive: "Olive Observer",
      otto: "Otto Outsider",
      cy: "Cy Clerk",
      dora: "Dora Gone",
    };
    for (const [handle, displayName] of Object.entries(people)) await actors.createPerson({ handle, displayName, password: PASSWORD });
    await actors.makeAdmin("ada");
    await actors.createCommunity({ handle: "team", name: "The Team", purpose: "Working in the open." });
    for (const handle of ["ada", "alice", "bob", "olive", "otto"]) {
      as[handle] = new WebClient(instance, instance.origin);
      await as[handle].signIn(handle, PASSWORD);
    }
    await actors.deactivate((await actors.find("ada"))!, "dora");
  });
  afterAll(async () => {
    await instance?.stop();
  });

  beforeEach(async () => {
    const { actors } = instance.services;
    const team = (await actors.find("team"))!;
    for (const [handle, role] of Object.entries(TEAM)) await actors.addMember("team", handle, role);
    for (const handle of OTHERS) await instance.store.actors.removeMembership(team.id, (await actors.find(handle))!.id);
  });

  const roleIn = async (community: string, handle: string) => {
    const { actors } = instance.services;
    return instance.store.actors.membership((await actors.find(community))!.id, (await actors.find(handle))!.id);
  };
  const teamRoles = async () => {
    const team = (await instance.services.actors.find("team"))!;
    const members = await instance.store.actors.membershipsOfCommunity(team.id);
    return Object.fromEntries(members.map((m) => [m.person.handle, m.role]));
  };
  const communityCount = async () => (await instance.services.actors.list("community")).length;

  describe("creating a community", () => {
    it("offers the form on the administration page, and mentions the command line once", async () => {
      await as.ada!.get("/admin");
      const administration = page(as.ada!.lastHtml);
      expect(administration.text("h2#create-community-title")).toBe("Create a community");
      const form = administration.within('form[action="/admin/communities"]');
      expect(administration.attr('form[action="/admin/communities"]', "method")).toBe("post");
      expect(administration.attr('form[action="/admin/communities"]', "novalidate")).not.toBeNull();
      for (const field of ["handle", "name", "purpose"]) expect(form.count(`label[for="${field}"]`), field).toBe(1);
      expect(administration.text()).toContain("The command line can do this too");
      expect(administration.text()).not.toContain("Communities are created on the server");
      expect(administration.count('a[href="/@team/members"]')).toBeGreaterThan(0);
    });

    it("creates it and goes to its page, where the administrator who created it is its administrator", async () => {
      await as.ada!.get("/admin");
      const res = await as.ada!.post("/admin/communities", { handle: "designers", name: "The Designers", purpose: "Design in the open." });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/@designers");
      const created = (await instance.services.actors.find("designers"))!;
      expect(created).toMatchObject({ kind: "community", displayName: "The Designers", summary: "Design in the open." });

      expect((await as.ada!.get("/@designers")).status).toBe(200);
      const community = page(as.ada!.lastHtml);
      expect(community.text("h1")).toBe("The Designers");
      expect(community.count('a[href="/@designers/members"]')).toBeGreaterThan(0);
      expect((await as.ada!.get("/@designers/members")).status).toBe(200);
      const ada = (await instance.services.actors.find("ada"))!;
      expect(await instance.store.actors.membership(created.id, ada.id)).toBe("admin");
    });

    it("shows every problem next to its field, keeping the text and creating nothing (400)", async () => {
      const before = await communityCount();
      await as.ada!.get("/admin");
      const res = await as.ada!.post("/admin/communities", { handle: "Not a handle!", name: "  ", purpose: "Kept <purpose> text" });
      expect(res.status).toBe(400);
      const shown = page(as.ada!.lastHtml);
      expect(shown.text(".error-summary h2")).toBe("There is a problem");
      expect(shown.text('.error-summary a[href="#handle"]')).toBe("Handle: use 1 to 30 of a-z, 0-9 and _");
      expect(shown.text('.error-summary a[href="#name"]')).toBe("Name: required");
      expect(shown.text("#handle-error")).toMatch(/^Error: Use 1 to 30 of a-z, 0-9 and _/);
      expect(shown.text("#name-error")).toMatch(/^Error: Required/);
      expect(shown.value('input#handle[name="handle"]')).toBe("Not a handle!");
      expect(shown.value('textarea[name="purpose"]')).toBe("Kept <purpose> text");
      expect(shown.attr("input#handle", "aria-invalid")).toBe("true");
      expect(await communityCount()).toBe(before);
    });

    it("refuses a handle that is taken (409), keeping the text", async () => {
      const before = await communityCount();
      await as.ada!.get("/admin");
      const res = await as.ada!.post("/admin/communities", { handle: "bob", name: "Bob's Club", purpose: "Clubbing." });
      expect(res.status).toBe(409);
      const shown = page(as.ada!.lastHtml);
      expect(shown.text('.error-summary a[href="#handle"]')).toBe("Handle: already taken");
      expect(shown.value('input[name="name"]')).toBe("Bob's Club");
      expect(await communityCount()).toBe(before);
      expect((await instance.services.actors.find("bob"))!.kind).toBe("person");
    });

    it("is for instance administrators only: others get 403, signed-out visitors go to sign in", async () => {
      const before = await communityCount();
      await as.alice!.get("/");
      expect((await as.alice!.post("/admin/communities", { handle: "mine", name: "Mine", purpose: "Mine." })).status).toBe(403);
      const visitor = new WebClient(instance, instance.origin);
      await visitor.get("/sign-in");
      const res = await visitor.post("/admin/communities", { handle: "mine", name: "Mine", purpose: "Mine." });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/sign-in?next=/admin");
      expect(await instance.services.actors.find("mine")).toBeNull();
      expect(await communityCount()).toBe(before);
    });

    it("refuses a forged form (403) and creates nothing", async () => {
      await as.ada!.get("/admin");
      expect((await as.ada!.post("/admin/communities", { _csrf: "forged", handle: "forged", name: "F", purpose: "F." })).status).toBe(403);
      expect((await as.ada!.post("/admin/communities", { handle: "forged", name: "F", purpose: "F." }, EVIL)).status).toBe(403);
      expect(await instance.services.actors.find("forged")).toBeNull();
    });
  });

  describe("who may manage a community's members", () => {
    it("lets the community's administrators and the instance's in", async () => {
      for (const handle of ["alice", "ada"]) {
        const res = await as[handle]!.get("/@team/members");
        expect(res.status, handle).toBe(200);
        expect(page(as[handle]!.lastHtml).text("h1")).toBe("Members of The Team");
      }
    });

    it("refuses members, observers and outsiders (403)", async () => {
      for (const handle of ["bob", "olive", "otto"]) {
        expect((await as[handle]!.get("/@team/members")).status, handle).toBe(403);
        expect((await as[handle]!.get("/@team/members/bob/remove")).status, handle).toBe(403);
      }
    });

    it("sends signed-out visitors to sign in, and back afterwards", async () => {
      const visitor = new WebClient(instance, instance.origin);
      for (const path of ["/@team/members", "/@team/members/bob/remove"]) {
        const res = await visitor.get(path);
        expect(res.status).toBe(303);
        expect(res.headers.get("location")).toBe("/sign-in?next=/@team/members");
      }
      await visitor.get("/sign-in?next=/@team/members");
      const signIn = await visitor.post("/sign-in", { handle: "alice", password: PASSWORD, next: "/@team/members" });
      expect(signIn.headers.get("location")).toBe("/@team/members");
    });

    it("answers 404 for a community that does not exist, or a person", async () => {
      expect((await as.ada!.get("/@nowhere/members")).status).toBe(404);
      expect((await as.ada!.get("/@bob/members")).status).toBe(404);
    });

    it("shows the Manage members link on the community's page only to those who may", async () => {
      for (const [handle, shown] of [
        ["alice", true],
        ["ada", true],
        ["bob", false],
        ["otto", false],
      ] as const) {
        await as[handle]!.get("/@team");
        expect(page(as[handle]!.lastHtml).count('a[href="/@team/members"]') > 0, handle).toBe(shown);
      }
      const visitor = new WebClient(instance, instance.origin);
      await visitor.get("/@team");
      const community = page(visitor.lastHtml);
      expect(community.text("h1")).toBe("The Team");
      expect(community.count('a[href="/@team/members"]')).toBe(0);
    });
  });

  describe("the members page", () => {
    it("lists members with a labelled role control and a remove link each, every id unique", async () => {
      await as.alice!.get("/@team/members");
      const members = page(as.alice!.lastHtml);
      const bob = members.within("tr", "@bob");
      expect(bob.text('a[href="/@bob"]')).toBe("Bob Builder");
      expect(bob.text('label.visually-hidden[for="role-bob"]')).toBe("Role of Bob Builder");
      expect(bob.attr("select#role-bob", "name")).toBe("role");
      expect(bob.value("select#role-bob")).toBe("member");
      expect(bob.text("select#role-bob option[selected]")).toBe("Member");
      expect(bob.count('form[action="/@team/members/bob/role"]')).toBe(1);
      expect(bob.count('a[href="/@team/members/bob/remove"]')).toBe(1);
      expect(members.within("tr", "@olive").text("select option[selected]")).toBe("Observer");
      expect(members.within("tr", "@alice").text()).toContain("(you)");

      const ids = members.attrs("[id]", "id");
      expect(new Set(ids).size).toBe(ids.length);
      for (const control of members.attrs('select[id], input[id]:not([type="hidden"])', "id")) {
        expect(members.count(`label[for="${control}"]`), control!).toBeGreaterThan(0);
      }
      // The add form: a handle, and the four roles, each saying what it may do.
      expect(members.text('label[for="person"]')).toBe("Their handle");
      expect(members.texts("legend")).toContain("Role");
      expect(members.attr("input#new-role", "name")).toBe("role");
      expect(members.attr("input#new-role", "value")).toBe("admin");
      expect(members.text()).toContain("Manages the community and its members, and publishes.");
      expect(members.text()).toContain("Publishes, and edits other members' weeknotes.");
      expect(members.attr('input[name="role"][checked]', "value")).toBe("member");
    });
  });

  describe("adding a member", () => {
    it("adds a person with the chosen role and says so", async () => {
      await as.alice!.get("/@team/members");
      const res = await as.alice!.post("/@team/members", { person: "@Cy", role: "facilitator" });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/@team/members?added=cy");
      expect(await roleIn("team", "cy")).toBe("facilitator");

      await as.alice!.get("/@team/members?added=cy");
      const members = page(as.alice!.lastHtml);
      expect(members.text(".notice")).toContain("Cy Clerk has been added to The Team as a facilitator.");
      expect(members.within("tr", "@cy").value("select")).toBe("facilitator");
      await as.alice!.get("/@team");
      expect(page(as.alice!.lastHtml).texts('a[href="/@cy"]')).toContain("Cy Clerk");
    });

    it("lets an instance administrator add someone to a community they are not in", async () => {
      await as.ada!.get("/@team/members");
      expect((await as.ada!.post("/@team/members", { person: "cy", role: "admin" })).status).toBe(303);
      expect(await roleIn("team", "cy")).toBe("admin");
      expect(await roleIn("team", "ada")).toBeNull();
    });

    it("shows an unknown person next to the handle, keeping the text and adding no one (400)", async () => {
      const before = await teamRoles();
      await as.alice!.get("/@team/members");
      const res = await as.alice!.post("/@team/members", { person: "nobody", role: "observer" });
      expect(res.status).toBe(400);
      const shown = page(as.alice!.lastHtml);
      expect(shown.text("title")).toMatch(/^Error: Members of The Team/);
      expect(shown.text('.error-summary a[href="#person"]')).toBe("Their handle: there is no one here with the handle @nobody");
      expect(shown.text("#person-error")).toMatch(/^Error: There is no one here with the handle @nobody/);
      expect(shown.value('input[name="person"]')).toBe("nobody");
      expect(shown.attr('input[name="role"][checked]', "value")).toBe("observer");
      expect(await teamRoles()).toEqual(before);
    });

    // People on other servers are invited instead: test/web/remote-members.test.ts.
    it("refuses communities, no handle, a made-up role and the deactivated (400)", async () => {
      const before = await teamRoles();
      await as.alice!.get("/@team/members");
      const cases: [Record<string, string>, string, string][] = [
        [{ person: "team", role: "member" }, "person", "There is no one here with the handle @team"],
        [{ person: "", role: "member" }, "person", "Required"],
        [{ person: "cy", role: "king" }, "new-role", "Choose one of admin, facilitator, member, observer"],
        [{ person: "dora", role: "member" }, "person", "This person's account is deactivated"],
      ];
      for (const [fields, id, message] of cases) {
        const res = await as.alice!.post("/@team/members", fields);
        expect(res.status, JSON.stringify(fields)).toBe(400);
        expect(page(as.alice!.lastHtml).text(`#${id}-error`)).toContain(`Error: ${message}`);
      }
      expect(await teamRoles()).toEqual(before);
    });

    it("refuses someone who is already a member (409) without changing their role", async () => {
      await as.alice!.get("/@team/members");
      const res = await as.alice!.post("/@team/members", { person: "bob", role: "admin" });
      expect(res.status).toBe(409);
      expect(page(as.alice!.lastHtml).text()).toContain("Already a member: change their role in the list of members");
      expect(await roleIn("team", "bob")).toBe("member");
    });
  });

  describe("changing a role", () => {
    it("changes it and says so", async () => {
      await as.alice!.get("/@team/members");
      const res = await as.alice!.post("/@team/members/bob/role", { role: "facilitator" });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/@team/members?changed=bob");
      expect(await roleIn("team", "bob")).toBe("facilitator");
      await as.alice!.get("/@team/members?changed=bob");
      expect(page(as.alice!.lastHtml).text(".notice")).toContain("Bob Builder is now a facilitator of The Team.");
    });

    it("shows a made-up role next to the member's row (400), changing nothing", async () => {
      await as.alice!.get("/@team/members");
      expect((await as.alice!.post("/@team/members/bob/role", { role: "king" })).status).toBe(400);
      const members = page(as.alice!.lastHtml);
      expect(members.text('.error-summary a[href="#role-bob"]')).toBe(
        "Role of Bob Builder: choose one of admin, facilitator, member, observer",
      );
      expect(members.within("tr", "@bob").text("#role-bob-error")).toContain("Choose one of");
      expect(await roleIn("team", "bob")).toBe("member");
    });

    it("answers 404 for someone who is not a member, or does not exist, adding no one", async () => {
      await as.alice!.get("/@team/members");
      expect((await as.alice!.post("/@team/members/otto/role", { role: "admin" })).status).toBe(404);
      expect((await as.alice!.post("/@team/members/nobody/role", { role: "admin" })).status).toBe(404);
      expect(await roleIn("team", "otto")).toBeNull();
    });
  });

  describe("removing a member", () => {
    it("asks first, then removes and says so", async () => {
      const confirm = await as.alice!.get("/@team/members/bob/remove");
      expect(confirm.status).toBe(200);
      const asked = page(as.alice!.lastHtml);
      expect(asked.text("h1")).toBe("Remove Bob Builder from The Team?");
      expect(asked.text()).toContain("Bob Builder is a member of The Team.");
      expect(asked.attr('form[action="/@team/members/bob/remove"]', "method")).toBe("post");
      expect(asked.texts('a[href="/@team/members"]')).toContain("Cancel");
      expect(await roleIn("team", "bob")).toBe("member");

      const res = await as.alice!.post("/@team/members/bob/remove", {});
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/@team/members?removed=bob");
      expect(await roleIn("team", "bob")).toBeNull();
      await as.alice!.get("/@team/members?removed=bob");
      const members = page(as.alice!.lastHtml);
      expect(members.text(".notice")).toContain("Bob Builder has been removed from The Team.");
      expect(members.count("#role-bob")).toBe(0);
    });

    it("answers 404 for someone who is not a member", async () => {
      expect((await as.alice!.get("/@team/members/otto/remove")).status).toBe(404);
      expect((await as.alice!.get("/@team/members/nobody/remove")).status).toBe(404);
      await as.alice!.get("/@team/members");
      expect((await as.alice!.post("/@team/members/otto/remove", {})).status).toBe(404);
    });

    it("lets a community administrator leave once there is another; they then land on the community's page", async () => {
      await instance.services.actors.addMember("team", "cy", "admin");
      await as.alice!.get("/@team/members/alice/remove");
      expect(page(as.alice!.lastHtml).text()).toContain("You are an administrator of The Team.");
      const res = await as.alice!.post("/@team/members/alice/remove", {});
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/@team");
      expect(await roleIn("team", "alice")).toBeNull();
      expect((await as.alice!.get("/@team/members")).status).toBe(403);
    });
  });

  describe("a community keeps an administrator", () => {
    it("refuses to demote or remove the last one, saying why next to their row (400)", async () => {
      for (const client of [as.alice!, as.ada!]) {
        await client.get("/@team/members");
        expect((await client.post("/@team/members/alice/role", { role: "member" })).status).toBe(400);
        const members = page(client.lastHtml);
        expect(members.text('.error-summary a[href="#role-alice"]')).toBe(
          "Role of Alice Lead: Alice Lead is the only administrator; make someone else an administrator first",
        );
        expect(members.within("tr", "@alice").count("#role-alice-error")).toBe(1);
        expect((await client.post("/@team/members/alice/remove", {})).status).toBe(400);
        expect(page(client.lastHtml).count('.error-summary a[href="#role-alice"]')).toBe(1);
        expect(await roleIn("team", "alice")).toBe("admin");
      }
    });

    it("does not count a deactivated administrator", async () => {
      await instance.services.actors.addMember("team", "dora", "admin");
      await as.alice!.get("/@team/members");
      expect(page(as.alice!.lastHtml).within("tr", "@dora").text()).toContain("(deactivated)");
      expect((await as.alice!.post("/@team/members/alice/role", { role: "member" })).status).toBe(400);
      expect(await roleIn("team", "alice")).toBe("admin");
      // The deactivated one can go, though.
      expect((await as.alice!.post("/@team/members/dora/remove", {})).status).toBe(303);
      expect(await roleIn("team", "dora")).toBeNull();
    });

    it("allows it once someone else is an administrator", async () => {
      await as.alice!.get("/@team/members");
      expect((await as.alice!.post("/@team/members/bob/role", { role: "admin" })).status).toBe(303);
      const res = await as.alice!.post("/@team/members/alice/role", { role: "member" });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/@team");
      expect(await teamRoles()).toEqual({ alice: "member", bob: "admin", olive: "observer" });
    });
  });

  describe("forged or unauthorised changes change nothing", () => {
    const changes: [string, Record<string, string>][] = [
      ["/@team/members", { person: "otto", role: "admin" }],
      ["/@team/members/bob/role", { role: "admin" }],
      ["/@team/members/bob/remove", {}],
      ["/@team/members/alice/remove", {}],
    ];

    it("refuses a forged token or another origin (403)", async () => {
      const before = await teamRoles();
      await as.alice!.get("/@team/members");
      for (const [path, fields] of changes) {
        expect((await as.alice!.post(path, { ...fields, _csrf: "forged" })).status, path).toBe(403);
        expect((await as.alice!.post(path, fields, EVIL)).status, path).toBe(403);
      }
      expect(await teamRoles()).toEqual(before);
    });

    it("refuses members, observers and outsiders (403)", async () => {
      const before = await teamRoles();
      for (const handle of ["bob", "olive", "otto"]) {
        await as[handle]!.get("/");
        for (const [path, fields] of changes) expect((await as[handle]!.post(path, fields)).status, `${handle} ${path}`).toBe(403);
      }
      expect(await teamRoles()).toEqual(before);
    });

    it("sends a signed-out post to sign in", async () => {
      const before = await teamRoles();
      const visitor = new WebClient(instance, instance.origin);
      await visitor.get("/sign-in");
      for (const [path, fields] of changes) {
        const res = await visitor.post(path, fields);
        expect(res.status, path).toBe(303);
        expect(res.headers.get("location")).toBe("/sign-in?next=/@team/members");
      }
      expect(await teamRoles()).toEqual(before);
    });
  });
});
