import type { Instance } from "../../src/instance.ts";

/**
 * A browser without a browser: sends requests to an instance's app through
 * app.request(), keeps its cookies, and fills in each form's anti-forgery
 * token from the last page it fetched (as a browser submitting that page would).
 */
export class WebClient {
  readonly #cookies = new Map<string, string>();
  #csrf = "";
  /** The last response's text, for assertions. */
  lastHtml = "";

  constructor(
    private readonly instance: Pick<Instance, "app">,
    private readonly origin: string,
  ) {}

  /** GET a page; remembers its form token. */
  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.#send(path, { method: "GET", headers });
  }

  /**
   * POST a form, urlencoded (or multipart when given FormData), with the
   * token of the last page fetched unless `_csrf` is given.
   */
  async post(path: string, fields: Record<string, string | string[]> | FormData, headers: Record<string, string> = {}): Promise<Response> {
    let body: URLSearchParams | FormData;
    if (fields instanceof FormData) {
      if (!fields.has("_csrf")) fields.set("_csrf", this.#csrf);
      body = fields;
    } else {
      body = new URLSearchParams();
      if (!("_csrf" in fields)) body.append("_csrf", this.#csrf);
      for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    }
    return this.#send(path, { method: "POST", body, headers: { origin: this.origin, ...headers } });
  }

  /** Signs in through the sign-in form. */
  async signIn(handle: string, password: string): Promise<Response> {
    await this.get("/sign-in");
    const res = await this.post("/sign-in", { handle, password });
    if (res.status !== 303) throw new Error(`sign-in answered ${res.status}: ${this.lastHtml.slice(0, 500)}`);
    return res;
  }

  get csrfToken(): string {
    return this.#csrf;
  }

  cookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  async #send(
    path: string,
    init: { method: string; headers: Record<string, string>; body?: URLSearchParams | FormData },
  ): Promise<Response> {
    const cookie = [...this.#cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await this.instance.app.request(new URL(path, this.origin).href, {
      method: init.method,
      body: init.body,
      headers: { ...(cookie ? { cookie } : {}), ...init.headers },
    });
    for (const header of res.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(";");
      const [name, ...rest] = pair!.split("=");
      const value = rest.join("=");
      const expired = attributes.some((a) => /max-age=0/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a.trim()));
      if (expired || value === "") this.#cookies.delete(name!.trim());
      else this.#cookies.set(name!.trim(), value);
    }
    const text = await res.clone().text();
    this.lastHtml = text;
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token) this.#csrf = token;
    return res;
  }
}
