import type { Actor } from "../../src/domain/types.ts";
import { fieldValue, page } from "../helpers/html.ts";
import { startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";

/** A record's text, as form fields. */
export const TEXT = {
  title: "Move the bins service to the shared platform",
  question: "Should the bins service move to the shared platform next year?",
  context: "The current contract ends in **March**.",
  tags: "bins, platforms",
};

export const RECORD = {
  ...TEXT,
  options: [
    { title: "Stay", description: "Renew the current contract." },
    { title: "Move", description: "Use the shared platform." },
  ],
};

/** The people of a decision instance. */
export type Handle = "alice" | "mona" | "fay" | "olive" | "otto";

/**
 * An instance with two communities: in "team" alice and mona publish
 * (members), fay facilitates and olive observes; otto publishes only in
 * "other", where alice observes. Each of them signed in with a client of
 * their own. The records made here are alice's.
 */
export async function decisionInstance() {
  // The instance's clock runs with real time; `later` moves it on.
  let ahead = 0;
  const now = () => Date.now() + ahead;
  const instance: RunningInstance = await startInstance({}, { serve: false, worker: false, now });
  const { actors } = instance.services;
  // Open to replies: these tests are about the records, not reply policies.
  for (const community of [
    await actors.createCommunity({ handle: "team", name: "The Team", purpose: "Working in the open." }),
    await actors.createCommunity({ handle: "other", name: "The Others", purpose: "Another team." }),
  ])
    await instance.store.actors.setReplyPolicy(community.id, "open");
  const people: Handle[] = ["alice", "mona", "fay", "olive", "otto"];
  for (const handle of people) await actors.createPerson({ handle, displayName: `${handle} Example`, password: PASSWORD });
  await actors.addMember("team", "alice", "member");
  await actors.addMember("team", "mona", "member");
  await actors.addMember("team", "fay", "facilitator");
  await actors.addMember("other", "alice", "observer");
  await actors.addMember("team", "olive", "observer");
  await actors.addMember("other", "otto", "member");
  const alice: Actor = (await actors.find("alice"))!;
  const clients: Record<string, WebClient> = {};
  for (const handle of people) {
    clients[handle] = new WebClient(instance, instance.origin);
    await clients[handle].signIn(handle, PASSWORD);
  }
  const { decisions } = instance.services;
  return {
    instance,
    alice,
    /** The instance's time, in epoch milliseconds. */
    now,
    /** Moves the instance's clock on. */
    later: (ms: number) => {
      ahead += ms;
    },
    as: (handle: Handle) => clients[handle]!,
    /** A record alice proposed in the team. */
    propose: (title = RECORD.title) => decisions.propose("team", alice, { ...RECORD, title }),
    /** What a refused request must leave as it was. */
    state: async (id: string) => {
      const d = (await decisions.get(id))!;
      return { status: d.status, version: d.post.version, title: d.post.title, history: (await decisions.history(id)).length };
    },
  };
}

/** The fields of a form on a page, as a browser would send them back unchanged (text fields and ticked boxes). */
export function formFields(html: string, formId = "decision-form"): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const field of page(html).all(`form#${formId} input[name], form#${formId} textarea[name]`)) {
    const name = field.getAttribute("name")!;
    if (name === "_csrf") continue;
    if (field.getAttribute("type") === "checkbox" && !field.hasAttribute("checked")) continue;
    const before = fields[name];
    fields[name] = before === undefined ? fieldValue(field) : [before, fieldValue(field)].flat();
  }
  return fields;
}
