import { Application, Endpoints, Group, Image, Person, type Actor as ApActor } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { escapeHtml } from "../../src/domain/sanitize.ts";
import type { Actor, RemoteActorInput } from "../../src/domain/types.ts";
import type { FedCtx } from "../context.ts";
import { actorPageUrl, webHref } from "./urls.ts";

/** A local actor as an ActivityPub actor document. */
export async function toApActor(ctx: FedCtx, actor: Actor): Promise<ApActor> {
  const keys = await ctx.getActorKeyPairs(actor.handle);
  const props = {
    id: ctx.getActorUri(actor.handle),
    preferredUsername: actor.handle,
    name: actor.displayName,
    // A bio or a community's purpose is plain text; summary is HTML.
    summary: actor.summary ? textAsHtml(actor.summary) : null,
    url: actorPageUrl(ctx, actor.handle),
    icon: actor.avatarUrl ? new Image({ url: new URL(actor.avatarUrl) }) : null,
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
  };
  if (actor.kind === "community") return new Group(props);
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

/** Adds the icon URL, which needs a fetch when it is not embedded. */
export async function fromApActorWithIcon(actor: ApActor): Promise<RemoteActorInput | null> {
  const record = fromApActor(actor);
  if (!record) return null;
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

/** Plain text as a paragraph of HTML, its line breaks kept. */
function textAsHtml(text: string): string {
  return `<p>${escapeHtml(text).replace(/\n/g, "<br>")}</p>`;
}
