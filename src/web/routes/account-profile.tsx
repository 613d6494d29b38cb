import { Hono } from "hono";
import { PROFILE_PATH } from "../../domain/urls.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { ProfilePage, profileValues } from "../pages/profile-page.tsx";
import type { Pages } from "../people.ts";
import { formBody, formProblem } from "./forms.ts";
import { readProfileForm, savedNotice } from "./profile.ts";
import { askedFor, signInFirst } from "./sign-in-first.ts";

/** A person's own profile (`/account/profile`): name, job title, bio, links and picture. */
export function accountProfileRoutes({ services }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);
  app.use("*", signInFirst(askedFor(PROFILE_PATH)));

  app.get("/", (c) => {
    const person = c.get("viewer")!;
    return render(c, (ctx) => (
      <ProfilePage ctx={ctx} actor={person} action={PROFILE_PATH} values={profileValues(person)} notice={savedNotice(c)} />
    ));
  });

  app.post("/", async (c) => {
    const person = c.get("viewer")!;
    const { values, input } = await readProfileForm(await formBody(c), person);
    try {
      await services.profiles.editPerson(person, input);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return render(c, (ctx) => <ProfilePage ctx={ctx} actor={person} action={PROFILE_PATH} values={values} errors={errors} />, status);
    }
    return c.redirect(`${PROFILE_PATH}?done=saved`, 303);
  });

  return app;
}
