import { z } from "zod";
import type { CampaignSchedule } from "../../../drizzle/schema/campaigns";
import type { Channel } from "../../../drizzle/schema/enums";

/** Local hours and ISO weekdays (1 = Monday … 7 = Sunday) in which a lead may be contacted. */
export type ContactWindow = CampaignSchedule;

/** A validated window in minutes after local midnight; `endMinute` may be 1440 (midnight). */
export interface DailyWindow {
  startMinute: number;
  endMinute: number;
  days: ReadonlySet<number>;
}

/**
 * Calls are allowed only 08:00–21:00 at the callee's location, whatever the campaign says. This is
 * the US TCPA rule (47 CFR § 64.1200(c)(1)), and the strictest common one, so we apply it everywhere.
 */
export const CALL_HOURS = { windowStart: "08:00", windowEnd: "21:00" } as const;

const MINUTES_PER_DAY = 24 * 60;
const HH_MM = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

/**
 * The rules a window must follow, for the routes that accept one. A window that runs past midnight
 * (22:00–02:00) is refused: it would need two windows, and which weekday 01:00 belongs to is a
 * question outreach never needs answered. "00:00" (or "24:00") as the end means midnight.
 */
export const contactWindowSchema = z
  .object({
    windowStart: z.string().regex(HH_MM, "use HH:MM"),
    windowEnd: z.string().regex(HH_MM, "use HH:MM"),
    days: z.array(z.number().int().min(1).max(7)).min(1, "pick at least one day"),
  })
  .refine((w) => tryDailyWindow(w) !== null, { message: "the window must end after it starts, on the same day", path: ["windowEnd"] });

/** Validates a window (stored campaign JSON is typed, not checked) and converts it to minutes. */
export function toDailyWindow(window: ContactWindow): DailyWindow {
  const daily = tryDailyWindow(window);
  if (daily === null) throw new RangeError(`invalid contact window ${JSON.stringify(window)}`);
  return daily;
}

/**
 * The window a channel may use within a campaign's window: for calls, its intersection with
 * CALL_HOURS. Null when nothing is left, e.g. a 21:00–23:00 campaign can never call anyone.
 */
export function channelWindow(channel: Channel, campaignWindow: ContactWindow): ContactWindow | null {
  if (channel !== "voice") return campaignWindow;
  const campaign = toDailyWindow(campaignWindow);
  const calls = toDailyWindow({ ...CALL_HOURS, days: [1] });
  const start = Math.max(campaign.startMinute, calls.startMinute);
  const end = Math.min(campaign.endMinute, calls.endMinute);
  if (start >= end) return null;
  return { windowStart: formatMinute(start), windowEnd: formatMinute(end), days: [...campaignWindow.days] };
}

function tryDailyWindow(window: ContactWindow): DailyWindow | null {
  const start = parseMinute(window.windowStart);
  const rawEnd = parseMinute(window.windowEnd);
  if (start === null || rawEnd === null || start === MINUTES_PER_DAY) return null;
  const end = rawEnd === 0 ? MINUTES_PER_DAY : rawEnd;
  if (end <= start) return null;
  if (window.days.length === 0 || !window.days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)) return null;
  return { startMinute: start, endMinute: end, days: new Set(window.days) };
}

function parseMinute(text: string): number | null {
  const match = HH_MM.exec(text);
  if (match === null) return null;
  return Number(match[1] ?? match[3]) * 60 + Number(match[2] ?? match[4]);
}

function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}
