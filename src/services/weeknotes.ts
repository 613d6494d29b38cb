import type { Clock } from "../domain/clock.ts";
import { DomainError, forbidden, invalid, notFound } from "../domain/errors.ts";
import { isoWeekOf, parseIsoWeek } from "../domain/iso-week.ts";
import { renderMarkdown } from "../domain/markdown.ts";
import { normaliseTags } from "../domain/tags.ts";
import type { Actor, Media, Post, RemoteActor, Role } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import type { ActorService } from "./actors.ts";
import type { MembershipElsewhereService } from "./memberships-elsewhere.ts";
import { newPost } from "./new-post.ts";
import { can, mayChangePost } from "./permissions.ts";

export interface WeeknoteInput {
  title: string;
  summary: string;
  body: string;
  tags?: string | string[];
  week?: string;
  /** Ids of uploaded images, in order. On edit, leaving it out keeps the images as they are. */
  images?: string[];
}

const MAX_IMAGES = 8;

const LIMITS = { title: 200, summary: 500, body: 100_000 };

function validate(input: WeeknoteInput, now: Date) {
  const fields: Record<string, string> = {};
  const title = (input.title ?? "").trim();
  const summary = (input.summary ?? "").trim();
  const body = input.body ?? "";
  if (!title) fields.title = "required";
  else if (title.length > LIMITS.title) fields.title = `at most ${LIMITS.title} characters`;
  // Mastodon shows an Article as its title and summary only, so the summary must be there.
  if (!summary) fields.summary = "required: it is what Mastodon users see";
  else if (summary.length > LIMITS.summary) fields.summary = `at most ${LIMITS.summary} characters`;
  if (!body.trim()) fields.body = "required";
  else if (body.length > LIMITS.body) fields.body = `at most ${LIMITS.body} characters`;
  if (Object.keys(fields).length > 0) {
    throw invalid(
      `Check the weeknote: ${Object.entries(fields)
        .map(([k, v]) => `${k} ${v}`)
        .join("; ")}.`,
      fields,
    );
  }
  return {
    title,
    summary,
    body,
    tags: normaliseTags(input.tags ?? []),
    week: input.week ? parseIsoWeek(input.week) : isoWeekOf(now),
  };
}

/**
 * Which images a weeknote may take: the person's own uploads not yet in any
 * post, and those the post (being edited) already has. No one can use, or
 * see through a form, someone else's image by naming its id.
 */
export function isUsableImage(media: Media, person: Actor, postId: string | null): boolean {
  return media.postId === null ? media.ownerId === person.id : media.postId === postId;
}

/** A community elsewhere is named by its URI; a local one by its handle, which never holds a colon. */
const isCommunityUri = (community: string): boolean => /^https?:\/\//i.test(community);

/** Writing, editing and deleting weeknotes in communities. */
export class WeeknoteService {
  constructor(
    private readonly store: Store,
    private readonly actors: ActorService,
    private readonly now: Clock,
    private readonly elsewhere: MembershipElsewhereService,
  ) {}

  /**
   * Publishes (or saves as a draft) a weeknote by an author in a community
   * they may publish in: one here, by its handle, or one on another server,
   * by its URI, where that server made them a member who may publish.
   */
  async publish(community: string, author: Actor, input: WeeknoteInput, options: { draft?: boolean } = {}): Promise<Post> {
    const place = await this.publishingPlace(community, author);
    const now = new Date(this.now());
    const fields = validate(input, now);
    const published = !options.draft;
    const post = newPost(
      {
        kind: "weeknote",
        authorId: author.id,
        ...place,
        title: fields.title,
        isoWeek: fields.week,
        summary: fields.summary,
        bodyMarkdown: fields.body,
        contentHtml: renderMarkdown(fields.body),
        tags: fields.tags,
        state: published ? "published" : "draft",
      },
      now,
    );
    const images = await this.checkImages(input.images ?? [], author, null);
    await this.store.posts.insert(post, published ? [{ type: "post.published", postId: post.id }] : [], images);
    return post;
  }

  /** Where a new weeknote goes: the local community's id, or the remote community's (as a remote actor), once the author may publish there. */
  private async publishingPlace(community: string, author: Actor): Promise<Pick<Post, "communityId" | "remoteCommunityId">> {
    if (isCommunityUri(community)) {
      const membership = await this.elsewhere.requirePublisher(author, community);
      return { communityId: null, remoteCommunityId: membership.community!.id };
    }
    const local = await this.actors.require(community, "community");
    const role = await this.store.actors.membership(local.id, author.id);
    if (!can(role, "publish")) throw forbidden(`@${author.handle} may not publish in @${local.handle}.`);
    return { communityId: local.id, remoteCommunityId: null };
  }

