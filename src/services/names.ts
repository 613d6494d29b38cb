import type { Actor, Post } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";

/** Local actors by id: the authors and communities a list of posts names, the people in a record's history. */
export type ActorsById = Map<number, Actor>;

/** Posts with the names of their authors and communities, for lists. */
export interface Listing {
  posts: Post[];
  names: ActorsById;
}

/** Local actors by id, in one query whatever their number; ids of actors no longer here are left out. */
export async function actorsById(store: Store, ids: Iterable<number>): Promise<ActorsById> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const actors = await store.actors.findByIds(unique);
  return new Map(actors.map((a) => [a.id, a]));
}

/** The authors and communities of these posts. */
export const namesOf = (store: Store, posts: Post[]): Promise<ActorsById> =>
  actorsById(
    store,
    posts.flatMap((p) => [p.authorId, ...(p.communityId === null ? [] : [p.communityId])]),
  );

/** Posts with their names: two queries in all, the posts' own and the names'. */
export async function listing(store: Store, posts: Promise<Post[]>): Promise<Listing> {
  const found = await posts;
  return { posts: found, names: await namesOf(store, found) };
}
