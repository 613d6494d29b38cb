import type { Actor } from "../../src/domain/types.ts";
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
  const instance: RunningInstance = await startInstance({}, { serve: false, worker: false });
  const { actors } = instance.services;
  await actors.createCommunity({ handle: "team", name: "The Team", purpose: "Working in the open." });
  await actors.createCommunity({ handle: "other", name: "The Others", purpose: "Another team." });
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
  const form = new RegExp(`<form[^>]*id="${formId}"[^>]*>([\\s\\S]*?)</form>`).exec(html)?.[1] ?? "";
  const decode = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  const fields: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const before = fields[name];
    fields[name] = before === undefined ? value : [before, value].flat();
  };
  for (const [tag] of form.matchAll(/<input [^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(tag)?.[1];
    if (!name || name === "_csrf") continue;
    if (/type="checkbox"/.test(tag) && !/checked/.test(tag)) continue;
    add(decode(name), decode(/value="([^"]*)"/.exec(tag)?.[1] ?? ""));
  }
  for (const [, name, value] of form.matchAll(/<textarea [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g))
    add(decode(name!), decode(value!));
  return fields;
}
