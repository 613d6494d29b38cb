import type { Clock } from "../domain/clock.ts";
import { coveringDomains, hostOf, normaliseDomain } from "../domain/domains.ts";
import { forbidden, invalid, notFound } from "../domain/errors.ts";
import { MAX_MODERATION_REASON, type AllowedDomain, type DomainBlock } from "../domain/moderation.ts";
import type { Actor } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";

/** Who blocks and unblocks domains: an instance administrator, or the operator at the command line. */
export type InstanceAdministrator = Actor | "command line";

/** Whether the instance deals with every domain but the blocked ones, or only with the allowed ones (and never the blocked ones). */
export type FederationMode = "blocklist" | "allowlist";

/** A domain on the allow list as anyone may see it. */
export type PublicAllowedDomain = Pick<AllowedDomain, "domain" | "note" | "createdAt">;

/** A blocked domain as anyone may see it. */
export type PublicDomainBlock = Pick<DomainBlock, "domain" | "reason" | "createdAt">;

/** What an import of blocks did. */
export interface DomainImport {
  /** Domains blocked that were not before. */
  blocked: number;
  /** Domains already blocked, given the reason in the file. */
  updated: number;
  /** Lines with a severity short of a block (`noop`, `silence`). */
  skipped: number;
  /** Follows of people and communities here that the new blocks ended. */
  followsEnded: number;
}

/** Someone whom delivery might go to: the actor and the inbox it is delivered at. */
export interface DeliveryTarget {
  actor: string;
  inbox: string;
}

/** The most lines an import takes at once. */
const MAX_IMPORT_LINES = 10_000;

/** The columns of Mastodon's domain-block export, in its order. */
export const DOMAIN_BLOCK_CSV_HEADER = ["#domain", "#severity", "#reject_media", "#reject_reports", "#public_comment", "#obfuscate"];

/**
 * Which other servers the instance deals with. Administrators block whole
 * domains (and their subdomains), with a reason everyone can read; a blocked
 * domain's activities are refused before anything is fetched, nothing is
 * delivered there, and its accounts stop following anyone here. Blocks travel
 * between instances as Mastodon's domain-block CSV.
 */
export class FederationPolicyService {
  private readonly ownHost: string;

  constructor(
    private readonly store: Store,
    origin: string,
    private readonly now: Clock,
    /** In allow-list mode, only the domains on the allow list (and their subdomains) are dealt with. */
    readonly mode: FederationMode = "blocklist",
  ) {
    this.ownHost = new URL(origin).host.toLowerCase();
  }

  /**
   * Of these hosts (as `URL.host` gives them), those the instance does not deal
   * with: on a blocked domain, or, in allow-list mode, on none of the allowed
   * ones. This instance's own host is never refused. One query (two in
   * allow-list mode), however many hosts.
   */
  async refusedHosts(hosts: string[]): Promise<Set<string>> {
    const distinct = [...new Set(hosts.map((h) => h.toLowerCase()))].filter((h) => h !== this.ownHost);
    if (distinct.length === 0) return new Set();
    const domains = [...new Set(distinct.flatMap(coveringDomains))];
    const [blocked, allowed] = await Promise.all([
      this.store.domainBlocks.blockedAmong(domains),
      this.mode === "allowlist" ? this.store.domainBlocks.allowedAmong(domains) : Promise.resolve(null),
    ]);
    const blockedSet = new Set(blocked);
    const allowedSet = allowed ? new Set(allowed) : null;
    return new Set(
      distinct.filter((host) => {
        const covering = coveringDomains(host);
        return covering.some((d) => blockedSet.has(d)) || (allowedSet !== null && !covering.some((d) => allowedSet.has(d)));
      }),
    );
  }

  /** Whether the instance does not deal with this host: blocked, or not allowed in allow-list mode. */
  async refusesHost(host: string): Promise<boolean> {
    return (await this.refusedHosts([host])).size > 0;
  }

