import { and, asc, desc, eq, sql } from "drizzle-orm";
import { channelConfigs, organizations, phoneNumbers, scripts, voiceConfigs } from "../../drizzle/schema";
import type { Db } from "../context";
import { VoiceSettings } from "../domain/voice/voice-settings";

/** The script the public demo reads, by name; the org's first script when none has it. */
export const DEMO_SCRIPT_NAME = "Demo";

export interface DemoSetup {
  orgId: string;
  orgName: string;
  from: { number: string; phoneNumberId: string };
  voice: typeof voiceConfigs.$inferSelect;
  script: typeof scripts.$inferSelect;
  settings: VoiceSettings;
}

/**
 * What the public demo call needs from the platform's demo org (`DEMO_ORG_ID`): the org, its first
 * active number, its first voice and its "Demo" script. Null when any is missing.
 */
export async function loadDemoSetup(db: Db, orgId: string): Promise<DemoSetup | null> {
  const [[org], [from], [voice], [script], [channel]] = await Promise.all([
    db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(eq(organizations.id, orgId)).limit(1),
    db.select().from(phoneNumbers).where(and(eq(phoneNumbers.orgId, orgId), eq(phoneNumbers.status, "active"))).orderBy(asc(phoneNumbers.id)).limit(1),
    db.select().from(voiceConfigs).where(eq(voiceConfigs.orgId, orgId)).orderBy(asc(voiceConfigs.id)).limit(1),
    db.select().from(scripts).where(eq(scripts.orgId, orgId)).orderBy(desc(sql`${scripts.name} = ${DEMO_SCRIPT_NAME}`), asc(scripts.id)).limit(1),
    db.select({ config: channelConfigs.config }).from(channelConfigs).where(and(eq(channelConfigs.orgId, orgId), eq(channelConfigs.channel, "voice"))).limit(1),
  ]);
  if (!org || !from || !voice || !script) return null;
  return {
    orgId: org.id,
    orgName: org.name,
    from: { number: from.number, phoneNumberId: from.id },
    voice,
    script,
    settings: VoiceSettings.parse(channel?.config ?? {}),
  };
}
