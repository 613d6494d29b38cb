import type { Actor, Post } from "../../domain/types.ts";
import { webUrl } from "../../domain/web-url.ts";
import type { Services } from "../../services/index.ts";
import { can } from "../../services/permissions.ts";
import type { PostNames } from "../pages/components.tsx";
import type { ThreadEntry } from "../pages/post-page.tsx";

/** Local actors by id, each looked up once; ids of actors no longer here are left out. */
export async function actorsById(services: Services, ids: Iterable<number>): Promise<Map<number, Actor>> {
  const actors = await Promise.all([...new Set(ids)].map((id) => services.store.actors.findById(id)));
  return new Map(actors.filter((a) => a !== null).map((a) => [a.id, a]));
}

/** The names of the authors and communities of these posts, for lists. */
export async function namesFor(services: Services, posts: Post[]): Promise<PostNames> {
  return actorsById(
    services,
    posts.flatMap((p) => [p.authorId, ...(p.communityId === null ? [] : [p.communityId])]),
  );
}

/** The communities this person may publish in (weeknotes and decision records), for a form's list. */
export async function publishableCommunities(services: Services, viewer: Actor): Promise<{ handle: string; displayName: string }[]> {
  const memberships = await services.store.actors.membershipsOfPerson(viewer.id);
  return memberships
    .filter((m) => can(m.role, "publish") && !m.community.deactivatedAt)
    .map((m) => ({ handle: m.community.handle, displayName: m.community.displayName }));
}

/**
 * The replies to a local post as a thread: remote replies and the notes
 * people here wrote, each under what it answers. Anything whose parent we do
 * not hold goes at the top level.
 */
export async function threadFor(services: Services, post: Post, postUrl: string, origin: string): Promise<ThreadEntry[]> {
  const remote = await services.store.interactions.replies(post.id);
  const entries: ThreadEntry[] = remote.map((r) => ({
    uri: r.uri,
    inReplyTo: r.inReplyTo,
    remote: true,
    author: {
      name: r.author?.name ?? r.author?.handle ?? "Someone on the fediverse",
      handle: r.author?.handle ? `@${r.author.handle.replace(/^@/, "")}` : null,
      // A profile or post whose own address is not a web page links to its id, if that is one.
      profileUrl: webUrl(r.author?.url, r.author?.uri),
      avatarUrl: r.author?.iconUrl ?? null,
    },
    contentHtml: r.contentHtml,
    url: webUrl(r.url, r.uri),
    publishedAt: r.publishedAt,
    children: [],
  }));

  // Local notes answering the post or any reply, a few levels deep.
  const known = new Set([postUrl, ...entries.map((e) => e.uri)]);
  let frontier = [...known];
  for (let depth = 0; depth < 6 && frontier.length > 0; depth++) {
    const notes = (await services.store.posts.listNotesReplyingTo(frontier)).filter((n) => !known.has(noteUrl(origin, n.id)));
    frontier = [];
    for (const note of notes) {
      const author = await services.store.actors.findById(note.authorId);
      const uri = noteUrl(origin, note.id);
      known.add(uri);
      frontier.push(uri);
      entries.push({
        uri,
        inReplyTo: note.inReplyTo ?? postUrl,
        remote: false,
        author: {
          name: author?.displayName ?? "Someone here",
          handle: author ? `@${author.handle}@${new URL(origin).host}` : null,
          profileUrl: author ? `/@${author.handle}` : null,
          avatarUrl: author?.avatarUrl ?? null,
        },
        contentHtml: note.contentHtml,
        url: `/notes/${note.id}`,
        publishedAt: note.publishedAt ?? note.createdAt,
        children: [],
      });
    }
  }

  entries.sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
  const byUri = new Map(entries.map((e) => [e.uri, e]));
  const roots: ThreadEntry[] = [];
  for (const entry of entries) {
    const parent = entry.inReplyTo === postUrl ? undefined : byUri.get(entry.inReplyTo);
    if (parent) parent.children.push(entry);
    else roots.push(entry);
  }
  return roots;
}

const noteUrl = (origin: string, id: string) => new URL(`/notes/${id}`, origin).href;
