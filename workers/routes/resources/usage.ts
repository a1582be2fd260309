import { createRoute, z } from "@hono/zod-openapi";
import { PLAN_LIMITS, usagePeriod, type UsageMetric } from "../../domain/billing/plans";
import { readUsage } from "../../db/usage";
import { createRouter } from "../router";
import { COMMON_ERRORS, jsonResponse } from "../shared";

const METRICS: UsageMetric[] = ["emails", "telegram_messages", "voice_seconds"];
const Metric = z.object({ used: z.number().int(), limit: z.number().int().nullable().openapi({ description: "null: unlimited" }) });
const Usage = z.object({ period: z.string().openapi({ example: "2026-11" }), plan: z.string(), emails: Metric, telegram_messages: Metric, voice_seconds: Metric }).openapi("Usage");

/** This month's usage against the plan's limits: one counter read per metric. */
export function usageRoutes() {
  return createRouter().openapi(
    createRoute({ method: "get", path: "/usage", tags: ["Organization"], summary: "This month's usage and the plan's limits", responses: { 200: jsonResponse(Usage, "Usage"), ...COMMON_ERRORS } }),
    async (c) => {
      const { orgId, plan } = c.get("tenant");
      const now = new Date();
      const used = await Promise.all(METRICS.map((m) => readUsage(c.get("db"), orgId, m, now)));
      const entry = (i: number) => ({ used: used[i]!, limit: PLAN_LIMITS[plan][METRICS[i]!] });
      return c.json({ period: usagePeriod(now), plan, emails: entry(0), telegram_messages: entry(1), voice_seconds: entry(2) }, 200);
    },
  );
}
