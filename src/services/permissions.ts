import type { Permission, Role } from "../domain/types.ts";

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
