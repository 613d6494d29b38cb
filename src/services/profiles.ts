import type { Clock } from "../domain/clock.ts";
import { forbidden, invalid } from "../domain/errors.ts";
import type { Actor, ProfileLink } from "../domain/types.ts";
import { mediaPath } from "../domain/urls.ts";
import { webUrl } from "../domain/web-url.ts";
import type { ProfileChange, Store } from "../storage/repositories.ts";
import type { ActorService } from "./actors.ts";
import { checkFieldsAsync, requireText } from "./field-checks.ts";
import { MAX_ALT_LENGTH, type MediaService } from "./media.ts";

/** What a profile form sends: a person's or a community's, with a new avatar (or icon) if one was chosen. */
export interface ProfileInput {
  displayName: string;
  /** A person's bio, or a community's purpose. */
  summary: string;
  /** People only. */
  jobTitle?: string;
  /** Communities only: the longer description (Markdown). */
  description?: string;
  /** Filled-in rows only count; an empty row is ignored. */
  links: { name: string; url: string }[];
  /** The bytes of a new image, if one was chosen. */
  avatar?: Uint8Array | null;
  avatarAlt: string;
  removeAvatar?: boolean;
}

export const PROFILE_LIMITS = { name: 100, jobTitle: 100, bio: 2_000, description: 10_000, links: 4, linkName: 60, url: 2_000 };

/**
 * Profiles, as people here and on other servers see them: a person edits
 * their own; a community's administrators (and the instance's) edit the
 * community's. Every change is sent to followers as an `Update` of the
 * actor, in the same unit of work.
 */
export class ProfileService {
  constructor(
    private readonly store: Store,
    private readonly actors: ActorService,
    private readonly media: MediaService,
    private readonly now: Clock,
  ) {}

  async editPerson(person: Actor, input: ProfileInput): Promise<Actor> {
    if (person.kind !== "person" || person.deactivatedAt) throw forbidden("Only people with an active account have a profile to edit.");
    return this.save(person, input);
  }

  /** Whether this person may edit a community's profile: its administrators, and the instance's. */
  mayEditCommunity(person: Actor | null, community: Actor): Promise<boolean> {
    return this.actors.mayManageMembers(person, community);
  }

  async editCommunity(acting: Actor, handle: string, input: ProfileInput): Promise<Actor> {
    const community = await this.actors.require(handle, "community");
    if (!(await this.mayEditCommunity(acting, community))) {
      throw forbidden(`Only administrators of ${community.displayName}, and of this server, can edit its profile.`);
    }
    return this.save(community, input);
  }

  /** Checks every field at once; only then is a new image processed and the change stored with its Update. */
  private async save(actor: Actor, input: ProfileInput): Promise<Actor> {
    const person = actor.kind === "person";
    const keepsAvatar = !input.removeAvatar && (input.avatar?.byteLength || actor.avatarUrl);
    const checked = await checkFieldsAsync({
      displayName: () => requireText(input.displayName, "displayName", person ? "Display name" : "Name", PROFILE_LIMITS.name),
      summary: () =>
        person
          ? optional(input.summary, "summary", "The bio", PROFILE_LIMITS.bio)
          : requireText(input.summary, "summary", "The purpose", PROFILE_LIMITS.bio),
      jobTitle: () => (person ? optional(input.jobTitle, "jobTitle", "The job title", PROFILE_LIMITS.jobTitle) || null : null),
      description: () => (person ? "" : optional(input.description, "description", "The description", PROFILE_LIMITS.description)),
      links: () => checkLinks(input.links),
      avatarAlt: () => {
        const alt = (input.avatarAlt ?? "").trim();
        if (keepsAvatar && !alt)
          throw invalid("Describe the picture for people who cannot see it.", { avatarAlt: "required: describe the picture" });
        if (alt.length > MAX_ALT_LENGTH)
          throw invalid(`The description may be at most ${MAX_ALT_LENGTH} characters.`, {
            avatarAlt: `at most ${MAX_ALT_LENGTH} characters`,
          });
        return keepsAvatar ? alt : "";
      },
    });
    const avatarUrl = input.removeAvatar
      ? null
      : input.avatar?.byteLength
        ? mediaPath((await this.media.uploadAvatar(actor, input.avatar)).fileName)
        : actor.avatarUrl;
    const { links, ...fields } = checked;
    const change: ProfileChange = { ...fields, profileLinks: links, avatarUrl };
    const at = this.now();
    return this.store.actors.updateProfile(actor.id, change, [{ type: "actor.updated", actorId: actor.id, at }]);
  }
}

function optional(value: string | undefined, field: string, label: string, max: number): string {
  const text = (value ?? "").trim();
  if (text.length > max) throw invalid(`${label} must be at most ${max} characters.`, { [field]: `at most ${max} characters` });
  return text;
}

/** The links filled in: each a short name and an http(s) address; at most a few, as Mastodon shows them. */
function checkLinks(rows: { name: string; url: string }[]): ProfileLink[] {
  const filled = rows.map((r) => ({ name: (r.name ?? "").trim(), url: (r.url ?? "").trim() })).filter((r) => r.name || r.url);
  if (filled.length > PROFILE_LIMITS.links) {
    throw invalid(`A profile may show at most ${PROFILE_LIMITS.links} links.`, { links: `at most ${PROFILE_LIMITS.links}` });
  }
  for (const link of filled) {
    if (!link.name || link.name.length > PROFILE_LIMITS.linkName) {
      throw invalid(`Give each link a name of at most ${PROFILE_LIMITS.linkName} characters.`, { links: "each link needs a short name" });
    }
    if (link.url.length > PROFILE_LIMITS.url || !webUrl(link.url)) {
      throw invalid("Each link needs a web address starting https:// or http://.", { links: "each link needs a web address (https://…)" });
    }
  }
  return filled;
}
