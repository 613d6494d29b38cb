import { Application, Endpoints, Group, Image, Person, PropertyValue, type Actor as ApActor } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { renderMarkdown } from "../../src/domain/markdown.ts";
import { escapeHtml, htmlToText } from "../../src/domain/sanitize.ts";
import type { Actor, RemoteActorInput } from "../../src/domain/types.ts";
import type { FedCtx } from "../context.ts";
import { membersCollectionUri, moderatorsCollectionUri } from "./membership.ts";
import { actorPageUrl, webHref } from "./urls.ts";

/** A local actor as an ActivityPub actor document. */
export async function toApActor(ctx: FedCtx, actor: Actor): Promise<ApActor> {
  const [keys, organisation] = await Promise.all([ctx.getActorKeyPairs(actor.handle), ctx.data.services.setup.instanceName()]);
  const props = {
    id: ctx.getActorUri(actor.handle),
    preferredUsername: actor.handle,
    name: actor.displayName,
    // What Mastodon shows as the bio: a person's, or a community's purpose and description (Markdown, as HTML).
    summary: summaryHtml(actor),
    url: actorPageUrl(ctx, actor.handle),
    icon: actor.avatarUrl
      ? new Image({
          url: new URL(actor.avatarUrl, ctx.canonicalOrigin),
          mediaType: imageType(actor.avatarUrl),
          name: actor.avatarAlt || null,
        })
      : null,
    published: Temporal.Instant.fromEpochMilliseconds(actor.createdAt.getTime()),
    inbox: ctx.getInboxUri(actor.handle),
    outbox: ctx.getOutboxUri(actor.handle),
    followers: ctx.getFollowersUri(actor.handle),
    following: ctx.getFollowingUri(actor.handle),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    publicKey: keys[0]?.cryptographicKey,
    assertionMethods: keys.map((k) => k.multikey),
    discoverable: actor.kind !== "instance",
    indexable: actor.kind !== "instance",
    manuallyApprovesFollowers: actor.manuallyApprovesFollowers,
    // Profile fields, as Mastodon shows them: whose people and communities these are, a job title, the profile's links.
    attachments: actor.kind === "instance" ? [] : profileFields(actor, organisation),
  };
  if (actor.kind === "community") {
    // FEP-1b12: the group's moderators are the collection its attributedTo names; its members are among its streams.
    return new Group({
      ...props,
      attribution: moderatorsCollectionUri(ctx, actor.handle),
      streams: [membersCollectionUri(ctx, actor.handle), moderatorsCollectionUri(ctx, actor.handle)],
    });
  }
  if (actor.kind === "instance") return new Application(props);
  return new Person(props);
}

/** What we keep of a remote actor. Returns null if it has no inbox to deliver to. */
export function fromApActor(actor: ApActor): RemoteActorInput | null {
  if (!actor.id || !actor.inboxId) return null;
  const host = actor.id.host;
  const username = actor.preferredUsername?.toString();
  return {
    uri: actor.id.href,
    type: actorType(actor),
    handle: username ? `@${username}@${host}` : null,
    name: actor.name?.toString() ?? username ?? null,
    url: webHref(actor.url),
    iconUrl: null,
    inbox: actor.inboxId.href,
    sharedInbox: actor.endpoints?.sharedInbox?.href ?? null,
  };
}

/** The profile field that names an actor's organisation (a Connexo instance sets it on its people and communities). */
const ORGANISATION_FIELD = "Organisation";

/** The organisation an actor's profile fields name, as plain text, if any. */
async function organisationOf(actor: ApActor): Promise<string | null> {
  for await (const field of actor.getAttachments({ crossOrigin: "ignore" })) {
    if (field instanceof PropertyValue && field.name?.toString() === ORGANISATION_FIELD) {
      return htmlToText(field.value?.toString() ?? "").slice(0, 200) || null;
    }
  }
  return null;
}

/** Adds the icon URL, which needs a fetch when it is not embedded, and the organisation its profile names. */
export async function fromApActorWithIcon(actor: ApActor): Promise<RemoteActorInput | null> {
  const record = fromApActor(actor);
  if (!record) return null;
  record.organisation = await organisationOf(actor).catch(() => null);
  try {
    record.iconUrl = webHref((await actor.getIcon())?.url);
  } catch {
    // An unreachable icon is no reason to refuse the actor.
  }
  return record;
}

function actorType(actor: ApActor): string {
  const typeId = (actor.constructor as { typeId?: URL }).typeId;
  return typeId?.hash.slice(1) || "Person";
}

/** The bio, or a community's purpose then its description, rendered from Markdown; null when there is none. */
function summaryHtml(actor: Actor): string | null {
  const source = [actor.summary, actor.kind === "community" ? actor.description : ""].filter((part) => part.trim()).join("\n\n");
  return source ? renderMarkdown(source).trim() : null;
}

/** The organisation, a person's job title, and each link, as Mastodon's profile fields (values are HTML). */
function profileFields(actor: Actor, organisation: string): PropertyValue[] {
  const field = (name: string, value: string) => new PropertyValue({ name, value });
  return [
    field(ORGANISATION_FIELD, escapeHtml(organisation)),
    ...(actor.jobTitle ? [field(JOB_TITLE_FIELD, escapeHtml(actor.jobTitle))] : []),
    ...actor.profileLinks.map((link) =>
      field(
        link.name,
        `<a href="${escapeHtml(link.url)}" rel="me nofollow noopener noreferrer" target="_blank">${escapeHtml(link.url)}</a>`,
      ),
    ),
  ];
}

/** The profile field that names a person's job. */
const JOB_TITLE_FIELD = "Job title";

/** The type of an image we stored, from its name (we name files by the format we wrote). */
function imageType(path: string): string | null {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  return ({ jpg: "image/jpeg", png: "image/png", webp: "image/webp" } as Record<string, string>)[ext] ?? null;
}
