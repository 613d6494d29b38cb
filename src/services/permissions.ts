import type { Actor, Permission, Post, Role } from "../domain/types.ts";

/** What each community role may do. A member publishes their own posts only. */
const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ["publish", "moderate", "manage"],
  facilitator: ["publish", "moderate"],
  member: ["publish"],
  observer: [],
};

export const ROLES = Object.keys(GRANTS) as Role[];

export function can(role: Role | null, permission: Permission): boolean {
  return role !== null && GRANTS[role].includes(permission);
}

export function isRole(value: string): value is Role {
  return (ROLES as string[]).includes(value);
}

/**
 * Who may change a community's post (edit or delete a weeknote, edit or move
 * a decision record): its author while they may publish there, and anyone
 * who moderates the community (its facilitators and administrators).
 */
export function mayChangePost(role: Role | null, post: Pick<Post, "authorId">, person: Pick<Actor, "id">): boolean {
  return (post.authorId === person.id && can(role, "publish")) || can(role, "moderate");
}
