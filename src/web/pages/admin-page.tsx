import type { Actor, Invitation } from "../../domain/types.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, DateText, ErrorSummary, TextArea, TextInput, type FieldErrors, Notice, ScrollableTable } from "./components.tsx";
import { Layout } from "./layout.tsx";
import { TimeZoneSection, type TimeZoneForm } from "./time-zone-form.tsx";
import { actorPath, membersPath } from "../../domain/urls.ts";

export interface AdminPageProps {
  ctx: PageContext;
  people: Actor[];
  /** People whose sign-in is being slowed after failed attempts, by handle, with how many there were. */
  slowed: Map<string, number>;
  communities: Actor[];
  invitations: Invitation[];
  /** Display names of the administrators who sent the pending invitations, by id. */
  inviters: Map<number, string>;
  /** What the last action did, to confirm it. */
  notice?: string;
  /** The invitation form's text and errors, when it is shown again. */
  invite?: InviteForm;
  /** Whether invitation links can be emailed (the instance sends email): the form then asks for an address. */
  emailsInvitations: boolean;
  /** The new community form's text and errors, when it is shown again. */
  community?: NewCommunityForm;
  /** The time zone form's choice and errors, when it is shown again. */
  timeZone?: TimeZoneForm;
  /** The time now, to show it in the instance's zone. */
  now: Date;
}

export interface InviteForm {
  note: string;
  email: string;
  errors: FieldErrors;
}

export interface NewCommunityForm {
  handle: string;
  name: string;
  purpose: string;
  errors: FieldErrors;
}

/** Instance administration: people (deactivate, reactivate), invitations, communities (create, manage members). */
export function AdminPage(props: AdminPageProps) {
  const { ctx } = props;
  const gettingStarted = props.people.length <= 1 || props.communities.length === 0;
  return (
    <Layout ctx={ctx} title="Administration">
      <h1>Administration</h1>
      <Notice message={props.notice} />
      {gettingStarted ? <FirstSteps ctx={ctx} /> : null}
      <InviteForm ctx={ctx} invite={props.invite} emails={props.emailsInvitations} />
      <PendingInvitations ctx={ctx} invitations={props.invitations} inviters={props.inviters} />
      <People ctx={ctx} people={props.people} slowed={props.slowed} />
      <Communities ctx={ctx} communities={props.communities} />
      <TimeZoneSection ctx={ctx} form={props.timeZone} now={props.now} />
      <CreateCommunity ctx={ctx} form={props.community} />
      <section aria-labelledby="failed-messages-title">
        <h2 id="failed-messages-title">Failed messages</h2>
        <p>
          Messages to or from other servers that failed after every attempt wait until you{" "}
          <a href="/admin/dead-letters">retry or discard them</a>.
        </p>
      </section>
      <section aria-labelledby="domain-blocks-title">
        <h2 id="domain-blocks-title">Blocked domains</h2>
        <p>
          Refuse every server on a domain, with a reason everyone can read: <a href="/admin/domain-blocks">block or unblock domains</a>, or
          import and export a list of them.
        </p>
      </section>
      <section aria-labelledby="account-blocks-title">
        <h2 id="account-blocks-title">Blocked accounts</h2>
        <p>
          Refuse a single account elsewhere, and hide what it sent: <a href="/admin/account-blocks">block or unblock accounts</a>.
        </p>
      </section>
      <section aria-labelledby="reports-title">
        <h2 id="reports-title">Reports</h2>
        <p>
          Posts, replies and accounts reported by people here, visitors and other servers: <a href="/reports">read the open reports</a> and
          act on them.
        </p>
      </section>
      <section aria-labelledby="moderation-log-title">
        <h2 id="moderation-log-title">Moderation log</h2>
        <p>
          Every reply that moderators hid or restored, and every domain blocked or unblocked, with who did it and why, is in the{" "}
          <a href="/admin/moderation-log">moderation log</a>.
        </p>
      </section>
    </Layout>
  );
}

