import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { isIP, type Socket } from "node:net";
import { isValidPublicIPv4Address, isValidPublicIPv6Address } from "@fedify/vocab-runtime";
import { getLogger } from "@logtape/logtape";

const logger = getLogger(["connexo", "federation", "http"]);

/**
 * Where undici announces each connection it has opened, before it writes a
 * request on it. Node's fetch (Fedify's fetches and deliveries) and our own
 * signed deliveries both go through undici, whichever copy of it made the
 * dispatcher: channels are shared by name.
 */
const CONNECTED = "undici:client:connected";

export class PrivateAddressError extends Error {
  override name = "PrivateAddressError";
}

/**
 * Closes every outgoing HTTP connection that reached a loopback, private or
 * link-local address, before a byte of the request is written. The checks
 * made before a fetch or a delivery (our document loaders, WebFinger,
 * `PublicInboxes`) resolve a host name, and the connection then resolves it
 * again: a name whose server answers with a public address the first time
 * and a private one the second (DNS rebinding) would pass them. This looks at
 * the address the socket is connected to. It holds for the whole process, so
 * the process's entry installs it, and only when private addresses are not
 * allowed (tests and local demos allow them). Returns what removes it.
 */
export function refusePrivateConnections(): () => void {
  const onConnected = (message: unknown) => {
    const { socket } = message as { socket?: Socket };
    const address = socket?.remoteAddress;
    // A Unix socket has no address: it is not the network.
    if (!socket || address === undefined || isPublicAddress(address)) return;
    logger.warn("Closed a connection to {address}: not a public address", { address });
    socket.destroy(new PrivateAddressError(`Not connecting to ${address}: it is not a public address`));
  };
  subscribe(CONNECTED, onConnected);
  return () => unsubscribe(CONNECTED, onConnected);
}

/**
 * Whether an IP address is on the public internet, by the same ranges as
 * Fedify's checks of URLs. An IPv4 address in IPv6 form (`::ffff:a.b.c.d`, as
 * a dual-stack socket may report its peer) is judged as the IPv4 address.
 */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isValidPublicIPv4Address(mapped[1]!);
  const family = isIP(address);
  if (family === 4) return isValidPublicIPv4Address(address);
  if (family === 6) return isValidPublicIPv6Address(address);
  return false;
}
