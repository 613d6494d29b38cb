import type { FedCtx } from "../context.ts";
import { activityUri } from "./urls.ts";

/**
 * Ids of the activities about a post. They are derived, not random, so that an
 * event handled twice after a crash sends the same activity, which receivers
 * then take once.
 */
export function activityIds(ctx: FedCtx, postId: string) {
  return {
    create: activityUri(ctx, `create-${postId}`),
    announce: activityUri(ctx, `announce-${postId}`),
    update: (version: number) => activityUri(ctx, `update-${postId}-${version}`),
    delete: activityUri(ctx, `delete-${postId}`),
  };
}
