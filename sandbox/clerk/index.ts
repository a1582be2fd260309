import { defineProvider } from "../harness/provider";
import { clerkFaultResponse } from "./errors";
import { createClerkApp } from "./routes";
import { createClerkStandIn } from "./stand-in";

export { createClerkStandIn } from "./stand-in";
export type { ClerkStandIn, ClerkStandInOptions, MintOptions, MintedSession, SessionClaims } from "./stand-in";

export const clerk = defineProvider({
  name: "clerk",
  async create({ random }) {
    const standIn = await createClerkStandIn({ random });
    return {
      app: createClerkApp(standIn),
      handle: standIn,
      faultResponse: clerkFaultResponse,
      env: (sandboxUrl) => ({
        CLERK_JWT_KEY: standIn.publicKeyPem,
        CLERK_PUBLISHABLE_KEY: standIn.publishableKey,
        CLERK_SECRET_KEY: standIn.secretKey,
        // Clerk SDKs' Backend API base; `@clerk/backend` appends `/v1/...`.
        CLERK_API_URL: `${sandboxUrl}/clerk`,
      }),
    };
  },
});
