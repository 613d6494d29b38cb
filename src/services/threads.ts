import type { Post } from "../domain/types.ts";
import { absoluteUrl, actorPath, localPostPath, notePath } from "../domain/urls.ts";
import { webUrl } from "../domain/web-url.ts";
import type { Store } from "../storage/repositories.ts";
import { actorsById } from "./names.ts";

/** One reply in a thread, from here or from anywhere in the fediverse. */
export interface ThreadEntry {
  /** Its id (URL), which replies to it name as their inReplyTo. */
  uri: string;
  inReplyTo: string;
  /** From another server: its addresses are that server's, and become links only if they are web addresses. */
  remote: boolean;
  author: { name: string; handle: string | null; profileUrl: string | null; avatarUrl: string | null };
  /** Sanitised HTML. */
  contentHtml: string;
  url: string | null;
  publishedAt: Date;
  /** Why a moderator hid it, for those who may moderate it (everyone else is not shown it); null when it is shown. */
  hiddenReason: string | null;
  children: ThreadEntry[];
}

/** How many levels of notes written here are followed below the post and its replies. */
const NOTE_LEVELS = 6;

/** How many entries a thread shows to everyone, at every level: hidden ones do not count. */
export const countEntries = (entries: ThreadEntry[]): number =>
  entries.reduce((n, e) => n + (e.hiddenReason === null ? 1 : 0) + countEntries(e.children), 0);

/**
 * The replies to a local post as a thread: remote replies and the notes
 * people here wrote, each under what it answers. Anything whose parent we do
 * not hold goes at the top level.
 *
 * Replies a moderator hid (from elsewhere or written here) are left out,
 * unless `withHidden` (for those who may moderate them): then they are in,
 * with the reason they were hidden. Notes written here that answer a hidden
 * reply are left out with it.
 *
 * Its cost does not grow with the number of replies: one query for the
 * remote replies, one for why hidden ones were hidden (if any are shown),
 * one per level of local notes (at most NOTE_LEVELS), and one for the
 * authors of those notes.
 */
export async function threadOf(store: Store, origin: string, post: Post, withHidden = false): Promise<ThreadEntry[]> {
  const postUrl = absoluteUrl(origin, localPostPath(post));
  const remote = await store.interactions.replies(post.id, withHidden ? ["visible", "hidden"] : ["visible"]);
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
    hiddenReason: r.state === "hidden" ? "" : null,
    children: [],
  }));

  // Local notes answering the post or any reply, a few levels deep.
  const noteUrl = (note: Post) => absoluteUrl(origin, notePath(note.id));
  const known = new Set([postUrl, ...entries.map((e) => e.uri)]);
  const notes: Post[] = [];
  let frontier = [...known];
  for (let level = 0; level < NOTE_LEVELS && frontier.length > 0; level++) {
    const found = (await store.posts.listNotesReplyingTo(frontier, withHidden)).filter((n) => !known.has(noteUrl(n)));
    frontier = found.map(noteUrl);
    for (const uri of frontier) known.add(uri);
    notes.push(...found);
  }
  const authors = await actorsById(
    store,
    notes.map((n) => n.authorId),
  );
  const host = new URL(origin).host;
  for (const note of notes) {
    const author = authors.get(note.authorId);
    entries.push({
      uri: noteUrl(note),
      inReplyTo: note.inReplyTo ?? postUrl,
      remote: false,
      author: {
        name: author?.displayName ?? "Someone here",
        handle: author ? `@${author.handle}@${host}` : null,
        profileUrl: author ? actorPath(author.handle) : null,
        avatarUrl: author?.avatarUrl ?? null,
      },
      contentHtml: note.contentHtml,
      url: notePath(note.id),
      publishedAt: note.publishedAt ?? note.createdAt,
      hiddenReason: note.hiddenAt ? "" : null,
      children: [],
    });
  }

  // Why each hidden one was hidden, for those who may see it: one query for all of them.
  const reasons = await hidingReasons(
    store,
    entries.filter((e) => e.hiddenReason !== null).map((e) => e.uri),
  );
  for (const entry of entries) if (entry.hiddenReason !== null) entry.hiddenReason = reasons.get(entry.uri) ?? "";

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

/** How many times a reply can have been hidden and restored before its latest reason is looked for no further. */
const REASONS_READ = 1000;

/** Why each of these replies was last hidden, by URI; one query, none when there are none. */
async function hidingReasons(store: Store, uris: string[]): Promise<Map<string, string>> {
  const reasons = new Map<string, string>();
  if (uris.length === 0) return reasons;
  // Newest first: the first entry for each reply is its latest.
  for (const entry of await store.moderationLog.list({ action: "reply.hidden", subjects: uris }, REASONS_READ, 0)) {
    if (!reasons.has(entry.subject)) reasons.set(entry.subject, entry.reason);
  }
  return reasons;
}
