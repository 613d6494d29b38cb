import type { Decision } from "../domain/decisions.ts";
import type { Neighbours, PageAt } from "../domain/paging.ts";
import type { Actor, CommunityPost, Media, Membership, MembershipElsewhere, Post, RemoteMember } from "../domain/types.ts";
import type { CommunityElsewhere, Store } from "../storage/repositories.ts";
import { UntilCommit } from "../storage/until-commit.ts";
import type { ActorService } from "./actors.ts";
import type { ModerationService } from "./moderation.ts";
import { listing, namesOf, type Listing } from "./names.ts";
import { can } from "./permissions.ts";
import { countEntries, threadOf, type ThreadEntry } from "./threads.ts";
import type { WeeknoteService } from "./weeknotes.ts";

/** How many decision records the front page and an actor's page show: the register has the rest. */
const LATEST_DECISIONS = 5;
/** How many weeknotes the front page and an actor's page show. */
const FRONT_PAGE_POSTS = 20;
const ACTOR_PAGE_POSTS = 30;
/** How many posts by members elsewhere a community's page shows. */
const COMMUNITY_PAGE_REMOTE_POSTS = 20;

/** The front page: the latest weeknotes (a page of them) and records, and the communities. */
export interface FrontPage extends Listing {
  pages: Neighbours;
  communities: Actor[];
  decisions: Decision[];
  /** Whether the instance still waits for its first administrator. */
  needsSetup: boolean;
}

/** A person's or a community's page, as someone (or no one) signed in sees it. */
export interface ActorPage extends Listing {
  actor: Actor;
  /** The older and newer pages of its weeknotes. */
  pages: Neighbours;
  /** Its communities (a person) or members (a community), leaving out deactivated people. */
  memberships: Membership[];
  /** A community's active members on other servers; none for a person. */
  remoteMembers: RemoteMember[];
  /** A person's active memberships of communities on other servers; none for a community. */
  membershipsElsewhere: MembershipElsewhere[];
  /** A community's latest posts by its members elsewhere; none for a person. */
  remotePosts: CommunityPost[];
  decisions: Decision[];
  followers: number;
  /** Whether the viewer may publish in this community. */
  mayPublish: boolean;
  /** Whether the viewer may manage this community's members. */
  mayManage: boolean;
  /** Whether the viewer may take posts out of this community (its facilitators and administrators, and the instance's). */
  mayModerate: boolean;
}

/** The directory of communities: this instance's own, and those elsewhere its people are in or follow. */
export interface Directory {
  communities: { community: Actor; members: number }[];
  elsewhere: CommunityElsewhere[];
}

/** A weeknote's (or note's) page: the post, who wrote it where, its images, its replies as a thread, its reactions. */
export interface PostPage {
  post: Post;
  author: Actor;
  community: Actor | null;
  media: Media[];
  thread: ThreadEntry[];
  replyCount: number;
  counts: { likes: number; announces: number };
  /** Whether the viewer may edit and delete it. */
  mayEdit: boolean;
  /** Whether the viewer may hide and restore its replies (and so sees hidden ones, marked). */
  mayModerate: boolean;
  /** Whether the viewer may reply here, under the community's reply policy. */
  mayReply: boolean;
}

/** Threads longer than this are read afresh for every reader rather than kept: what is kept stays small. */
const KEPT_THREAD_ENTRIES = 200;

/** Whether a post's page is small enough to keep: entries of its thread at every level, hidden ones too. */
function keepsSmall(page: SharedPostPage): boolean {
  const size = (entries: ThreadEntry[]): number => entries.reduce((n, e) => n + 1 + size(e.children), 0);
  return size(page.thread) <= KEPT_THREAD_ENTRIES;
}

/** The part of a post's page that is the same for every reader. */
interface SharedPostPage {
  actors: Map<number, Actor>;
  media: Media[];
  thread: ThreadEntry[];
  counts: { likes: number; announces: number };
}

/**
 * What readers see of weeknotes: the front page, an actor's page, a tag, a
 * weeknote with its replies, someone's drafts. Each is read with a fixed
 * number of queries, however many posts, names or replies it shows.
 */
export class ReadingService {
  constructor(
    private readonly store: Store,
    private readonly actors: ActorService,
    private readonly weeknotes: WeeknoteService,
    /** The instance's public origin: replies name the posts they answer by URL. */
    private readonly origin: string,
    private readonly moderation: ModerationService,
  ) {
    this.#postPages = new UntilCommit(store.commitVersion);
  }

  /** What a post's page shows everyone alike (or every moderator alike), kept until the next commit. */
  readonly #postPages: UntilCommit<SharedPostPage>;

  /** Five queries. */
  async frontPage(at: PageAt = null): Promise<FrontPage> {
    const [communities, { items: posts, ...pages }, decisions, admins] = await Promise.all([
      this.store.actors.list("community"),
      this.store.posts.pageRecent(at, FRONT_PAGE_POSTS),
      this.store.decisions.list({}, LATEST_DECISIONS, 0),
      this.store.accounts.countAdmins(),
    ]);
    const names = await namesOf(this.store, [...posts, ...decisions.map((d) => d.post)]);
    return { communities: communities.filter((a) => !a.deactivatedAt), posts, pages, decisions, names, needsSetup: admins === 0 };
  }

