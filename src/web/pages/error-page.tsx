import type { PageContext } from "./context.ts";
import { Layout } from "./layout.tsx";

const HEADINGS: Record<number, string> = {
  400: "That did not work",
  401: "You need to sign in",
  403: "You cannot do that",
  404: "Page not found",
  410: "This is no longer here",
  429: "Too many attempts",
};

/** Errors that say what happened and where to go next. */
export function ErrorPage({ ctx, status, message }: { ctx: PageContext; status: number; message: string }) {
  const heading = HEADINGS[status] ?? (status >= 500 ? "Sorry, something went wrong" : "That did not work");
  return (
    <Layout ctx={ctx} title={heading}>
      <h1>{heading}</h1>
      <p class="lede">{message}</p>
      {status === 404 ? <p>If you typed the address, check it is correct. If you followed a link, it may be out of date.</p> : null}
      {status >= 500 ? <p>Try again in a few minutes. If it keeps happening, tell the people who run this instance.</p> : null}
      <ul class="link-list">
        <li>
          <a href="/">Go to the home page</a>
        </li>
        {ctx.viewer ? null : (
          <li>
            <a href="/sign-in">Sign in</a>
          </li>
        )}
      </ul>
    </Layout>
  );
}
