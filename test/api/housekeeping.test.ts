import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../worker-entry";
import { call, create, jsonOf, signIn } from "./client";

const runCron = (scheduledTime: Date) => worker.scheduled!(createScheduledController({ scheduledTime, cron: "*/5 * * * *" }), env, createExecutionContext());

const DAY = 24 * 3600 * 1000;

describe("the cron trigger's housekeeping", () => {
  it("drops expired invitations and closes chunked imports abandoned for a day", async () => {
    const owner = await signIn("cron.owner@example.com");
    const invite = await create(owner, "/dashboard/invitations", { email: "late@example.com" });
    const fresh = await create(owner, "/dashboard/invitations", { email: "soon@example.com" });
    const job = await create(owner, "/dashboard/lead-imports", { fileName: "half.csv" });
    await env.DB.prepare("UPDATE org_invitations SET expires_at = ? WHERE id = ?").bind(Date.now() - 1000, invite.id).run();

    const inTwoDays = Date.now() + 2 * DAY;
    await runCron(new Date(inTwoDays - DAY - 1000));
    const left = await jsonOf(await call("/dashboard/invitations", { as: owner }));
    expect(left.items.map((i: { id: string }) => i.id)).toEqual([fresh.id]);
    expect((await jsonOf(await call(`/dashboard/lead-imports/${job.id}`, { as: owner }))).status).toBe("open");

    await runCron(new Date(inTwoDays));
    expect((await jsonOf(await call(`/dashboard/lead-imports/${job.id}`, { as: owner }))).status).toBe("completed");
  });
});
