import { z } from "@hono/zod-openapi";
import { voiceConfigs } from "../../../drizzle/schema";
import { LANGUAGES, PERSONALITIES } from "../../../drizzle/schema/enums";
import { crudRoutes } from "../crud";
import { iso, NON_BLANK, Timestamp } from "../shared";

const VoiceConfig = z
  .object({
    id: z.string(),
    name: z.string(),
    voiceId: z.string(),
    language: z.enum(LANGUAGES),
    personality: z.enum(PERSONALITIES),
    speed: z.number(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("VoiceConfig");

const fields = {
  name: NON_BLANK(200),
  voiceId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "an ElevenLabs voice id").openapi({ example: "B31Kx7rXmNnYqp1QWHR2" }),
  language: z.enum(LANGUAGES),
  personality: z.enum(PERSONALITIES),
  // ElevenLabs' accepted speed range.
  speed: z.number().min(0.7).max(1.2),
};
const VoiceConfigCreate = z.strictObject({
  ...fields,
  language: fields.language.default("uk"),
  personality: fields.personality.default("professional"),
  speed: fields.speed.default(1),
});
const VoiceConfigPatch = z.strictObject(fields).partial();

type Row = typeof voiceConfigs.$inferSelect;

export const voiceConfigRoutes = crudRoutes({
  noun: "Voice config",
  tag: "Voice configs",
  path: "/voice-configs",
  table: voiceConfigs,
  idKind: "voiceConfig",
  api: VoiceConfig,
  create: VoiceConfigCreate,
  patch: VoiceConfigPatch,
  toApi: (r: Row) => ({ id: r.id, name: r.name, voiceId: r.voiceId, language: r.language, personality: r.personality, speed: r.speed, createdAt: iso(r.createdAt)!, updatedAt: iso(r.updatedAt)! }),
  toInsert: (input) => input,
  toUpdate: (input) => input,
});
