/**
 * The current time in epoch milliseconds. Services, the queue and the page
 * cache take one from whoever builds them (Date.now in production), so that
 * tests move time on instead of waiting for it.
 */
export type Clock = () => number;
