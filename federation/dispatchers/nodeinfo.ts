import type { FederationBuilder } from "@fedify/fedify";
import type { ContextData } from "../context.ts";
import packageJson from "../../package.json" with { type: "json" };

/** NodeInfo 2.1: what software this is and how many use it. */
export function registerNodeInfo(builder: FederationBuilder<ContextData>): void {
  builder.setNodeInfoDispatcher("/nodeinfo/2.1", async (ctx) => {
    const { publications, setup } = ctx.data.services;
    const [people, nodeName] = await Promise.all([publications.countPeople(), setup.instanceName()]);
    return {
      software: { name: "connexo", version: packageJson.version, homepage: new URL(ctx.canonicalOrigin) },
      protocols: ["activitypub"],
      openRegistrations: false,
      usage: { users: { total: people }, localPosts: 0, localComments: 0 },
      metadata: { nodeName },
    };
  });
}
