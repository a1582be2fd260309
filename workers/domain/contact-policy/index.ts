// Who may be contacted, and when: the lead's zone, quiet hours, touch caps and opt-out replies.
// Plain functions of their inputs (the clock is always passed in), for the campaign engine.
export { canonicalZone, countryTimeZone, leadTimeZone, phoneCountryZone, type LeadZoneFields } from "./lead-time-zone";
export { CALL_HOURS, channelWindow, contactWindowSchema, toDailyWindow, type ContactWindow, type DailyWindow } from "./contact-window";
export { localWindowCheck, type PolicyDecision } from "./local-window";
export { DEFAULT_TOUCH_CAPS, touchCapCheck } from "./touch-caps";
export { isOptOut } from "./opt-out";
export { OPT_OUT_PHRASES, type Language } from "./opt-out-phrases";
