import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Actor } from "../../domain/types.ts";
import { NOTIFICATION_SETTINGS_PATH } from "../../domain/urls.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import type { FieldErrors } from "../pages/components.tsx";
import { NotificationSettingsPage, NotificationsPage } from "../pages/notifications-page.tsx";
import type { Pages } from "../people.ts";
import { bodyTexts, formBody, formProblem } from "./forms.ts";
import { askedFor, signInFirst } from "./sign-in-first.ts";

/**
 * The signed-in person's notifications (`/notifications`), marked read as
 * they are shown, and their choice of which also come by email
 * (`/notifications/settings`).
 */
export function notificationRoutes({ services }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);
  app.use("*", signInFirst(askedFor(NOTIFICATION_SETTINGS_PATH)));

  const viewer = (c: Context<WebEnv>): Actor => c.get("viewer")!;

  app.get("/", async (c) => {
    const entries = await services.notifications.page(viewer(c));
    // Seen now: the header counts what is left unseen (older ones beyond the page).
    c.set("unreadNotifications", await services.notifications.unreadCount(viewer(c)));
    return render(c, (ctx) => <NotificationsPage ctx={ctx} entries={entries} />);
  });

  async function settingsPage(c: Context<WebEnv>, shown: { notice?: string; errors?: FieldErrors }, status: ContentfulStatusCode = 200) {
    const settings = await services.notifications.settings(viewer(c));
    return render(c, (ctx) => <NotificationSettingsPage ctx={ctx} settings={settings} {...shown} />, status);
  }

  app.get("/settings", (c) => settingsPage(c, { notice: c.req.query("done") === "saved" ? "Your choice is saved." : undefined }));

  app.post("/settings", async (c) => {
    try {
      await services.notifications.chooseEmailKinds(viewer(c), bodyTexts(await formBody(c), "kinds"));
    } catch (error) {
      const { status, errors } = formProblem(error);
      return settingsPage(c, { errors }, status);
    }
    return c.redirect(`${NOTIFICATION_SETTINGS_PATH}?done=saved`, 303);
  });

  return app;
}
