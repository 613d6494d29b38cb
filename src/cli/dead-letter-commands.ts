import { invalid } from "../domain/errors.ts";
import type { DeadLetter, DeadLetterGroup, DeadSelection } from "../services/dead-letters.ts";
import type { Services } from "../services/index.ts";
import type { Command } from "./commands.ts";

type Values = Record<string, string | boolean | undefined>;

/** What a server is called in what we print: its origin, or what concerns no remote server. */
export const serverName = (origin: string | null) => origin ?? "(no remote server)";

/**
 * `dead-letters`: lists the messages that failed too often, by remote server;
 * `dead-letters retry|discard <id> | --origin ORIGIN | --all` acts on them.
 */
export const deadLetterCommands: Record<string, Command> = {
  "dead-letters": {
    usage: "dead-letters [retry|discard] [<id> | --origin https://server.example | --origin none | --all]",
    options: { origin: { type: "string" }, all: { type: "boolean" } },
    positionals: true,
    async run(services, v) {
      const action = v["#0"];
      if (action === undefined) {
        if (v.origin !== undefined || v.all || v["#1"] !== undefined) throw invalid("Say what to do: retry or discard.");
        return list(services);
      }
      if (action !== "retry" && action !== "discard") throw invalid(`Unknown action "${String(action)}": retry or discard.`);
      const selection = selectionOf(v);
      if (action === "retry") {
        const moved = await services.deadLetters.retry("command line", selection);
        return `${plural(moved)} put back on the queue, to be tried at once.`;
      }
      const discarded = await services.deadLetters.discard("command line", selection);
      return `${plural(discarded)} discarded.`;
    },
  },
};

/** One of: a message's number, `--origin` (or `--origin none` for what concerns no remote server), `--all`. */
function selectionOf(v: Values): DeadSelection {
  const given = [v["#1"] !== undefined, v.origin !== undefined, v.all === true].filter(Boolean).length;
  if (given !== 1 || v["#2"] !== undefined) throw invalid("Name one message by its number, or give --origin ORIGIN, or --all.");
  if (v.all === true) return { all: true };
  if (typeof v.origin === "string") return { origin: v.origin === "none" ? null : originOf(v.origin) };
  const id = Number(v["#1"]);
  if (!Number.isSafeInteger(id) || id <= 0) throw invalid(`"${String(v["#1"])}" is not a message's number.`);
  return { id };
}

function originOf(text: string): string {
  if (!URL.canParse(text)) throw invalid(`"${text}" is not a server's origin, such as https://server.example.`);
  return new URL(text).origin;
}

async function list(services: Services): Promise<string> {
  const groups = await services.deadLetters.overview("command line");
  if (groups.length === 0) return "No dead messages.";
  return groups.map(describeGroup).join("\n\n");
}

function describeGroup(group: DeadLetterGroup): string {
  const shown = group.messages.length < group.count ? ` (${group.messages.length} listed)` : "";
  return [`${serverName(group.origin)}: ${plural(group.count)}${shown}`, ...group.messages.map((m) => `  ${describeLetter(m)}`)].join("\n");
}

/** One line: number, what it was, tries, when it died. */
export function describeLetter(m: DeadLetter): string {
  const what = [m.kind, m.type, m.party ? (m.kind === "delivery" ? `to ${m.party}` : `from ${m.party}`) : null, m.activityId]
    .filter(Boolean)
    .join(" ");
  return `#${m.id} ${what}; ${m.attempts} attempts, died ${new Date(m.diedAt).toISOString()}`;
}

const plural = (n: number) => `${n} ${n === 1 ? "message" : "messages"}`;