  /**
   * Blocks a domain, or gives a blocked one a new reason. Its accounts' follows
   * of people and communities here end, and the moderation log keeps the
   * block, all in one transaction (`store`'s, when given one). Returns how
   * many follows ended.
   */
  async blockDomain(
    acting: InstanceAdministrator,
    domain: string,
    reason: string,
    store: Store = this.store,
  ): Promise<{ domain: string; followsEnded: number }> {
    mayAdminister(acting);
    const block = this.checkedBlock(domain, reason, acting);
    if (block.error) throw invalid(block.error.message, { [block.error.field]: block.error.short });
    const followsEnded = await store.transaction((tx) => this.apply(tx, acting, block.value));
    return { domain: block.value.domain, followsEnded };
  }

  /** Lifts a domain's block; its accounts may follow people here again, and what they send is taken. */
  async unblockDomain(acting: InstanceAdministrator, domain: string): Promise<string> {
    mayAdminister(acting);
    const normalised = normaliseDomain(domain);
    if (!normalised) throw invalid("Give a domain, such as social.example.", { domain: "not a domain, such as social.example" });
    await this.store.transaction(async (tx) => {
      if (!(await tx.domainBlocks.remove(normalised))) throw notFound(`${normalised} is not blocked.`);
      await tx.moderationLog.record({
        at: new Date(this.now()),
        actorId: actorIdOf(acting),
        communityId: null,
        action: "domain.unblocked",
        subject: normalised,
        reason: "",
        details: detailsOf(acting),
      });
    });
    return normalised;
  }

  /**
   * Whether an account, as `@user@host` or as its URL, is on a domain the
   * instance does not deal with (blocked, or not allowed in allow-list mode).
   * Throws, saying so, when it is: nobody here can follow it.
   */
  async mayFollow(account: string): Promise<void> {
    const host = account.startsWith("@") ? account.slice(account.lastIndexOf("@") + 1).toLowerCase() : hostOf(account);
    if (host && (await this.refusesHost(host))) {
      throw (await this.isDomainBlocked(host))
        ? invalid(`${host} is a blocked domain: this instance does not federate with it.`, { target: "on a blocked domain" })
        : invalid(`${host} is not on the allow list: this instance federates only with the domains listed.`, {
            target: "not on the allow list",
          });
    }
  }

  /** Whether a host (as `URL.host` gives it) is on a blocked domain. One query. */
  async isDomainBlocked(host: string): Promise<boolean> {
    return (await this.store.domainBlocks.blockedAmong(coveringDomains(host))).length > 0;
  }

  /**
   * Whether what is signed with this key comes from a domain the instance
   * does not deal with, known from the key's address alone. One query (two in
   * allow-list mode), and one more for an account blocked on its own, whose
   * key's id begins with its actor's URI.
   */
  async refusesKey(keyId: string): Promise<boolean> {
    const host = hostOf(keyId);
    if (host === null) return false;
    return (await this.refusesHost(host)) || (await this.store.accountBlocks.blocksKey(keyId));
  }

  /**
   * Those of these targets that must not be delivered to: on a blocked domain
   * (by actor or inbox), or in allow-list mode on none of the allowed ones,
   * or blocked themselves (unless `blockedActors` is
   * `"send"`: a blocked actor is still told that its Follow is rejected). Two
   * queries, whatever the number of targets.
   */
  async undeliverable<T extends DeliveryTarget>(targets: T[], options: { blockedActors?: "skip" | "send" } = {}): Promise<Set<T>> {
    if (targets.length === 0) return new Set();
    const hostsOf = (target: DeliveryTarget) => [hostOf(target.actor), hostOf(target.inbox)].filter((h): h is string => h !== null);
    const [refusedHosts, blockedActors] = await Promise.all([
      this.refusedHosts(targets.flatMap(hostsOf)),
      options.blockedActors === "send"
        ? Promise.resolve([])
        : this.store.accountBlocks.blockedAmong([...new Set(targets.map((t) => t.actor))]),
    ]);
    const actorSet = new Set(blockedActors);
    return new Set(targets.filter((t) => actorSet.has(t.actor) || hostsOf(t).some((host) => refusedHosts.has(host))));
  }

