import { absoluteUrl, passwordResetPath } from "../domain/urls.ts";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { isElsewhere } from "../domain/elsewhere.ts";
import { invalid } from "../domain/errors.ts";
import type { Actor } from "../domain/types.ts";
import type { Config } from "../config/config.ts";
import type { Services } from "../services/index.ts";
import { setupUrl } from "../services/setup.ts";
import { deadLetterCommands } from "./dead-letter-commands.ts";

export interface Command {
  usage: string;
  options: Record<string, { type: "string" | "boolean"; required?: boolean }>;
  /** Whether it takes words besides its options; they reach `run` as values "#0", "#1", … */
  positionals?: boolean;
  run(services: Services, values: Record<string, string | boolean | undefined>, config: Config): Promise<string>;
}

const s = (v: string | boolean | undefined) => (typeof v === "string" ? v : "");

/** The admin commands: `npm run connexo -- <command> [--option value ...]`. */
export const commands: Record<string, Command> = {
  "create-person": {
    usage: "create-person --handle alice --name 'Alice Example' --password '…' [--job-title '…'] [--bio '…']",
    options: {
      handle: { type: "string", required: true },
      name: { type: "string", required: true },
      password: { type: "string", required: true },
      "job-title": { type: "string" },
      bio: { type: "string" },
    },
    async run(services, v) {
      const person = await services.actors.createPerson({
        handle: s(v.handle),
        displayName: s(v.name),
        password: s(v.password),
        jobTitle: s(v["job-title"]),
        bio: s(v.bio),
      });
      return `Created person @${person.handle}`;
    },
  },
  "create-community": {
    usage: "create-community --handle team --name 'The Team' --purpose 'What we are for' [--admin alice]",
    options: {
      handle: { type: "string", required: true },
      name: { type: "string", required: true },
      purpose: { type: "string", required: true },
      admin: { type: "string" },
    },
    async run(services, v) {
      const admin = v.admin ? await services.actors.require(s(v.admin), "person") : undefined;
      const community = await services.actors.createCommunity({ handle: s(v.handle), name: s(v.name), purpose: s(v.purpose) }, admin);
      return `Created community @${community.handle}${admin ? `, with @${admin.handle} as its administrator` : ""}`;
    },
  },
  "add-member": {
    usage: "add-member --community team --person alice|@bob@other.example --role admin|facilitator|member|observer [--as alice]",
    options: {
      community: { type: "string", required: true },
      person: { type: "string", required: true },
      role: { type: "string", required: true },
      as: { type: "string" },
    },
    async run(services, v) {
      if (isElsewhere(s(v.person))) {
        const inviter = await invitingManager(services, s(v.community), s(v.as));
        const member = await services.communityMembers.invite(inviter, s(v.community), s(v.person), s(v.role));
        return `Inviting ${member.target} to be ${s(v.role)} of @${s(v.community)} on behalf of @${inviter.handle}: the invitation is being sent in the background; they join when they accept it.`;
      }
      await services.actors.addMember(s(v.community), s(v.person), s(v.role));
      return `@${s(v.person)} is now ${s(v.role)} of @${s(v.community)}`;
    },
  },
  "publish-weeknote": {
    usage:
      "publish-weeknote --community team --author alice --title '…' --summary '…' --file note.md [--tags 'a,b'] [--week 2026-W48] [--draft]",
    options: {
      community: { type: "string", required: true },
      author: { type: "string", required: true },
      title: { type: "string", required: true },
      summary: { type: "string", required: true },
      file: { type: "string", required: true },
      tags: { type: "string" },
      week: { type: "string" },
      draft: { type: "boolean" },
    },
    async run(services, v) {
      const body = await readFile(s(v.file), "utf8").catch(() => {
        throw invalid(`Cannot read the file ${s(v.file)}.`);
      });
      const author = await services.actors.require(s(v.author), "person");
      const post = await services.weeknotes.publish(
        s(v.community),
        author,
        { title: s(v.title), summary: s(v.summary), body, tags: s(v.tags), week: s(v.week) || undefined },
        { draft: v.draft === true },
      );
      return `${post.state === "draft" ? "Saved draft" : "Published"} weeknote ${post.id}`;
    },
  },
  "setup-link": {
    usage: "setup-link",
    options: {},
    async run(services, _v, config) {
      const secret = await services.setup.newSecret();
      if (!secret) return "This instance has an administrator already; sign in, or ask them for an invitation.";
      return `Open this link to name the instance and create the first administrator (it works once; earlier links no longer work):\n${setupUrl(config.origin, secret)}`;
    },
  },
  "password-reset-link": {
    usage: "password-reset-link --person alice",
    options: { person: { type: "string", required: true } },
    async run(services, v, config) {
      const { secret, person, expiresAt } = await services.passwords.issueReset("command line", s(v.person));
      return `Send this link to @${person.handle}; it works once, until ${expiresAt.toISOString()}, and signs them out everywhere:\n${absoluteUrl(config.origin, passwordResetPath(secret))}`;
    },
  },
  "make-admin": {
    usage: "make-admin --person alice",
    options: { person: { type: "string", required: true } },
    async run(services, v) {
      const person = await services.actors.makeAdmin(s(v.person));
      return `@${person.handle} is now an administrator of this instance`;
    },
  },
  "clear-sign-in-failures": {
    usage: "clear-sign-in-failures --person alice",
    options: { person: { type: "string", required: true } },
    async run(services, v) {
      const person = await services.actors.require(s(v.person), "person");
      await services.sessions.clearFailures(person);
      return `Cleared the failed sign-ins on @${person.handle}'s account: they can sign in at once.`;
    },
  },
  "list-people": {
    usage: "list-people",
    options: {},
    async run(services) {
      const people = await services.actors.list("person");
      return people.map((p) => `@${p.handle}\t${p.displayName}${p.jobTitle ? `\t${p.jobTitle}` : ""}`).join("\n") || "No people yet.";
    },
  },
  "list-communities": {
    usage: "list-communities",
    options: {},
    async run(services) {
      const communities = await services.actors.list("community");
      return communities.map((c) => `@${c.handle}\t${c.displayName}`).join("\n") || "No communities yet.";
    },
  },
  token: {
    usage: "token --person alice [--label 'weeknote script']",
    options: { person: { type: "string", required: true }, label: { type: "string" } },
    async run(services, v) {
      const token = await services.tokens.issue(s(v.person), s(v.label) || "api");
      return `API token for @${s(v.person)} (shown once; keep it safe):\n${token}`;
    },
  },
  block: {
    usage: "block --actor https://social.example/users/troll --reason 'Why, kept in the moderation log'",
    options: { actor: { type: "string", required: true }, reason: { type: "string", required: true } },
    async run(services, v) {
      const { uri, followsEnded } = await services.accountBlocks.block("command line", s(v.actor), s(v.reason));
      const follows = followsEnded === 1 ? "1 follow" : `${followsEnded} follows`;
      return `Blocked ${uri}: nothing it sends is taken and nothing is sent to it, what it sent is hidden, and ${follows} of people and communities here ended.`;
    },
  },
  unblock: {
    usage: "unblock --actor https://social.example/users/troll",
    options: { actor: { type: "string", required: true } },
    async run(services, v) {
      await services.accountBlocks.unblock("command line", s(v.actor));
      return `${s(v.actor)} is no longer blocked.`;
    },
  },
  "block-domain": {
    usage: "block-domain social.example --reason 'Why, shown on the public list'",
    options: { reason: { type: "string" } },
    positionals: true,
    async run(services, v) {
      const { domain, followsEnded } = await services.federationPolicy.blockDomain("command line", oneWord(v, "block-domain"), s(v.reason));
      const follows = followsEnded === 1 ? "1 follow" : `${followsEnded} follows`;
      return `Blocked ${domain} and its subdomains: nothing is taken from or sent to them, and ${follows} of people and communities here ended.`;
    },
  },
  "unblock-domain": {
    usage: "unblock-domain social.example",
    options: {},
    positionals: true,
    async run(services, v) {
      const domain = await services.federationPolicy.unblockDomain("command line", oneWord(v, "unblock-domain"));
      return `${domain} is no longer blocked.`;
    },
  },
  "domain-blocks": {
    usage: "domain-blocks export | domain-blocks import blocks.csv",
    options: {},
    positionals: true,
    async run(services, v) {
      const action = v["#0"];
      if (action === "export" && v["#1"] === undefined) return (await services.federationPolicy.exportCsv("command line")).trimEnd();
      if (action === "import" && typeof v["#1"] === "string" && v["#2"] === undefined) {
        const csv = await readFile(v["#1"], "utf8").catch(() => {
          throw invalid(`Cannot read ${v["#1"]}.`);
        });
        const done = await services.federationPolicy.importCsv("command line", csv);
        return `Imported: ${done.blocked} blocked, ${done.updated} given a new reason, ${done.skipped} skipped; ${done.followsEnded} follows ended.`;
      }
      throw invalid("Say what to do: domain-blocks export, or domain-blocks import FILE.");
    },
  },
  follow: {
    usage: "follow --as alice --target @team@other.example",
    options: { as: { type: "string", required: true }, target: { type: "string", required: true } },
    async run(services, v) {
      const following = await services.follows.requestFollow(s(v.as), s(v.target));
      return `@${s(v.as)} asked to follow ${following.target}; it is sent in the background.`;
    },
  },
  ...deadLetterCommands,
};

