/**
 * The channel a transaction that wrote to the queue NOTIFYs on, and every
 * process's workers LISTEN to. Its own module, so that what names it does not
 * load the PostgreSQL driver on an instance that runs on SQLite.
 */
export const QUEUE_CHANNEL = "connexo_queue";