  /** Puts a domain on the allow list, or gives a listed one a new note; logged. Whether it was new. */
  async allowDomain(acting: InstanceAdministrator, domain: string, note: string): Promise<{ domain: string; added: boolean }> {
    mayAdminister(acting);
    const checked = this.checkedBlock(domain, note, acting);
    if (checked.error)
      throw invalid(checked.error.message.replace("to block", "to allow"), {
        [checked.error.field === "reason" ? "note" : checked.error.field]: checked.error.short,
      });
    const entry: AllowedDomain = {
      domain: checked.value.domain,
      note: checked.value.reason,
      createdAt: checked.value.createdAt,
      createdBy: checked.value.createdBy,
    };
    const added = await this.store.transaction(async (tx) => {
      const added = await tx.domainBlocks.allow(entry);
      await tx.moderationLog.record({
        at: entry.createdAt,
        actorId: actorIdOf(acting),
        communityId: null,
        action: "domain.allowed",
        subject: entry.domain,
        reason: entry.note,
        details: detailsOf(acting),
      });
      return added;
    });
    return { domain: entry.domain, added };
  }

  /** Takes a domain off the allow list; logged. */
  async disallowDomain(acting: InstanceAdministrator, domain: string): Promise<string> {
    mayAdminister(acting);
    const normalised = normaliseDomain(domain);
    if (!normalised) throw invalid("Give a domain, such as social.example.", { domain: "not a domain, such as social.example" });
    await this.store.transaction(async (tx) => {
      if (!(await tx.domainBlocks.disallow(normalised))) throw notFound(`${normalised} is not on the allow list.`);
      await tx.moderationLog.record({
        at: new Date(this.now()),
        actorId: actorIdOf(acting),
        communityId: null,
        action: "domain.disallowed",
        subject: normalised,
        reason: "",
        details: detailsOf(acting),
      });
    });
    return normalised;
  }

  /** The allow list, for administrators. */
  async listAllowed(acting: InstanceAdministrator): Promise<AllowedDomain[]> {
    mayAdminister(acting);
    return this.store.domainBlocks.listAllowed();
  }

  /** The allow list, for the public page. */
  async allowedDomains(): Promise<PublicAllowedDomain[]> {
    return (await this.store.domainBlocks.listAllowed()).map(({ domain, note, createdAt }) => ({ domain, note, createdAt }));
  }

  /** The blocked domains and why, for the public list. */
  async blockedDomains(): Promise<PublicDomainBlock[]> {
    return (await this.store.domainBlocks.list()).map(({ domain, reason, createdAt }) => ({ domain, reason, createdAt }));
  }

  /** Every block, for administrators. */
  async list(acting: InstanceAdministrator): Promise<DomainBlock[]> {
    mayAdminister(acting);
    return this.store.domainBlocks.list();
  }

  /** Every block in Mastodon's domain-block CSV, for another instance to import. */
  async exportCsv(acting: InstanceAdministrator): Promise<string> {
    mayAdminister(acting);
    const blocks = await this.store.domainBlocks.list();
    const rows = [DOMAIN_BLOCK_CSV_HEADER, ...blocks.map((b) => [b.domain, "suspend", "true", "true", b.reason, "false"])];
    return `${rows.map((row) => row.map(csvField).join(",")).join("\n")}\n`;
  }

