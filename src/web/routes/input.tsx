import { Hono } from "hono";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { InputPage } from "../pages/input-page.tsx";
import type { Pages } from "../people.ts";
import { formProblem } from "./forms.ts";

/**
 * `/input`: the form asking for a handle, and with `?author=` everything that
 * account replied to this instance's decision records, with the outcomes.
 * Public, like the records and their replies, so signed-out readers use it.
 */
export function inputRoutes({ services }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);

  app.get("/", async (c) => {
    const author = c.req.query("author")?.trim() ?? "";
    if (author === "") return render(c, (ctx) => <InputPage ctx={ctx} author="" />);
    try {
      const input = await services.inputs.byAuthor(author);
      return render(c, (ctx) => <InputPage ctx={ctx} author={author} input={input} />);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return render(c, (ctx) => <InputPage ctx={ctx} author={author} errors={errors} />, status);
    }
  });

  return app;
}