/** Shown until the instance has colleagues and a community: what to do next. */
function FirstSteps({ ctx }: { ctx: PageContext }) {
  return (
    <section class="panel" aria-labelledby="first-steps">
      <h2 id="first-steps">First steps</h2>
      <ol>
        <li>Invite your colleagues with the form below. Each invitation is a link that works once, for 7 days.</li>
        <li>
          Create a community for each team under <a href="#create-community-title">Create a community</a>, then add people to it from its
          members page. Give each community at least one administrator of its own: they can then manage its members themselves.
        </li>
        <li>
          Tell people outside that they can follow any person or community here from Mastodon, for example{" "}
          <span class="handle">
            @{ctx.viewer?.handle ?? "alice"}@{ctx.host}
          </span>
          .
        </li>
      </ol>
    </section>
  );
}

function InviteForm({ ctx, invite, emails }: { ctx: PageContext; invite?: InviteForm; emails: boolean }) {
  const errors = invite?.errors ?? {};
  return (
    <section aria-labelledby="invite-title">
      <h2 id="invite-title">Invite someone</h2>
      <p>
        {emails
          ? "Give their email address and we send them the link, or leave it empty and send the link yourself, by email or chat."
          : "You get a link to send them yourself, by email or chat."}{" "}
        It works once, within 7 days; they choose their own handle and password.
      </p>
      <ErrorSummary errors={errors} labels={{ note: "Note", email: "Email address" }} />
      <form method="post" action="/admin/invitations" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <TextInput
          name="note"
          label="Note (optional)"
          hint="For example their name and team. They see it when they open the link, and you see it in the list of pending invitations. At most 200 characters."
          autocomplete="off"
          value={invite?.note}
          error={errors.note}
        />
        {emails ? (
          <TextInput
            name="email"
            type="email"
            label="Email address (optional)"
            hint="Where to send the link. It is used for this message only."
            autocomplete="off"
            spellcheck={false}
            value={invite?.email}
            error={errors.email}
          />
        ) : null}
        <div class="button-group">
          <button type="submit" class="button">
            Create an invitation link
          </button>
        </div>
      </form>
    </section>
  );
}

function PendingInvitations({
  ctx,
  invitations,
  inviters,
}: {
  ctx: PageContext;
  invitations: Invitation[];
  inviters: Map<number, string>;
}) {
  return (
    <section aria-labelledby="pending-title">
      <h2 id="pending-title">Pending invitations</h2>
      {invitations.length === 0 ? (
        <p class="secondary">No invitations are waiting to be used.</p>
      ) : (
        <ScrollableTable label="Pending invitations">
          <table aria-labelledby="pending-title">
            <thead>
              <tr>
                <th scope="col">Note</th>
                <th scope="col">Invited by</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span class="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((invitation) => (
                <tr>
                  <td>{invitation.note || <span class="secondary">No note</span>}</td>
                  <td>{inviters.get(invitation.invitedBy) ?? "An administrator"}</td>
                  <td>
                    <DateText date={invitation.createdAt} />
                  </td>
                  <td>
                    <DateText date={invitation.expiresAt} />
                  </td>
                  <td>
                    <form method="post" action={`/admin/invitations/${invitation.id}/cancel`}>
                      <CsrfField token={ctx.csrfToken} />
                      <button type="submit" class="button button-secondary">
                        Cancel<span class="visually-hidden"> the invitation{invitation.note ? ` for ${invitation.note}` : ""}</span>
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollableTable>
      )}
    </section>
  );
}

