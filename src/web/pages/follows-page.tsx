import type { ListPage } from "../../domain/paging.ts";
import type { Actor, Following, RemoteActor } from "../../domain/types.ts";
import { FOLLOWS_PATH, followsPath, UNFOLLOW_PATH } from "../../domain/urls.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, ErrorSummary, Field, Notice, RemoteLink, TextInput, type FieldErrors } from "./components.tsx";
import { Layout } from "./layout.tsx";
import { PagingLinks } from "./paging-links.tsx";

export interface FollowsPageProps {
  ctx: PageContext;
  /** The viewer, then the communities they manage. */
  actors: Actor[];
  /** Whose lists are shown. */
  actor: Actor;
  following: ListPage<Following>;
  followers: ListPage<RemoteActor>;
  notice?: string;
  /** The follow form's text, choice and errors, when it is shown again. */
  follow?: { target: string; as: string; errors: FieldErrors };
}

const STATES: Record<Following["state"], string> = {
  resolving: "Looking them up",
  pending: "Waiting for them to accept",
  accepted: "Following",
  rejected: "Refused",
  failed: "Not found",
};

const nameOf = (actor: Actor, viewer: Actor) => (actor.id === viewer.id ? "You" : actor.displayName);

/** Whom you and the communities you manage follow, who follows you and them, and a form to follow more. */
export function FollowsPage(props: FollowsPageProps) {
  const { ctx, actor } = props;
  const viewer = ctx.viewer!;
  const mine = actor.id === viewer.id;
  const here = followsPath(mine ? undefined : actor.handle);
  return (
    <Layout ctx={ctx} title="Follows">
      <h1>Follows</h1>
      <Notice message={props.notice} />
      {props.actors.length > 1 ? (
        <nav aria-label="Whose follows">
          <ul class="inline-list">
            {props.actors.map((a) => (
              <li>
                <a href={followsPath(a.id === viewer.id ? undefined : a.handle)} aria-current={a.id === actor.id ? "page" : undefined}>
                  {a.id === viewer.id ? "Yours" : a.displayName}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <div class="two-columns">
        <div>
          <section aria-labelledby="following-title">
            <h2 id="following-title">{mine ? "You follow" : `${actor.displayName} follows`}</h2>
            {props.following.items.length === 0 ? (
              <p class="secondary">No one yet.</p>
            ) : (
              <ul class="link-list">
                {props.following.items.map((f) => (
                  <FollowingItem ctx={ctx} following={f} back={here} />
                ))}
              </ul>
            )}
            <PagingLinks pages={props.following} path={here} prefix="following-" label="More accounts followed" />
          </section>
          <section aria-labelledby="followers-title">
            <h2 id="followers-title">{mine ? "Your followers" : `Followers of ${actor.displayName}`}</h2>
            {props.followers.items.length === 0 ? (
              <p class="secondary">No followers yet.</p>
            ) : (
              <ul class="link-list">
                {props.followers.items.map((remote) => (
                  <li>
                    <RemoteLink href={remote.url} or={remote.uri}>
                      {remote.name ?? remote.handle ?? remote.uri}
                    </RemoteLink>
                    {remote.handle ? (
                      <>
                        <br />
                        <span class="handle secondary">{remote.handle}</span>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
            <PagingLinks pages={props.followers} path={here} prefix="followers-" label="More followers" />
          </section>
        </div>
        <aside>
          <FollowForm ctx={ctx} actors={props.actors} as={props.follow?.as ?? actor.handle} follow={props.follow} />
        </aside>
      </div>
    </Layout>
  );
}

/** An account followed, or asked to be, with how far the follow has come and a button to stop it. */
export function FollowingItem({ ctx, following, back }: { ctx: PageContext; following: Following; back: string }) {
  const remote = following.remoteActor;
  const name = remote?.name ?? remote?.handle ?? following.target;
  return (
    <li>
      {remote ? (
        <RemoteLink href={remote.url} or={remote.uri}>
          {name}
        </RemoteLink>
      ) : (
        <span class="handle">{following.target}</span>
      )}
      {remote?.handle ? (
        <>
          <br />
          <span class="handle secondary">{remote.handle}</span>
        </>
      ) : null}
      {following.state === "accepted" ? null : (
        <>
          <br />
          <span class="secondary">{STATES[following.state]}</span>
        </>
      )}
      <UnfollowButton ctx={ctx} following={following} name={name} back={back} />
    </li>
  );
}

/** A button that stops a follow (or withdraws the request), then comes back to `back`. */
function UnfollowButton({ ctx, following, name, back }: { ctx: PageContext; following: Following; name: string; back: string }) {
  return (
    <form method="post" action={UNFOLLOW_PATH} class="button-group">
      <CsrfField token={ctx.csrfToken} />
      <input type="hidden" name="following" value={following.id} />
      <input type="hidden" name="back" value={back} />
      <button type="submit" class="button button-secondary">
        {following.state === "accepted" ? "Unfollow" : "Cancel follow"}
        <span class="visually-hidden"> {name}</span>
      </button>
    </form>
  );
}

function FollowForm(props: { ctx: PageContext; actors: Actor[]; as: string; follow?: { target: string; errors: FieldErrors } }) {
  const { ctx } = props;
  const viewer = ctx.viewer!;
  return (
    <section aria-labelledby="follow-title">
      <h2 id="follow-title">Follow someone</h2>
      <form method="post" action={FOLLOWS_PATH}>
        <CsrfField token={ctx.csrfToken} />
        {props.follow ? <ErrorSummary errors={props.follow.errors} labels={{ target: "Account", as: "Follow as" }} /> : null}
        <TextInput
          name="target"
          label="Account"
          hint="Their address, like @team@digital.example.gov, or the link to their profile."
          value={props.follow?.target}
          error={props.follow?.errors.target}
          spellcheck={false}
        />
        {props.actors.length > 1 ? (
          <Field name="as" label="Follow as" error={props.follow?.errors.as}>
            <select id="as" name="as">
              {props.actors.map((a) => (
                <option value={a.handle} selected={a.handle === props.as}>
                  {nameOf(a, viewer)}
                </option>
              ))}
            </select>
          </Field>
        ) : (
          <input type="hidden" name="as" value={viewer.handle} />
        )}
        <div class="button-group">
          <button type="submit" class="button">
            Follow
          </button>
        </div>
      </form>
    </section>
  );
}
