import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { DomainError } from "../../src/domain/errors.ts";
import { createTestDatabase, queryRows } from "../helpers/database.ts";
import { page } from "../helpers/html.ts";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const record = {
  title: "Move the bins service to the shared platform",
  question: "Should the bins service move to the shared platform next year?",
  context: "The current contract ends in March.",
  options: [
    { title: "Stay", description: "Renew the current contract." },
    { title: "Move", description: "Use the shared platform." },
  ],
  tags: "bins, platforms",
};

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => "done",
    (error: unknown) => (error instanceof DomainError ? error.code : String(error)),
  );

describe("decision records", () => {
  const dir = mkdtempSync(join(tmpdir(), "connexo-decisions-"));
  let instance: RunningInstance | null = null;
  afterAll(async () => {
    await instance?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("closes a consultation opened from the web at its time, even when the instance restarted meanwhile", async () => {
    // The clock moves on by hand, from a whole second (the form takes UTC, to the second).
    vi.useFakeTimers({ toFake: ["Date"], now: Math.ceil(Date.now() / 1000) * 1000 });
    try {
      await closesAfterRestart();
    } finally {
      vi.useRealTimers();
    }
  });

  async function closesAfterRestart() {
    const database = await createTestDatabase(dir);
    instance = await startInstance({ CONNEXO_DATABASE: database }, { serve: false, worker: false });
    // (No worker: nothing may close the consultation before the restart.)
    const { person } = await seedCommunity(instance, { person: "alice", community: "bins" });
    const { decisions } = instance.services;
    const proposed = await decisions.propose("bins", person, record);
    expect(proposed.status).toBe("proposed");
    expect(proposed.post.summary).toBe(`Proposed decision: ${record.question}`);

    expect(await code(decisions.decide(proposed.post.id, person, { decision: "", rationale: "", deciders: "" }))).toBe("invalid");
    // Opened from the web, closing a minute from now.
    const web = new WebClient(instance, instance.origin);
    await web.signIn("alice", "a long enough password");
    await web.get(`/decisions/${proposed.post.id}/open`);
    const closesAt = new Date(Date.now() + 60_000);
    const opened = await web.post(`/decisions/${proposed.post.id}/open`, { closesAt: closesAt.toISOString().slice(0, 19) });
    expect(opened.status).toBe(303);
    expect(await code(decisions.decide(proposed.post.id, person, { decision: "Move.", rationale: "Cheaper.", deciders: "alice" }))).toBe(
      "conflict",
    );
    // The process stops before the closing time, with the close waiting in the queue.
    await instance.stop();
    instance = null;

    instance = await startInstance({ CONNEXO_DATABASE: database }, { serve: false });
    vi.setSystemTime(closesAt);
    const closed = await eventually(
      async () => {
        const found = await instance!.services.decisions.get(proposed.post.id);
        return found?.status === "closed" ? found : null;
      },
      10_000,
      "the consultation to close",
    );
    expect(closed.consultationClosesAt?.getTime()).toBe(closesAt.getTime());
    const shown = page(await (await instance.app.request(`/decisions/${proposed.post.id}`, { headers: { accept: "text/html" } })).text());
    expect(shown.text(".post-header strong.status")).toBe("Comments closed");
    expect(shown.text('section[aria-labelledby="history-title"] li:last-child p.meta')).toMatch(/ · Automatically$/);
    const history = await instance.services.decisions.history(proposed.post.id);
    expect(history.map((h) => [h.action, h.toStatus, h.actorId])).toEqual([
      ["proposed", "proposed", person.id],
      ["opened", "open", person.id],
      ["closed", "closed", null],
    ]);
    expect(closed.post.version).toBe(3);
    // The handled message is removed once its handler has finished, with whatever else finished meanwhile.
    const dueEvents = async () =>
      (await queryRows<{ payload: string }>(instance!.database, "SELECT payload FROM queue_messages WHERE queue = 'events'")).map(
        (e) => JSON.parse(e.payload).type,
      );
    await eventually(async () => !(await dueEvents()).includes("decision.consultation-due"), 5_000, "the due event removed");
    expect(await dueEvents()).not.toContain("decision.consultation-due");
  }

  it("refuses moves out of order, by the wrong people, or without a reason, and changes nothing", async () => {
    const { services } = instance!;
    const alice = (await services.actors.find("alice"))!;
    const observer = await services.actors.createPerson({ handle: "olly", displayName: "Olly", password: "a long enough password" });
    await services.actors.addMember("bins", "olly", "observer");
    const d = await services.decisions.propose("bins", alice, record);
    const id = d.post.id;
    expect(await code(services.decisions.open(id, observer, { closesAt: new Date(Date.now() + 86_400_000) }))).toBe("forbidden");
    expect(await code(services.decisions.open(id, alice, { closesAt: new Date(Date.now() - 1000) }))).toBe("invalid");
    expect(await code(services.decisions.close(id, alice, {}))).toBe("conflict");
    expect(await code(services.decisions.supersede(id, alice, { by: id }))).toBe("conflict");
    expect(await code(services.decisions.withdraw(id, alice, {}))).toBe("invalid");
    expect((await services.decisions.history(id)).length).toBe(1);

    const decided = await services.decisions.decide(id, alice, {
      decision: "We move.",
      rationale: "It costs less.",
      deciders: "@alice, @bob@other.example",
    });
    expect(decided.deciders).toEqual(["alice", "bob@other.example"]);
    expect(decided.post.summary).toMatch(/^Decided on .*: We move\.$/);
    expect(
      await code(
        services.decisions.edit(id, alice, { ...record, decision: "We move in May.", rationale: "It costs less.", deciders: "alice" }),
      ),
    ).toBe("invalid");
    const amended = await services.decisions.edit(
      id,
      alice,
      { ...record, decision: "We move in May.", rationale: "It costs less.", deciders: "alice" },
      "The date was agreed.",
    );
    const last = (await services.decisions.history(id)).at(-1)!;
    expect([last.action, last.reason, last.changes]).toEqual(["amended", "The date was agreed.", ["decision", "deciders"]]);
    expect(amended.decision).toBe("We move in May.");

    const later = await services.decisions.propose("bins", alice, { ...record, title: "A later decision" });
    const superseded = await services.decisions.supersede(id, alice, { by: later.post.id });
    expect(superseded.status).toBe("superseded");
    expect((await services.decisions.get(later.post.id))!.supersedes).toEqual([id]);
    expect(await code(services.decisions.withdraw(id, alice, { reason: "No." }))).toBe("conflict");

    const register = await services.decisions.register({ communityId: d.post.communityId! });
    expect(register.counts).toMatchObject({ closed: 1, superseded: 1, proposed: 1 });
    expect((await services.decisions.register({ status: "superseded", tag: "BINS" })).items.map((i) => i.post.id)).toEqual([id]);
  });
});
