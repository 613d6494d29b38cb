import type { InboxContext } from "@fedify/fedify";
import type { Flag } from "@fedify/vocab";
import { htmlToText } from "../../src/domain/sanitize.ts";
import type { ContextData } from "../context.ts";
import { logFields, logger } from "./common.ts";

/**
 * Another server reports what is ours (a `Flag`, as Mastodon sends one when
 * someone there reports a post or account from here): its objects are our
 * posts, replies or actors, its content the reporter's note. A report is kept
 * for the instance's administrators; a Flag naming nothing of ours is ignored.
 */
export async function onFlagged(ctx: InboxContext<ContextData>, flag: Flag): Promise<void> {
  if (!flag.actorId) return;
  const objects = flag.objectIds.map((uri) => uri.href);
  const content = flag.content === null ? "" : htmlToText(flag.content.toString());
  const made = await ctx.data.services.reports.receiveFlag(flag.actorId.href, objects, content);
  if (made === 0) logger.info("Ignored {type} {id} from {actor}: it names nothing of ours", logFields(flag));
}
