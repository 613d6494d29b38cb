import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { PageContext } from "./context.ts";
import { CsrfField } from "./components.tsx";
import {
  actorPath,
  COMMUNITIES_PATH,
  DECISION_FEED_PATH,
  DECISIONS_PATH,
  FEED_PATH,
  impactPath,
  MEMBERSHIPS_PATH,
  MODERATION_PATH,
  NOTIFICATIONS_PATH,
} from "../../domain/urls.ts";

export interface Feed {
  title: string;
  href: string;
}

/** The frame of every page: header with the instance's name and navigation, main content, footer. */
export function Layout(props: { ctx: PageContext; title: string; feeds?: Feed[]; description?: string; children: Child }) {
  const { ctx } = props;
  const fullTitle = props.title === ctx.instanceName ? ctx.instanceName : `${props.title} – ${ctx.instanceName}`;
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{fullTitle}</title>
          {props.description ? <meta name="description" content={props.description} /> : null}
          <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/static/style.css" />
          {(props.feeds ?? []).map((feed) => (
            <link rel="alternate" type="application/atom+xml" title={feed.title} href={feed.href} />
          ))}
          <script src="/static/app.js" defer></script>
        </head>
        <body>
          <a class="skip-link" href="#content">
            Skip to main content
          </a>
          <header class="page-header">
            <div class="container">
              <a class="site-name" href="/">
                {ctx.instanceName}
              </a>
              <Navigation ctx={ctx} />
            </div>
          </header>
          <main id="content" class="container" tabindex={-1}>
            {props.children}
          </main>
          <footer class="page-footer">
            <div class="container">
              <ul>
                <li>
                  <a href="/">Home</a>
                </li>
                <li>
                  <a href={FEED_PATH}>Atom feed of all weeknotes</a>
                </li>
                <li>
                  <a href={DECISION_FEED_PATH}>Atom feed of decisions</a>
                </li>
                <li>
                  <a href={impactPath()}>What consultations changed</a>
                </li>
                <li>
                  <a href="/about/blocked-domains">Blocked domains</a>
                </li>
                <li>Runs on Connexo, part of the fediverse</li>
              </ul>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}

function Navigation({ ctx }: { ctx: PageContext }) {
  const viewer = ctx.viewer;
  return (
    <nav class="site-nav" aria-label="Main">
      <ul>
        <li>
          <a href={COMMUNITIES_PATH}>Communities</a>
        </li>
        <li>
          <a href={DECISIONS_PATH}>Decisions</a>
        </li>
        {viewer ? (
          <>
            <li>
              <a href="/compose">Write a weeknote</a>
            </li>
            <li>
              <a href="/drafts">Drafts</a>
            </li>
            <li>
              <a href="/timeline">Following</a>
            </li>
            <li>
              <a href={MEMBERSHIPS_PATH}>Communities elsewhere</a>
            </li>
            <li>
              <a href={NOTIFICATIONS_PATH}>{ctx.unreadNotifications ? `Notifications (${ctx.unreadNotifications})` : "Notifications"}</a>
            </li>
            {ctx.heldReplies !== null ? (
              <li>
                <a href={MODERATION_PATH}>{ctx.heldReplies > 0 ? `Moderation (${ctx.heldReplies} waiting)` : "Moderation"}</a>
              </li>
            ) : null}
            {viewer.isAdmin ? (
              <li>
                <a href="/admin">Administration</a>
              </li>
            ) : null}
            <li>
              <a href={actorPath(viewer.handle)}>{viewer.displayName}</a>
            </li>
            <li>
              <form method="post" action="/sign-out">
                <CsrfField token={ctx.csrfToken} />
                <button type="submit">Sign out</button>
              </form>
            </li>
          </>
        ) : (
          <li>
            <a href="/sign-in">Sign in</a>
          </li>
        )}
      </ul>
    </nav>
  );
}
