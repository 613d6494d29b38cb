import type { Context } from "hono";
import { DomainError } from "../../domain/errors.ts";
import type { Actor } from "../../domain/types.ts";
import type { Services } from "../../services/index.ts";
import type { WebEnv } from "../env.ts";
import type { FieldErrors } from "../pages/components.tsx";
import { IMAGE_SLOTS, slotAlt, slotFile, type SubmitAction, type WeeknoteFormValues } from "../pages/weeknote-form.tsx";
import { bodyTexts, formBody, formText, type FormBody } from "./forms.ts";

/** A browser sends an empty part for a file input left alone. */
const chosenFile = (body: FormBody, name: string): File | null =>
  [body[name] ?? []].flat().find((v): v is File => v instanceof File && v.size > 0) ?? null;

const ACTIONS: readonly SubmitAction[] = ["preview", "draft", "publish", "save"];

export interface WeeknoteSubmission {
  action: SubmitAction;
  values: WeeknoteFormValues;
  /** Problems found in reading it (the images so far); the text is checked by the service when saving. */
  errors: FieldErrors;
}

/**
 * Reads the weeknote form: its text, the images it kept (less those ticked
 * for removal), and the new files, which are uploaded now so that they
 * survive a preview or an error in the text.
 */
export async function readWeeknoteForm(
  services: Services,
  viewer: Actor,
  c: Context<WebEnv>,
  postId: string | null,
): Promise<WeeknoteSubmission> {
  const body = await formBody(c);
  const removed = new Set(bodyTexts(body, "remove"));
  const kept = await services.media.usable(
    bodyTexts(body, "images").filter((id) => !removed.has(id)),
    viewer,
    postId,
  );
  const errors: FieldErrors = {};
  const slotAlts: string[] = [];

  for (let slot = 1; slot <= IMAGE_SLOTS; slot++) {
    const file = chosenFile(body, slotFile(slot));
    const alt = await formText(c, slotAlt(slot));
    slotAlts.push(alt);
    if (!file) {
      if (alt.trim()) errors[slotFile(slot)] = "choose the image this description is for, or clear the description";
      continue;
    }
    try {
      kept.push(await services.media.upload(viewer, { bytes: new Uint8Array(await file.arrayBuffer()), alt }));
      // Uploaded: from now on it is shown with the kept images, and the slot is free again.
      slotAlts[slot - 1] = "";
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== "invalid") throw error;
      // A browser cannot put a file back in a file input, so each message says to choose it again.
      if (error.fields.alt) errors[slotAlt(slot)] = `${error.fields.alt}, then choose the file again`;
      else errors[slotFile(slot)] = `${error.message} Choose the file again.`;
    }
  }

  const action = (await formText(c, "action")) as SubmitAction;
  return {
    action: ACTIONS.includes(action) ? action : "preview",
    values: {
      community: await formText(c, "community"),
      title: await formText(c, "title"),
      week: await formText(c, "week"),
      summary: await formText(c, "summary"),
      body: await formText(c, "body"),
      tags: await formText(c, "tags"),
      images: kept,
      slotAlts,
    },
    errors,
  };
}