/**
 * Who an invitation from the command line comes from: the person named with
 * `--as` (who must manage the community), or else the community's first
 * administrator here, since an invitation is always sent on someone's behalf.
 */
async function invitingManager(services: Services, communityHandle: string, as: string): Promise<Actor> {
  if (as) return services.actors.require(as, "person");
  const community = await services.actors.require(communityHandle, "community");
  const admin = (await services.actors.members(community)).find((m) => m.role === "admin" && !m.person.deactivatedAt);
  if (!admin)
    throw invalid(`@${community.handle} has no administrator here to invite on behalf of: give --as with someone who manages it.`);
  return admin.person;
}

/** The one word a command takes besides its options. */
function oneWord(v: Record<string, string | boolean | undefined>, command: string): string {
  const word = v["#0"];
  if (typeof word !== "string" || v["#1"] !== undefined) throw invalid(`Name one domain: ${command} social.example`);
  return word;
}

export class UsageError extends Error {}

/** Parses a command's options; throws UsageError with the command's usage when they are wrong. */
export function parseCommand(argv: string[]): { command: Command; values: Record<string, string | boolean | undefined> } {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) throw new UsageError(name ? `Unknown command "${name}".` : "No command given.");
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: command.positionals === true });
    values = { ...parsed.values, ...Object.fromEntries(parsed.positionals.map((word, i) => [`#${i}`, word])) };
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nUsage: ${command.usage}`);
  }
  const missing = Object.entries(command.options)
    .filter(([key, o]) => o.required && !values[key])
    .map(([key]) => `--${key}`);
  if (missing.length > 0) throw new UsageError(`Missing ${missing.join(", ")}.\nUsage: ${command.usage}`);
  return { command, values };
}

export function usage(): string {
  return ["Usage: npm run connexo -- <command> [options]", "", "Commands:", ...Object.values(commands).map((c) => `  ${c.usage}`)].join(
    "\n",
  );
}
