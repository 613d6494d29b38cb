import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMessageQueue } from "../../federation/queue.ts";
import { createQueueTable } from "../../src/storage/queue-table.ts";
import { page } from "../helpers/html.ts";
import { eventually, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "correct horse battery";
const SLOW = "https://slow.example";
const GONE = "https://gone.example";

/** What Fedify queues to deliver one activity to one inbox (the parts the page reads). */
const delivery = (inbox: string, n: number) => ({
  type: "outbox",
  id: `delivery-${n}`,
  activityId: `https://connexo.example/activities/${n}`,
  activityType: "https://www.w3.org/ns/activitystreams#Create",
  inbox,
  activity: { id: `https://connexo.example/activities/${n}`, type: "Create" },
});

describe("failed messages (dead letters)", () => {
  let instance: RunningInstance;
  let admin: WebClient;
  let bob: WebClient;
  let table: ReturnType<typeof createQueueTable>;

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    const { actors } = instance.services;
    await actors.createPerson({ handle: "ada", displayName: "Ada Admin", password: PASSWORD });
    await actors.makeAdmin("ada");
    await actors.createPerson({ handle: "bob", displayName: "Bob Builder", password: PASSWORD });
    admin = new WebClient(instance, instance.origin);
    await admin.signIn("ada", PASSWORD);
    bob = new WebClient(instance, instance.origin);
    await bob.signIn("bob", PASSWORD);
    table = createQueueTable(instance.database);
  });
  afterAll(async () => {
    await instance?.stop();
  });

  /** Each test starts with three dead deliveries to one server, one to another, and one dead event. */
  beforeEach(async () => {
    await table.discardDead(["fedify", "events"], { all: true });
    const dead = (inbox: string, n: number) => ({ payload: JSON.stringify(delivery(inbox, n)), origin: new URL(inbox).origin });
    await table.insert(
      "fedify:dead",
      [1, 2, 3].map((n) => dead(`${SLOW}/inbox`, n)),
      null,
      Date.now(),
    );
    await table.insert("fedify:dead", [dead(`${GONE}/users/x/inbox`, 4)], null, Date.now());
    await table.insert("events:dead", [{ payload: JSON.stringify({ type: "post.published", postId: 1 }), origin: null }], null, Date.now());
  });

  const deadIds = async (origin?: string | null) =>
    (await table.listDead(["fedify", "events"], 100)).filter((m) => origin === undefined || m.origin === origin).map((m) => m.id);

  it("refuses people who are not administrators (403), changing nothing", async () => {
    expect((await bob.get("/admin/dead-letters")).status).toBe(403);
    await bob.get("/");
    const [id] = await deadIds(SLOW);
    expect((await bob.post(`/admin/dead-letters/${id}/retry`, {})).status).toBe(403);
    expect((await bob.post(`/admin/dead-letters/${id}/discard`, {})).status).toBe(403);
    expect((await bob.post("/admin/dead-letters/servers/discard", { origin: SLOW })).status).toBe(403);
    expect(await deadIds()).toHaveLength(5);
    await expect(instance.services.deadLetters.overview((await instance.services.actors.find("bob"))!)).rejects.toThrow(/administrators/);
  });

  it("sends signed-out visitors to sign in", async () => {
    const visitor = new WebClient(instance, instance.origin);
    const res = await visitor.get("/admin/dead-letters");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/sign-in?next=/admin/dead-letters");
  });

  it("lists them by server, with counts, what each was, and its buttons", async () => {
    const res = await admin.get("/admin/dead-letters");
    expect(res.status).toBe(200);
    const p = page(admin.lastHtml);
    expect(p.texts("h2")).toEqual([SLOW, GONE, "No remote server (our own events and fan-outs)"]);
    const slow = p.within("section", SLOW);
    expect(slow.text("p")).toBe("3 messages.");
    expect(slow.count("tbody tr")).toBe(3);
    expect(slow.text("tbody tr")).toContain(`to ${SLOW}/inbox`);
    expect(slow.text("tbody tr")).toContain("https://connexo.example/activities/3");
    expect(slow.texts("button")).toContain("Retry all for https://slow.example");
    expect(slow.texts("button")).toContain(`Discard message ${(await deadIds(SLOW))[0]}`);
    // Every form carries its token; the administration page links here.
    expect(p.count("form")).toBe(p.count('form input[name="_csrf"]'));
    await admin.get("/admin");
    expect(page(admin.lastHtml).count('a[href="/admin/dead-letters"]')).toBe(1);
  });

  it("requires the form token", async () => {
    await admin.get("/admin/dead-letters");
    const [id] = await deadIds(SLOW);
    expect((await admin.post(`/admin/dead-letters/${id}/discard`, { _csrf: "forged" })).status).toBe(403);
    expect((await admin.post(`/admin/dead-letters/${id}/retry`, { _csrf: "" })).status).toBe(403);
    expect(await deadIds()).toHaveLength(5);
  });

  it("retries one: it leaves the dead queue, with its attempts reset, and a worker takes it at once", async () => {
    const queue = createMessageQueue(instance.database, { queue: "fedify", concurrency: 4, leaseMs: 60_000, pollIntervalMs: 60_000 });
    const received: unknown[] = [];
    const stop = new AbortController();
    // A listener that sleeps for a minute between looks: only the retry's wake-up makes it look sooner.
    const listening = queue.listen((message) => void received.push(message), { signal: stop.signal });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await admin.get("/admin/dead-letters");
      const [id] = await deadIds(GONE);
      const res = await admin.post(`/admin/dead-letters/${id}/retry`, {});
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/admin/dead-letters?retried=1");
      expect(await deadIds(GONE)).toEqual([]);
      await eventually(() => received.length > 0, 10_000, "the retried message handled");
      expect(received).toEqual([delivery(`${GONE}/users/x/inbox`, 4)]);
      await admin.get("/admin/dead-letters?retried=1");
      expect(page(admin.lastHtml).text('[role="status"]')).toBe("1 message put back on the queue, to be tried at once.");
    } finally {
      stop.abort();
      await listening;
    }
  });

  it("retries a server's messages, due now and claimable, with no attempts counted", async () => {
    await admin.get("/admin/dead-letters");
    const res = await admin.post("/admin/dead-letters/servers/retry", { origin: SLOW });
    expect(res.headers.get("location")).toBe("/admin/dead-letters?retried=3");
    expect(await deadIds()).toHaveLength(2);
    const claimed = await table.claim("fedify", Date.now() + 1, Date.now() + 60_000, 10, { perOrigin: 10, running: {} });
    expect(claimed.map((m) => [m.origin, m.attempts])).toEqual([
      [SLOW, 1],
      [SLOW, 1],
      [SLOW, 1],
    ]);
    await table.remove(claimed.map((m) => m.id));
  });

  it("discards one, and a server's, and those that concern no server", async () => {
    await admin.get("/admin/dead-letters");
    const [first] = await deadIds(SLOW);
    expect((await admin.post(`/admin/dead-letters/${first}/discard`, {})).headers.get("location")).toBe("/admin/dead-letters?discarded=1");
    expect(await deadIds(SLOW)).toHaveLength(2);
    expect((await admin.post("/admin/dead-letters/servers/discard", { origin: SLOW })).headers.get("location")).toBe(
      "/admin/dead-letters?discarded=2",
    );
    expect((await admin.post("/admin/dead-letters/servers/discard", { origin: "none" })).headers.get("location")).toBe(
      "/admin/dead-letters?discarded=1",
    );
    expect(await deadIds()).toEqual(await deadIds(GONE));
    expect(await deadIds()).toHaveLength(1);
    // Nothing went back to a live queue.
    expect(await table.depth("fedify", Date.now())).toMatchObject({ queued: 0 });
  });

  it("answers 404 for a message that is not dead", async () => {
    await admin.get("/admin/dead-letters");
    expect((await admin.post("/admin/dead-letters/999999/retry", {})).status).toBe(404);
    expect((await admin.post("/admin/dead-letters/999999/discard", {})).status).toBe(404);
  });
});
