import { REACTIONS_PATH } from "../../domain/urls.ts";
import type { PageContext } from "./context.ts";
import { CsrfField } from "./components.tsx";

/** What the page a reaction came from says once it is back there (`?done=`). */
export const REACTION_DONE: Record<string, string> = {
  liked: "You liked the post.",
  unliked: "You took back your like.",
  boosted: "You boosted the post: your followers will see it.",
  unboosted: "You took back your boost.",
};

/**
 * Like and boost buttons for a signed-in person, or the buttons to take
 * them back: small forms that post and come back to `back` (the page they
 * are on), so they work without JavaScript.
 */
export function ReactionButtons(props: {
  ctx: PageContext;
  objectUri: string;
  title: string;
  liked: boolean;
  boosted: boolean;
  back: string;
}) {
  const { ctx } = props;
  if (!ctx.viewer) return null;
  const form = (action: "like" | "unlike" | "boost" | "unboost", label: string) => (
    <form method="post" action={REACTIONS_PATH}>
      <CsrfField token={ctx.csrfToken} />
      <input type="hidden" name="object" value={props.objectUri} />
      <input type="hidden" name="action" value={action} />
      <input type="hidden" name="back" value={props.back} />
      <button type="submit" class="button button-secondary">
        {label}
        <span class="visually-hidden">: {props.title}</span>
      </button>
    </form>
  );
  return (
    <div class="button-group reactions">
      {props.liked ? form("unlike", "Undo like") : form("like", "Like")}
      {props.boosted ? form("unboost", "Undo boost") : form("boost", "Boost")}
    </div>
  );
}
