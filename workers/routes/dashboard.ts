import { telegramAccountRoutes } from "./resources/telegram-accounts";
import { authenticate } from "../middleware/authenticate";
import { resolveTenant } from "../middleware/tenancy";
import { apiKeyRoutes } from "./resources/api-keys";
import { auditLogRoutes } from "./resources/audit-log";
import { callRoutes } from "./resources/calls";
import { usageRoutes } from "./resources/usage";
import { telephonyRoutes } from "./resources/telephony";
import { campaignLeadRoutes } from "./resources/campaign-leads";
import { campaignRunRoutes } from "./resources/campaign-run";
import { deadLetterRoutes } from "./resources/dead-letters";
import { emailToolRoutes } from "./resources/email-tools";
import { suppressionCsvRoutes, suppressionRoutes } from "./resources/suppressions";
import { campaignRoutes } from "./resources/campaigns";
import { channelConfigRoutes } from "./resources/channel-configs";
import { invitationRoutes } from "./resources/invitations";
import { leadImportRoutes } from "./resources/lead-import";
import { leadRoutes } from "./resources/leads";
import { leadTimelineRoutes } from "./resources/lead-timeline";
import { memberRoutes } from "./resources/members";
import { organizationRoutes } from "./resources/organization";
import { phoneNumberRoutes } from "./resources/phone-numbers";
import { scriptRoutes } from "./resources/scripts";
import { voiceConfigRoutes } from "./resources/voice-configs";
import { createRouter } from "./router";

/**
 * Every /api/dashboard route, behind authentication and tenant resolution. Chained so the
 * exported app type carries each route for `hono/client`. Imports come before /leads/{id}.
 */
export function dashboardRoutes() {
  const router = createRouter();
  router.use("*", authenticate, resolveTenant);
  return router
    .route("/", organizationRoutes())
    .route("/", leadImportRoutes())
    .route("/", leadTimelineRoutes())
    .route("/", leadRoutes)
    .route("/", scriptRoutes)
    .route("/", voiceConfigRoutes)
    .route("/", telephonyRoutes())
    .route("/", phoneNumberRoutes)
    .route("/", campaignRoutes)
    .route("/", campaignLeadRoutes())
    .route("/", campaignRunRoutes())
    .route("/", deadLetterRoutes())
    .route("/", emailToolRoutes())
    .route("/", callRoutes())
    .route("/", usageRoutes())
    .route("/", telegramAccountRoutes())
    .route("/", suppressionCsvRoutes())
    .route("/", suppressionRoutes)
    .route("/", channelConfigRoutes)
    .route("/", apiKeyRoutes())
    .route("/", memberRoutes())
    .route("/", invitationRoutes())
    .route("/", auditLogRoutes());
}
