import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../context";
import { registerApiKeys } from "./resources/api-keys";
import { registerCampaignLeads } from "./resources/campaign-leads";
import { registerCampaigns } from "./resources/campaigns";
import { registerChannelConfigs } from "./resources/channel-configs";
import { registerInvitations } from "./resources/invitations";
import { registerLeadImport } from "./resources/lead-import";
import { registerLeads } from "./resources/leads";
import { registerMembers } from "./resources/members";
import { registerOrganization } from "./resources/organization";
import { registerPhoneNumbers } from "./resources/phone-numbers";
import { registerScripts } from "./resources/scripts";
import { registerVoiceConfigs } from "./resources/voice-configs";

/** Every /api/dashboard route. Order matters only where paths overlap (import before /leads/{id}). */
export function registerDashboard(app: OpenAPIHono<AppEnv>) {
  registerOrganization(app);
  registerLeadImport(app);
  registerLeads(app);
  registerScripts(app);
  registerVoiceConfigs(app);
  registerPhoneNumbers(app);
  registerCampaigns(app);
  registerCampaignLeads(app);
  registerChannelConfigs(app);
  registerApiKeys(app);
  registerMembers(app);
  registerInvitations(app);
}
