import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPublicAddress, PrivateAddressError, refusePrivateConnections } from "../../federation/http/public-connections.ts";
import { postSigned } from "../../federation/http/signed-post.ts";

describe("connections only to public addresses", () => {
  let server: Server;
  let origin: string;
  const received: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push(`${req.method} ${req.url}`);
      res.writeHead(202).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("tells public addresses from loopback, private, link-local and mapped ones", () => {
    for (const address of ["8.8.8.8", "2001:4860:4860::8888", "1.1.1.1", "::ffff:8.8.8.8"])
      expect(isPublicAddress(address), address).toBe(true);
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.9",
      "192.168.1.1",
      "169.254.169.254",
      "::1",
      "fe80::1",
      "fc00::1",
      "::ffff:127.0.0.1",
      "0.0.0.0",
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });

  it("closes a connection to a private address before anything is sent, whoever makes the request", async () => {
    const stop = refusePrivateConnections();
    try {
      const fetched = await fetch(`${origin}/fetched`).then(
        () => null,
        (error: Error) => error.cause,
      );
      expect(fetched).toBeInstanceOf(PrivateAddressError);
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const signing = { key: privateKey, keyId: "https://connexo.example/@team#main-key", userAgent: "Connexo", headers: {} };
      await expect(postSigned(new URL(`${origin}/inbox`), "{}", signing)).rejects.toBeInstanceOf(PrivateAddressError);
      expect(received).toEqual([]);
    } finally {
      stop();
    }
    // Removed, it lets connections be.
    expect((await fetch(`${origin}/after`)).status).toBe(202);
    expect(received).toEqual(["GET /after"]);
  });
});
