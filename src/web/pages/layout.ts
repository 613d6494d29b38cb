import type { Context } from "hono";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

type Body = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The frame of every page. Plain and readable; the stylesheet comes with the web interface. */
export function layout(title: string, body: Body, extraHead: Body | string = "") {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${extraHead}
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

export function errorPage(_c: Context, status: number, message: string) {
  const heading = status === 404 ? "Page not found" : status >= 500 ? "Something went wrong" : "That did not work";
  return layout(heading, html`<h1>${heading}</h1><p>${message}</p><p><a href="/">Go to the home page</a></p>`);
}