  /** The community elsewhere a weeknote was published in, for its page; no query for one published here. */
  remoteCommunityOf(post: Post): Promise<RemoteActor | null> {
    return post.remoteCommunityId === null ? Promise.resolve(null) : this.store.remoteActors.findById(post.remoteCommunityId);
  }

  /** Edits a weeknote; a published one federates as an Update, a draft may be published now. */
  async edit(id: string, editor: Actor, input: WeeknoteInput, options: { publish?: boolean } = {}): Promise<Post> {
    const post = await this.editable(id, editor);
    const now = new Date(this.now());
    const fields = validate(input, post.createdAt);
    const publishNow = post.state === "draft" && options.publish === true;
    const updated: Post = {
      ...post,
      title: fields.title,
      summary: fields.summary,
      bodyMarkdown: fields.body,
      contentHtml: renderMarkdown(fields.body),
      tags: fields.tags,
      isoWeek: input.week ? fields.week : post.isoWeek,
      state: publishNow ? "published" : post.state,
      publishedAt: publishNow ? now : post.publishedAt,
      updatedAt: post.state === "published" ? now : post.updatedAt,
      version: post.version + 1,
    };
    const events =
      post.state === "published"
        ? [{ type: "post.updated" as const, postId: id, version: updated.version }]
        : publishNow
          ? [{ type: "post.published" as const, postId: id }]
          : [];
    const images = input.images === undefined ? undefined : await this.checkImages(input.images, editor, post.id);
    await this.store.posts.update(updated, events, images);
    return updated;
  }

  /** Deletes a weeknote: it becomes a Tombstone and the deletion federates. */
  async delete(id: string, editor: Actor): Promise<void> {
    const post = await this.editable(id, editor);
    const wasPublished = post.state === "published";
    await this.store.posts.update(
      { ...post, state: "deleted", deletedAt: new Date(this.now()), version: post.version + 1 },
      wasPublished ? [{ type: "post.deleted", postId: id }] : [],
    );
  }

  async get(id: string): Promise<Post | null> {
    return this.store.posts.findById(id);
  }

  /** Whether this person may edit (and delete) this weeknote. */
  async mayEdit(id: string, person: Actor): Promise<boolean> {
    try {
      await this.editable(id, person);
      return true;
    } catch (error) {
      if (error instanceof DomainError && (error.code === "forbidden" || error.code === "not_found")) return false;
      throw error;
    }
  }

  /** The same, for a post already at hand (its page): one query, or none for a post that is not a weeknote. */
  async mayEditPost(post: Post, person: Actor | null): Promise<boolean> {
    if (!person || post.kind !== "weeknote" || post.state === "deleted") return false;
    return mayChangePost(await this.roleWhere(post, person), post, person);
  }

  /**
   * The person's role in the post's community: here, or elsewhere as its
   * server last told us (only an active membership counts). One query.
   */
  private async roleWhere(post: Post, person: Actor): Promise<Role | null> {
    if (post.communityId !== null) return this.store.actors.membership(post.communityId, person.id);
    if (post.remoteCommunityId === null) return null;
    const membership = (await this.elsewhere.of(person)).find((m) => m.community?.id === post.remoteCommunityId);
    return membership?.state === "active" ? membership.role : null;
  }

  drafts(person: Actor): Promise<Post[]> {
    return this.store.posts.listDrafts(person.id);
  }

  tagged(tag: string, limit = 50): Promise<Post[]> {
    return this.store.posts.listByTag(tag, limit);
  }

  /** Images may be the person's own new uploads, or ones the post already has. */
  private async checkImages(ids: string[], person: Actor, postId: string | null): Promise<string[]> {
    const unique = [...new Set(ids.filter(Boolean))];
    if (unique.length > MAX_IMAGES) throw invalid(`A weeknote may have at most ${MAX_IMAGES} images.`, { images: `at most ${MAX_IMAGES}` });
    for (const id of unique) {
      const media = await this.store.media.find(id);
      if (!media || !isUsableImage(media, person, postId))
        throw invalid("One of the images is not available; upload it again.", { images: "upload again" });
    }
    return unique;
  }

  /**
   * A weeknote this person may change (edit, delete): missing ones are not
   * found, other people's forbidden. Authors change their own posts; the
   * community's facilitators and administrators change any (mayChangePost).
   */
  async editable(id: string, editor: Actor): Promise<Post> {
    const post = await this.store.posts.findById(id);
    if (!post || post.kind !== "weeknote" || post.state === "deleted") throw notFound("There is no such weeknote.");
    if (!(await this.mayEditPost(post, editor))) {
      throw forbidden("Only its author, or a facilitator or administrator of its community, can change this weeknote.");
    }
    return post;
  }
}
