import type { Actor } from "../domain/types.ts";

/** What middleware puts on each request for the pages. */
export interface WebEnv {
  Variables: {
    /** The signed-in person, or null. */
    viewer: Actor | null;
    /** The token every form on the page must send back. */
    csrfToken: string;
    /** The cookie secret of the signed-in session (to sign out). */
    sessionSecret: string | null;
    /** The instance's name, as set up. */
    instanceName: string;
    /** The instance's time zone, which every time shown and entered is in. */
    timeZone: string;
    /** How many replies wait for the signed-in person's approval; null if they moderate nothing. */
    heldReplies: number | null;
    /** How many notifications the signed-in person has not seen; null when no one is signed in. */
    unreadNotifications: number | null;
  };
}
