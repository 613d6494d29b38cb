import type { Role } from "../../domain/types.ts";

/** A community role as a page names it. */
export const ROLE_NAMES: Record<Role, string> = {
  admin: "Administrator",
  facilitator: "Facilitator",
  member: "Member",
  observer: "Observer",
};

/** What each role may do, in a few words (see GRANTS in services/permissions.ts). */
export const ROLE_HINTS: Record<Role, string> = {
  admin: "Manages the community and its members, and publishes.",
  facilitator: "Publishes, and edits other members' weeknotes.",
  member: "Publishes their own weeknotes.",
  observer: "Reads; does not publish.",
};

/** "an administrator", "a member": a role in a sentence. */
export const aRole = (role: Role) => `${role === "admin" || role === "observer" ? "an" : "a"} ${ROLE_NAMES[role].toLowerCase()}`;
