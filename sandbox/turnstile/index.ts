import { defineProvider } from "../harness/provider";
import { createTurnstileApp, turnstileFaultResponse } from "./routes";
import { createTurnstileStandIn } from "./stand-in";

export { DUMMY_TOKEN, TURNSTILE_SANDBOX_SECRET, TURNSTILE_SANDBOX_SITE_KEY } from "./stand-in";
export type { SiteverifyAnswer, SiteverifyCheck, TurnstileStandIn } from "./stand-in";

export const turnstile = defineProvider({
  name: "turnstile",
  async create({ random }) {
    const standIn = createTurnstileStandIn({ random });
    return {
      app: createTurnstileApp(standIn),
      handle: standIn,
      faultResponse: turnstileFaultResponse,
      // No TURNSTILE_SECRET_KEY: the bot check stays off locally unless a test or .dev.vars sets it.
      env: (sandboxUrl) => ({ TURNSTILE_VERIFY_URL: `${sandboxUrl}/turnstile/v0/siteverify` }),
    };
  },
});
