import { formatMoment } from "../domain/time-zone.ts";
import type { MailMessage } from "./mail.ts";

/** A time as people read it in a message: in the instance's time zone, as on its pages, and labelled with it. */
const when = (date: Date, zone: string) => formatMoment(date, zone);

/** The link to choose a new password, sent to the address a person gave, when they asked for it. */
export function passwordResetMessage(input: {
  to: string;
  instanceName: string;
  handle: string;
  link: string;
  expiresAt: Date;
  timeZone: string;
}): MailMessage {
  return {
    to: input.to,
    subject: `Choose a new password for ${input.instanceName}`,
    text: [
      `Someone asked for a new password for @${input.handle} on ${input.instanceName}. If it was you, open this link to choose one:`,
      "",
      input.link,
      "",
      `The link works once, until ${when(input.expiresAt, input.timeZone)}. Choosing a password signs you out everywhere.`,
      "",
      "If it was not you, you can ignore this message: your password stays as it is.",
    ].join("\n"),
  };
}

/** An administrator's invitation, sent to the address they gave. */
export function invitationMessage(input: {
  to: string;
  instanceName: string;
  inviterName: string;
  link: string;
  expiresAt: Date;
  timeZone: string;
}): MailMessage {
  return {
    to: input.to,
    subject: `You are invited to ${input.instanceName}`,
    text: [
      `${input.inviterName} invited you to join ${input.instanceName}, where people and communities publish their weeknotes and decisions.`,
      "",
      "Open this link to choose your handle and password:",
      "",
      input.link,
      "",
      `The link works once, until ${when(input.expiresAt, input.timeZone)}. If you did not expect this invitation, you can ignore this message.`,
    ].join("\n"),
  };
}
