import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { expect } from "vitest";
import { eventually, type RunningInstance } from "../helpers/instance.ts";

/** Debian's Chromium; CI installs it (`apt-get install chromium`). */
export const CHROMIUM = process.env.CONNEXO_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Chromium reaches out to Google's hosts on its own. Everything but loopback
 * goes to a dead proxy, so tests talk only to the instances under test.
 */
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--proxy-server=http://127.0.0.1:9",
];

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The browser tests need Chromium at ${CHROMIUM}: apt-get install chromium (or set CONNEXO_CHROMIUM to another path).`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** Screenshots go here (not committed): `test-output/screenshots/`. */
export const SCREENSHOTS = join(import.meta.dirname, "..", "..", "test-output", "screenshots");

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/**
 * Runs axe-core in the page against WCAG 2.0, 2.1 and 2.2 A and AA. Evaluated
 * through the DevTools protocol, so the page's CSP (no inline script) stays on.
 */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } })
      .axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"] },
      // target-size is a WCAG 2.2 AA rule but tagged as best practice in some axe versions: run it explicitly.
      rules: { "target-size": { enabled: true } },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html })),
    }));
  });
}

/** A readable summary of violations for a failing assertion. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(" ")}: ${n.html}`).join("\n")}`)
    .join("\n");
}

/**
 * Checks a page with axe at its own width and at 320 px wide, photographing
 * each; every check's name goes into `checked`, so a journey can count them.
 */
export async function auditAtTwoWidths(page: Page, name: string, checked: string[]): Promise<void> {
  const viewport = page.viewportSize();
  for (const [suffix, size] of [
    ["", viewport],
    ["-320", { width: 320, height: 640 }],
  ] as const) {
    if (size) await page.setViewportSize(size);
    await screenshot(page, `${name}${suffix}`);
    const violations = await accessibilityViolations(page);
    expect(violations, `${name}${suffix} (${page.url()}):\n${describeViolations(violations)}`).toEqual([]);
    checked.push(`${name}${suffix}`);
  }
  if (viewport) await page.setViewportSize(viewport);
}

/** Signs a person in through the sign-in form. */
export async function signInAs(page: Page, instance: RunningInstance, handle: string, password: string): Promise<void> {
  await page.goto(`${instance.origin}/sign-in`);
  await page.getByLabel("Handle").fill(handle);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${instance.origin}/`);
}

/** Loads the page again until the check holds. */
export async function reloadUntil(page: Page, url: string, check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  await eventually(
    async () => {
      await page.goto(url);
      if (await check()) return true;
      // A pause between loads, so that the servers get on with the work.
      await new Promise((resolve) => setTimeout(resolve, 250));
      return false;
    },
    ms,
    what,
  );
}
