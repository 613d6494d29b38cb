/**
 * Whether an account as typed names someone on another server (`@bob@host`,
 * `bob@host`, or the address of their profile) rather than a handle here
 * (`bob`, `@bob`). Forms and commands that take either use it to choose
 * between adding someone at once and inviting them.
 */
export const isElsewhere = (account: string): boolean => account.trim().replace(/^@/, "").includes("@") || account.includes("://");