  /** An active person's or community's page. Nine queries at most. */
  async actorPage(actor: Actor, viewer: Actor | null, at: PageAt = null): Promise<ActorPage> {
    const isCommunity = actor.kind === "community";
    const [memberships, page, followers, decisions, viewerRole, remoteMembers, membershipsElsewhere, remotePosts] = await Promise.all([
      isCommunity ? this.store.actors.membershipsOfCommunity(actor.id) : this.store.actors.membershipsOfPerson(actor.id),
      this.store.posts.pageByActor(actor.id, at, ACTOR_PAGE_POSTS, ["weeknote"]),
      this.store.follows.countFollowers(actor.id),
      this.store.decisions.list(isCommunity ? { communityId: actor.id } : { authorId: actor.id }, LATEST_DECISIONS, 0),
      isCommunity && viewer ? this.store.actors.membership(actor.id, viewer.id) : null,
      isCommunity ? this.store.memberships.membersOf(actor.id) : [],
      isCommunity ? [] : this.store.memberships.elsewhereOf(actor.id),
      isCommunity ? this.store.memberships.communityPosts(actor.id, null, COMMUNITY_PAGE_REMOTE_POSTS) : [],
    ]);
    // Decision records are listed on their own, with their status.
    const posts = page.items;
    const [names, mayManage] = await Promise.all([
      namesOf(this.store, [...posts, ...decisions.map((d) => d.post)]),
      isCommunity ? this.actors.mayManageMembers(viewer, actor) : false,
    ]);
    return {
      actor,
      pages: { older: page.older, newer: page.newer },
      memberships: memberships.filter((m) => !m.person.deactivatedAt),
      // Invitations and requests are for the members page; the public page shows who is in.
      remoteMembers: remoteMembers.filter((m) => m.state === "active" && m.person),
      membershipsElsewhere: membershipsElsewhere.filter((m) => m.state === "active" && m.community),
      remotePosts,
      posts,
      names,
      decisions,
      followers,
      mayPublish: isCommunity && viewer !== null && can(viewerRole, "publish"),
      mayManage,
      mayModerate: isCommunity && viewer !== null && !viewer.deactivatedAt && (viewer.isAdmin || can(viewerRole, "moderate")),
    };
  }

  /** The directory of communities. Four queries. */
  async directory(): Promise<Directory> {
    const [communities, counts, elsewhere] = await Promise.all([
      this.store.actors.list("community"),
      this.store.memberships.memberCounts(),
      this.store.memberships.communitiesElsewhere(),
    ]);
    return {
      communities: communities.filter((c) => !c.deactivatedAt).map((community) => ({ community, members: counts.get(community.id) ?? 0 })),
      elsewhere,
    };
  }

  /** A page of the published weeknotes with this tag, newest first. Two queries. */
  async tagged(tag: string, at: PageAt = null, limit = 50): Promise<Listing & { pages: Neighbours }> {
    const { items, ...pages } = await this.store.posts.pageByTag(tag, at, limit);
    return { ...(await listing(this.store, Promise.resolve(items))), pages };
  }

  /** A person's drafts, newest first. Two queries. */
  drafts(person: Actor): Promise<Listing> {
    return listing(this.store, this.store.posts.listDrafts(person.id));
  }

  /** The latest published weeknotes of the instance, or by or in one actor, with their names and images. Three queries. */
  async feed(actor: Actor | null, limit: number): Promise<Listing & { media: Media[] }> {
    const posts = actor
      ? (await this.store.posts.listByActor(actor.id, null, limit, ["weeknote"])).items
      : await this.store.posts.listRecent(limit);
    const [names, media] = await Promise.all([namesOf(this.store, posts), this.store.media.forPosts(posts.map((p) => p.id))]);
    return { posts, names, media };
  }

  /** A post of this kind as its page finds it: drafts are not found, deleted ones are (their page says so). */
  async post(id: string, kind: "weeknote" | "note"): Promise<Post | null> {
    const post = await this.store.posts.findById(id);
    return post && post.kind === kind && post.state !== "draft" ? post : null;
  }

  /**
   * Everything a published post's page shows. Its cost does not grow with
   * its replies: eight queries at most, plus one for each level of notes
   * written here in its thread (threadOf). Replies are moderated on
   * weeknotes' pages.
   */
  async postPage(post: Post, viewer: Actor | null): Promise<PostPage> {
    const mayModerate = post.kind === "weeknote" && (await this.moderation.mayModerateReplies(post, viewer));
    // The thread, names, images and counts are the same for every reader (moderators see hidden replies too).
    const shared = this.#postPages.get(
      `${post.id} ${post.version} ${mayModerate}`,
      async () => {
        const [actors, media, thread, counts] = await Promise.all([
          namesOf(this.store, [post]),
          this.store.media.forPost(post.id),
          threadOf(this.store, this.origin, post, mayModerate),
          this.store.interactions.countReactions(post.id),
        ]);
        return { actors, media, thread, counts };
      },
      keepsSmall,
    );
    const [{ actors, media, thread, counts }, mayEdit, mayReply] = await Promise.all([
      shared,
      this.weeknotes.mayEditPost(post, viewer),
      this.moderation.mayReply(post, viewer),
    ]);
    const author = actors.get(post.authorId);
    // Actors are deactivated, never deleted: a post without its author is a broken database.
    if (!author) throw new Error(`Post ${post.id} has no author`);
    const community = post.communityId === null ? null : (actors.get(post.communityId) ?? null);
    return { post, author, community, media, thread, replyCount: countEntries(thread), counts, mayEdit, mayModerate, mayReply };
  }
}
