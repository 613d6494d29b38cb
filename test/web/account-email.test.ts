import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { page } from "../helpers/html.ts";
import { startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";
const HTML = { accept: "text/html,application/xhtml+xml" };

/** A person's own email address (`/account/email`): set, changed and cleared knowing their password, seen by no one else. */
describe("one's email address on the web", () => {
  let instance: RunningInstance;

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    const { actors } = instance.services;
    for (const handle of ["ada", "mo", "kim"]) {
      await actors.createPerson({ handle, displayName: `${handle} Example`, password: PASSWORD });
    }
    await actors.makeAdmin("ada");
  });
  afterAll(async () => {
    await instance?.stop();
  });

  const signedIn = async (handle: string) => {
    const client = new WebClient(instance, instance.origin);
    await client.signIn(handle, PASSWORD);
    await client.get("/account/email", HTML);
    return client;
  };
  const stored = async (handle: string) => instance.store.accounts.emailOf((await instance.services.actors.find(handle))!.id);

  it("is linked from the password page, and says when the instance sends no email", async () => {
    const mo = await signedIn("mo");
    const password = page(await (await mo.get("/account/password", HTML)).text());
    expect(password.attr('a[href="/account/email"]', "href")).toBe("/account/email");
    const form = page(await (await mo.get("/account/email", HTML)).text());
    expect(form.text("#current-email")).toBe("You have not given an email address.");
    expect(form.text("main")).toContain("Connexo does not send email at the moment");
    expect(form.attr("input[name=email]", "type")).toBe("email");
    expect(form.attr("input[name=current]", "autocomplete")).toBe("current-password");
  });

  it("sets, changes and clears the address, given the current password", async () => {
    const mo = await signedIn("mo");
    const set = await mo.post("/account/email", { email: " Mo.Example@Council.example ", current: PASSWORD });
    expect(set.status).toBe(303);
    expect(set.headers.get("location")).toBe("/account/email?done=saved");
    const shown = page(await (await mo.get("/account/email?done=saved", HTML)).text());
    expect(shown.text(".notice")).toBe("Your email address is saved.");
    expect(shown.text("#current-email")).toBe("Your address here is mo.example@council.example.");
    expect(shown.value("input[name=email]")).toBe("mo.example@council.example");
    expect(await stored("mo")).toBe("mo.example@council.example");

    expect((await mo.post("/account/email", { email: "mo@elsewhere.example", current: PASSWORD })).status).toBe(303);
    expect(await stored("mo")).toBe("mo@elsewhere.example");

    const cleared = await mo.post("/account/email", { email: "", current: PASSWORD });
    expect(cleared.headers.get("location")).toBe("/account/email?done=removed");
    expect(page(await (await mo.get("/account/email?done=removed", HTML)).text()).text("#current-email")).toBe(
      "You have not given an email address.",
    );
    expect(await stored("mo")).toBeNull();
  });

  it("refuses a wrong current password, an invalid address and another account's address, showing what was typed", async () => {
    const kim = await signedIn("kim");
    await kim.post("/account/email", { email: "kim@council.example", current: PASSWORD });
    const mo = await signedIn("mo");
    await mo.post("/account/email", { email: "mo@council.example", current: PASSWORD });

    const wrong = await kim.post("/account/email", { email: "kim@elsewhere.example", current: "not the password at all" });
    expect(wrong.status).toBe(400);
    const wrongPage = page(await wrong.text());
    expect(wrongPage.text(".error-summary")).toContain("Current password");
    expect(wrongPage.value("input[name=email]")).toBe("kim@elsewhere.example");
    expect(await stored("kim")).toBe("kim@council.example");

    for (const email of [
      "not an address",
      "kim@",
      "kim@council",
      "kim@council.example\r\nBcc: x@y.example",
      `${"k".repeat(250)}@c.example`,
    ]) {
      const invalid = await kim.post("/account/email", { email, current: PASSWORD });
      expect(invalid.status, email).toBe(400);
      expect(page(await invalid.text()).text(".error-summary"), email).toContain("Email address");
    }
    const both = page(await (await kim.post("/account/email", { email: "nope", current: "" })).text());
    expect(both.text(".error-summary")).toContain("Email address");
    expect(both.text(".error-summary")).toContain("Current password");

    const taken = await kim.post("/account/email", { email: "MO@council.example", current: PASSWORD });
    expect(taken.status).toBe(409);
    expect(page(await taken.text()).text(".error-summary")).toContain("Email address: belongs to another account here");
    expect(await stored("kim")).toBe("kim@council.example");
    expect(await stored("mo")).toBe("mo@council.example");
  });

  it("refuses the form without its anti-forgery token, and sends visitors to sign in first", async () => {
    const kim = await signedIn("kim");
    const before = await stored("kim");
    expect((await kim.post("/account/email", { email: "kim@forged.example", current: PASSWORD, _csrf: "" })).status).toBe(403);
    expect(await stored("kim")).toBe(before);

    const visitor = new WebClient(instance, instance.origin);
    const asked = await visitor.get("/account/email", HTML);
    expect(asked.status).toBe(303);
    expect(asked.headers.get("location")).toBe("/sign-in?next=/account/email");
    await visitor.get("/sign-in", HTML);
    const posted = await visitor.post("/account/email", { email: "someone@forged.example", current: PASSWORD });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("location")).toBe("/sign-in?next=/account/email");
  });

  it("shows administrators nothing of people's addresses", async () => {
    const mo = await signedIn("mo");
    await mo.post("/account/email", { email: "mo.private@council.example", current: PASSWORD });
    const ada = await signedIn("ada");
    for (const path of ["/admin", "/@mo"]) {
      expect(await (await ada.get(path, HTML)).text(), path).not.toContain("mo.private@council.example");
    }
    // Their own page shows only their own address.
    expect(page(await (await ada.get("/account/email", HTML)).text()).text("#current-email")).toBe("You have not given an email address.");
  });
});