  /**
   * Blocks the domains of a Mastodon domain-block CSV: `#domain` and
   * `#public_comment` are read; severity `suspend` (or none) blocks, `noop` and
   * `silence` are skipped. Every line is checked first; if any is wrong,
   * nothing is imported and the error names each wrong line. Otherwise all
   * blocks, the follows they end and their log entries are one transaction.
   */
  async importCsv(acting: InstanceAdministrator, csv: string): Promise<DomainImport> {
    mayAdminister(acting);
    const rows = parseCsv(csv);
    const header = rows.shift();
    if (!header?.some((h) => h.trim().toLowerCase() === "#domain")) {
      throw invalid("The file's first line must name its columns, as Mastodon's export does: #domain,#severity,…,#public_comment,…", {
        csv: "the first line must name the columns: #domain,#severity,…,#public_comment,…",
      });
    }
    const column = (name: string) => header.findIndex((h) => h.trim().toLowerCase() === name);
    const [domainAt, severityAt, reasonAt] = [column("#domain"), column("#severity"), column("#public_comment")];
    if (rows.length > MAX_IMPORT_LINES) {
      throw invalid(`A file may hold at most ${MAX_IMPORT_LINES} blocks.`, { csv: `at most ${MAX_IMPORT_LINES} lines` });
    }
    const blocks = new Map<string, DomainBlock>();
    const problems: string[] = [];
    let skipped = 0;
    rows.forEach((row, i) => {
      const line = i + 2;
      if (row.every((cell) => cell.trim() === "")) return;
      const severity = (severityAt >= 0 ? (row[severityAt] ?? "") : "").trim().toLowerCase();
      if (severity === "noop" || severity === "silence") {
        skipped++;
        return;
      }
      if (severity !== "" && severity !== "suspend") {
        problems.push(`line ${line}: unknown severity "${severity}" (suspend, silence or noop)`);
        return;
      }
      const checked = this.checkedBlock(row[domainAt] ?? "", reasonAt >= 0 ? (row[reasonAt] ?? "") : "", acting);
      if (checked.error) problems.push(`line ${line}: ${checked.error.short}`);
      else blocks.set(checked.value.domain, checked.value);
    });
    if (problems.length > 0) {
      const shown = problems.slice(0, 20).join("; ") + (problems.length > 20 ? `; and ${problems.length - 20} more` : "");
      throw invalid(`Nothing was imported: ${shown}.`, { csv: shown });
    }
    return this.store.transaction(async (tx) => {
      const result: DomainImport = { blocked: 0, updated: 0, skipped, followsEnded: 0 };
      for (const block of blocks.values()) {
        const wasBlocked = (await tx.domainBlocks.find(block.domain)) !== null;
        result.followsEnded += await this.apply(tx, acting, block, "import");
        if (wasBlocked) result.updated++;
        else result.blocked++;
      }
      return result;
    });
  }

  /** Puts a block in place, ends the follows it concerns, and logs it; how many follows ended. */
  private async apply(tx: Store, acting: InstanceAdministrator, block: DomainBlock, how?: "import"): Promise<number> {
    const added = await tx.domainBlocks.put(block);
    const followsEnded = await tx.domainBlocks.removeFollowersOn(block.domain);
    await tx.moderationLog.record({
      at: block.createdAt,
      actorId: actorIdOf(acting),
      communityId: null,
      action: "domain.blocked",
      subject: block.domain,
      reason: block.reason,
      details: { ...detailsOf(acting), followsEnded, ...(added ? {} : { reasonChanged: true }), ...(how ? { via: how } : {}) },
    });
    return followsEnded;
  }

  /** A block as given, checked: a domain that is not ours, and a reason of a fitting length. */
  private checkedBlock(
    domain: string,
    reason: string,
    acting: InstanceAdministrator,
  ): { value: DomainBlock; error?: undefined } | { error: { field: string; message: string; short: string } } {
    const normalised = normaliseDomain(domain ?? "");
    if (!normalised) {
      const shown = (domain ?? "").trim();
      return {
        error: {
          field: "domain",
          message: shown ? `"${shown}" is not a domain, such as social.example.` : "Give the domain to block, such as social.example.",
          short: shown ? `"${shown.slice(0, 100)}" is not a domain, such as social.example` : "give a domain, such as social.example",
        },
      };
    }
    if (coveringDomains(this.ownHost).includes(normalised)) {
      return {
        error: {
          field: "domain",
          message: "This instance cannot block its own domain.",
          short: `${normalised} is this instance's own domain`,
        },
      };
    }
    const why = (reason ?? "").trim();
    if (why.length > MAX_MODERATION_REASON) {
      return {
        error: {
          field: "reason",
          message: `A reason may be at most ${MAX_MODERATION_REASON} characters.`,
          short: `the reason for ${normalised} is longer than ${MAX_MODERATION_REASON} characters`,
        },
      };
    }
    return { value: { domain: normalised, reason: why, createdAt: new Date(this.now()), createdBy: actorIdOf(acting) } };
  }
}

export function mayAdminister(acting: InstanceAdministrator): void {
  if (acting === "command line") return;
  if (acting.kind !== "person" || !acting.isAdmin || acting.deactivatedAt) {
    throw forbidden("Only the instance's administrators can block and unblock domains and accounts.");
  }
}

export const actorIdOf = (acting: InstanceAdministrator) => (acting === "command line" ? null : acting.id);
export const detailsOf = (acting: InstanceAdministrator): Record<string, unknown> =>
  acting === "command line" ? { by: "command line" } : {};

/** A CSV field, quoted when it must be. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows of a CSV text (RFC 4180: quoted fields may hold commas, quotes doubled, and line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