function People({ ctx, people, slowed }: { ctx: PageContext; people: Actor[]; slowed: Map<string, number> }) {
  return (
    <section aria-labelledby="people-title">
      <h2 id="people-title">People</h2>
      <ScrollableTable label="People">
        <table aria-labelledby="people-title">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Job title</th>
              <th scope="col">Administrator</th>
              <th scope="col">Status</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {people.map((person) => (
              <tr>
                <td>
                  {/* A deactivated person's page is gone, so only active people get a link. */}
                  {person.deactivatedAt ? person.displayName : <a href={actorPath(person.handle)}>{person.displayName}</a>}
                  <br />
                  <span class="handle secondary">@{person.handle}</span>
                </td>
                <td>{person.jobTitle ?? ""}</td>
                <td>{person.isAdmin ? "Yes" : "No"}</td>
                <td>
                  {person.deactivatedAt ? "Deactivated" : "Active"}
                  {slowed.has(person.handle) ? (
                    <>
                      <br />
                      <span class="secondary">Sign-in slowed after {slowed.get(person.handle)} failed attempts</span>
                    </>
                  ) : null}
                </td>
                <td>
                  <PersonAction ctx={ctx} person={person} />
                  {slowed.has(person.handle) ? <ClearSignInFailures ctx={ctx} person={person} /> : null}
                  {person.deactivatedAt ? null : <ResetLink ctx={ctx} person={person} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollableTable>
    </section>
  );
}

/** Deactivating asks first (a page of its own); reactivating is harmless, so it is one button. */
function PersonAction({ ctx, person }: { ctx: PageContext; person: Actor }) {
  if (person.id === ctx.viewer?.id) return <span class="secondary">This is you</span>;
  if (!person.deactivatedAt) {
    return (
      <a class="button button-secondary" href={`/admin/people/${person.handle}/deactivate`}>
        Deactivate<span class="visually-hidden"> {person.displayName}</span>
      </a>
    );
  }
  return (
    <form method="post" action={`/admin/people/${person.handle}/reactivate`}>
      <CsrfField token={ctx.csrfToken} />
      <button type="submit" class="button button-secondary">
        Reactivate<span class="visually-hidden"> {person.displayName}</span>
      </button>
    </form>
  );
}

/** Makes a one-time link for the person to choose a new password, shown on the next page. */
function ResetLink({ ctx, person }: { ctx: PageContext; person: Actor }) {
  return (
    <form method="post" action={`/admin/people/${person.handle}/password-reset`}>
      <CsrfField token={ctx.csrfToken} />
      <button type="submit" class="button button-secondary">
        Password reset link<span class="visually-hidden"> for {person.displayName}</span>
      </button>
    </form>
  );
}

/** Lets the person sign in at once, without the wait that failed attempts on their account (perhaps someone else's guesses) impose. */
function ClearSignInFailures({ ctx, person }: { ctx: PageContext; person: Actor }) {
  return (
    <form method="post" action={`/admin/people/${person.handle}/clear-sign-in-failures`}>
      <CsrfField token={ctx.csrfToken} />
      <button type="submit" class="button button-secondary">
        Clear failed sign-ins<span class="visually-hidden"> of {person.displayName}</span>
      </button>
    </form>
  );
}

function Communities({ ctx, communities }: { ctx: PageContext; communities: Actor[] }) {
  return (
    <section aria-labelledby="communities-title">
      <h2 id="communities-title">Communities</h2>
      {communities.length === 0 ? (
        <p class="secondary">No communities yet.</p>
      ) : (
        <ul class="link-list">
          {communities.map((community) => (
            <li>
              {community.deactivatedAt ? community.displayName : <a href={actorPath(community.handle)}>{community.displayName}</a>}
              <br />
              <span class="handle secondary">
                @{community.handle}@{ctx.host}
              </span>
              <br />
              <a href={membersPath(community.handle)}>
                Manage members<span class="visually-hidden"> of {community.displayName}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function CreateCommunity({ ctx, form }: { ctx: PageContext; form?: NewCommunityForm }) {
  const errors = form?.errors ?? {};
  return (
    <section aria-labelledby="create-community-title">
      <h2 id="create-community-title">Create a community</h2>
      <p>A community is a team or group that publishes weeknotes together. Once it exists, add its members from its members page.</p>
      <ErrorSummary errors={errors} labels={{ handle: "Handle", name: "Name", purpose: "Purpose" }} />
      <form method="post" action="/admin/communities" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <TextInput
          name="handle"
          label="Handle"
          hint={`1 to 30 lower-case letters, digits or underscores. Its page is /@handle and the fediverse follows it as @handle@${ctx.host}; it cannot be changed later.`}
          autocomplete="off"
          spellcheck={false}
          narrow
          value={form?.handle}
          error={errors.handle}
        />
        <TextInput
          name="name"
          label="Name"
          hint="For example The Data Team. At most 100 characters."
          autocomplete="off"
          value={form?.name}
          error={errors.name}
        />
        <TextArea
          name="purpose"
          label="Purpose"
          hint="What the community is for, in a sentence or two. It opens the community's page."
          rows={4}
          value={form?.purpose}
          error={errors.purpose}
        />
        <div class="button-group">
          <button type="submit" class="button">
            Create the community
          </button>
        </div>
      </form>
      <p class="secondary">
        The command line can do this too: <code>npm run connexo -- create-community</code> and <code>add-member</code>.
      </p>
    </section>
  );
}
