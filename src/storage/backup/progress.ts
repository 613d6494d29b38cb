/** Where a backup or restore is: the database copy (pages, or 0 of 1 while pg_dump runs), media files, archive entries. */
export interface ProgressEvent {
  phase: "database" | "media" | "archive" | "check";
  done: number;
  total: number;
}

export type Progress = (event: ProgressEvent) => void;

/** Tables whose rows the manifest counts, to say what a backup holds and to check a restore. */
export const KEY_TABLES = ["actors", "actor_keys", "followers", "followings", "posts", "decisions", "media", "queue_messages"];
