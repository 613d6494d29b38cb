import type { Child } from "hono/jsx";
import type { MembershipElsewhere } from "../../domain/types.ts";
import { MEMBERSHIPS_PATH, membershipElsewherePath } from "../../domain/urls.ts";
import { membershipName, organisationOf, remoteNameOf, remotePageOf } from "../../domain/remote-actor-names.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, ErrorSummary, Notice, RemoteLink, TextInput, type FieldErrors } from "./components.tsx";
import { Layout } from "./layout.tsx";
import { ROLE_NAMES } from "./roles.ts";

export interface MembershipsPageProps {
  ctx: PageContext;
  /** The person's memberships elsewhere in every state, oldest first. */
  memberships: MembershipElsewhere[];
  /** What the last action did, to confirm it. */
  notice?: string;
  /** The join form's text and errors, when it is shown again. */
  join?: { community: string; errors: FieldErrors };
}

/** The signed-in person's communities on other servers: invitations to answer, requests waiting, memberships, and asking to join. */
export function MembershipsPage(props: MembershipsPageProps) {
  const { ctx, memberships } = props;
  const heading = "Communities elsewhere";
  const inState = (...states: MembershipElsewhere["state"][]) => memberships.filter((m) => states.includes(m.state));
  const invited = inState("invited");
  const waiting = inState("resolving", "requested");
  const active = inState("active");
  const failed = inState("failed");
  return (
    <Layout ctx={ctx} title={props.join ? `Error: ${heading}` : heading}>
      <h1>{heading}</h1>
      <p class="lede">
        Communities on other servers that you belong to, are invited to, or have asked to join. Each community's own server decides your
        role there.
      </p>
      <Notice message={props.notice} />
      {invited.length > 0 ? (
        <Section id="invitations" title="Invitations">
          <ul class="link-list">
            {invited.map((m) => (
              <Item membership={m} detail={m.role ? `Invites you as: ${ROLE_NAMES[m.role]}` : "Invites you to join"}>
                <ActionButton ctx={ctx} membership={m} action="accept" label="Accept" primary />
                <ActionButton ctx={ctx} membership={m} action="decline" label="Decline" />
              </Item>
            ))}
          </ul>
        </Section>
      ) : null}
      {waiting.length > 0 ? (
        <Section id="requests" title="Waiting for an answer">
          <ul class="link-list">
            {waiting.map((m) => (
              <Item
                membership={m}
                detail={m.state === "resolving" ? "Looking up the community" : "You asked to join; the community has not answered yet"}
              >
                <ActionButton ctx={ctx} membership={m} action="leave" label="Withdraw" />
              </Item>
            ))}
          </ul>
        </Section>
      ) : null}
      <Section id="memberships" title="Your memberships">
        {active.length === 0 ? (
          <p class="secondary">You are not a member of any community elsewhere yet.</p>
        ) : (
          <ul class="link-list">
            {active.map((m) => (
              <Item membership={m} detail={`Your role: ${m.role ? ROLE_NAMES[m.role] : "not given"}`}>
                <ActionButton ctx={ctx} membership={m} action="leave" label="Leave" />
              </Item>
            ))}
          </ul>
        )}
      </Section>
      {failed.length > 0 ? (
        <Section id="failed" title="Not found">
          <ul class="link-list">
            {failed.map((m) => (
              <Item membership={m} detail="No community could be reached at this address. Check it, and ask again below.">
                <ActionButton ctx={ctx} membership={m} action="leave" label="Remove" />
              </Item>
            ))}
          </ul>
        </Section>
      ) : null}
      <JoinForm ctx={ctx} join={props.join} />
    </Layout>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: Child }) {
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

/** One community: its name (a link to its page once it is known), its organisation, what stands, and the buttons that fit. */
function Item({ membership, detail, children }: { membership: MembershipElsewhere; detail: string; children: Child }) {
  const community = membership.community;
  return (
    <li>
      {community ? (
        <>
          <RemoteLink href={remotePageOf(community)}>{remoteNameOf(community)}</RemoteLink>
          <span class="secondary"> · {organisationOf(community)}</span>
        </>
      ) : (
        <span class="handle">{membership.target}</span>
      )}
      <br />
      <span>{detail}</span>
      <div class="button-group">{children}</div>
    </li>
  );
}

/** A button that posts to one of the membership's actions; its name says which community, for those who hear it out of context. */
function ActionButton(props: {
  ctx: PageContext;
  membership: MembershipElsewhere;
  action: "accept" | "decline" | "leave";
  label: string;
  primary?: boolean;
}) {
  return (
    <form method="post" action={`${membershipElsewherePath(props.membership.id)}/${props.action}`}>
      <CsrfField token={props.ctx.csrfToken} />
      <button type="submit" class={props.primary ? "button" : "button button-secondary"}>
        {props.label}
        <span class="visually-hidden"> {membershipName(props.membership)}</span>
      </button>
    </form>
  );
}

function JoinForm({ ctx, join }: { ctx: PageContext; join?: MembershipsPageProps["join"] }) {
  return (
    <section aria-labelledby="join-title">
      <h2 id="join-title">Ask to join a community elsewhere</h2>
      <form method="post" action={MEMBERSHIPS_PATH} novalidate>
        <CsrfField token={ctx.csrfToken} />
        {join ? <ErrorSummary errors={join.errors} labels={{ community: "Community" }} /> : null}
        <TextInput
          name="community"
          label="Community"
          hint="Its address, like @team@other.example, or the link to its page. Its administrators decide whether to let you in."
          value={join?.community}
          error={join?.errors.community}
          spellcheck={false}
        />
        <div class="button-group">
          <button type="submit" class="button">
            Ask to join
          </button>
        </div>
      </form>
    </section>
  );
}
