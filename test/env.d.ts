import type { D1Migration } from "cloudflare:test";
import type { Env as WorkerEnv } from "../workers/env";

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof import("./worker-entry");
    }
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: D1Migration[];
      SANDBOX_URL: string;
      TEST_TOKENS: Record<"valid" | "validOtherUser" | "expired" | "forged" | "wrongIssuer" | "wrongParty" | "noEmail", string>;
    }
  }
}
