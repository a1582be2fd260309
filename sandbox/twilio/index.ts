import { defineProvider } from "../harness/provider";
import { twilioFaultResponse } from "./errors";
import { createTwilioApp } from "./routes";
import { TwilioState, type TwilioStandIn } from "./stand-in";

export { signTwilioRequest, validateTwilioRequest } from "./signature";
export type { TwilioParams } from "./signature";
export { BEEP_BYTE } from "./amd";
export type { AnsweredBy } from "./amd";
export { PERSONAS, PERSONA_NAMES, PERSONA_SUFFIXES, DEFAULT_PERSONA } from "./personas";
export type { PersonaName, PersonaScript } from "./personas";
export { DEFAULT_TIMING } from "./call";
export type { Timing } from "./call";
export type * from "./call-record";
export type { CallbackDelivery, CallbackKind } from "./callbacks";
export type { CallPredicate, TwilioStandIn, WaitOptions } from "./stand-in";

export const twilio = defineProvider({
  name: "twilio",
  async create({ random }) {
    const state = new TwilioState({ random });
    const handle: TwilioStandIn = state;
    return {
      app: createTwilioApp(state),
      handle,
      faultResponse: twilioFaultResponse,
      env: (sandboxUrl) => ({
        TWILIO_ACCOUNT_SID: state.accountSid,
        TWILIO_AUTH_TOKEN: state.authToken,
        TWILIO_API_BASE_URL: `${sandboxUrl}/twilio`,
      }),
      close: () => state.close(),
    };
  },
});
