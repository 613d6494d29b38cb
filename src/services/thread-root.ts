import type { Post } from "../domain/types.ts";
import { localPostIdOf } from "../domain/urls.ts";
import type { Store } from "../storage/repositories.ts";

/** How far up a chain of replies the post they answer is looked for (threads show notes a few levels deep). */
const THREAD_DEPTH = 8;

/**
 * The post here (a weeknote or decision record) whose thread a note written
 * here is in: up the chain of what it answers, through notes here and replies
 * from elsewhere that we hold. Null when the chain leads elsewhere (a note
 * answering a post on another server) or is too long. One query a level.
 */
export async function threadRootOf(store: Store, origin: string, note: Post): Promise<Post | null> {
  let current: Post | null = note;
  for (let level = 0; current?.kind === "note" && current.inReplyTo && level < THREAD_DEPTH; level++) {
    const localId = localPostIdOf(current.inReplyTo, origin);
    if (localId) {
      current = await store.posts.findById(localId);
      continue;
    }
    const reply = await store.interactions.findReplyByUri(current.inReplyTo);
    return reply ? store.posts.findById(reply.postId) : null;
  }
  return current && current.kind !== "note" ? current : null;
}

/**
 * The post here whose thread something here answers is in, given the URL it
 * answers: a weeknote or record itself, the root of a note's thread, or the
 * post a reply from elsewhere that we hold answers. Null for anything else.
 */
export async function threadRootAnswered(store: Store, origin: string, url: string): Promise<Post | null> {
  const localId = localPostIdOf(url, origin);
  if (localId) {
    const post = await store.posts.findById(localId);
    return post?.kind === "note" ? threadRootOf(store, origin, post) : post;
  }
  const reply = await store.interactions.findReplyByUri(url);
  return reply ? store.posts.findById(reply.postId) : null;
}
