import { z } from "@hono/zod-openapi";
import { phoneNumbers } from "../../../drizzle/schema";
import { NUMBER_STATUSES } from "../../../drizzle/schema/enums";
import { createPhoneNormaliser, toPhoneRegion } from "../../domain/lead-import/phone";
import { AppError } from "../../errors";
import { crudRoutes } from "../crud";
import { iso, Timestamp } from "../shared";

const PhoneNumber = z
  .object({ id: z.string(), number: z.string(), label: z.string().nullable(), provider: z.string(), status: z.enum(NUMBER_STATUSES), createdAt: Timestamp, updatedAt: Timestamp })
  .openapi("PhoneNumber");

const PhoneNumberCreate = z.strictObject({
  number: z.string().trim().min(3).max(40).openapi({ description: "A number the org already holds at Twilio; stored as E.164", example: "+14155550100" }),
  label: z.string().trim().max(100).nullable().optional(),
  status: z.enum(NUMBER_STATUSES).optional(),
});
// The number itself is fixed once registered: release it and register another instead.
const PhoneNumberPatch = z.strictObject({ label: z.string().trim().max(100).nullable(), status: z.enum(NUMBER_STATUSES) }).partial();

type Row = typeof phoneNumbers.$inferSelect;

export const phoneNumberRoutes = crudRoutes({
  noun: "Phone number",
  tag: "Phone numbers",
  path: "/phone-numbers",
  table: phoneNumbers,
  idKind: "phoneNumber",
  api: PhoneNumber,
  create: PhoneNumberCreate,
  patch: PhoneNumberPatch,
  conflict: "This phone number is already registered.",
  writeRoles: ["owner", "admin"],
  toApi: (r: Row) => ({ id: r.id, number: r.number, label: r.label, provider: r.provider, status: r.status, createdAt: iso(r.createdAt)!, updatedAt: iso(r.updatedAt)! }),
  toInsert(input, { tenant }) {
    const parsed = createPhoneNormaliser(toPhoneRegion(tenant.defaultRegion))(input.number);
    if (!parsed.ok) throw new AppError("validation_failed", "The phone number is not valid.", [{ field: "body.number", message: parsed.message }]);
    return { ...input, number: parsed.value };
  },
  toUpdate: (input) => input,
});
