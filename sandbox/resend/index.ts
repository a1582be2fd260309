import { defineProvider } from "../harness/provider";
import { resendFaultResponse } from "./errors";
import { createResendApp } from "./routes";
import { createResendStandIn } from "./stand-in";

export { signSvix } from "./webhook-outbox";
export type { WebhookDelivery, WebhookTarget } from "./webhook-outbox";
export type { InboundEmailInput, ReceivedEmail, ResendStandIn, SentEmail } from "./stand-in";

export const resend = defineProvider({
  name: "resend",
  async create({ random }) {
    const standIn = createResendStandIn({ random });
    return {
      app: createResendApp(standIn),
      handle: standIn,
      faultResponse: resendFaultResponse,
      env: (sandboxUrl) => ({
        RESEND_API_KEY: standIn.apiKey,
        RESEND_BASE_URL: `${sandboxUrl}/resend`,
        RESEND_WEBHOOK_SECRET: standIn.webhookSecret,
      }),
      close: () => standIn.close(),
    };
  },
});
