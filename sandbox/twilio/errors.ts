/**
 * Twilio's REST error body: `{ code, message, more_info, status }` (plus `detail` on some), where
 * `code` is Twilio's numeric error code documented at https://www.twilio.com/docs/api/errors/<code>.
 */
export function twilioError(status: number, code: number, message: string, detail?: string): Response {
  const body: Record<string, unknown> = { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
  if (detail !== undefined) body.detail = detail;
  return Response.json(body, { status });
}

/** The codes this stand-in answers with, by name, so routes and tests agree. */
export const TwilioErrorCode = {
  /** 401: missing or wrong Basic credentials. */
  authenticate: 20003,
  /** 404: no such resource (path, SID, or another account's path). */
  notFound: 20404,
  /** 429: too many requests (injected). */
  tooManyRequests: 20429,
  /** 500 / 503 (injected). */
  internal: 20500,
  unavailable: 20503,
  /** 400: `To` missing. */
  toMissing: 21201,
  /** 400: `Url` invalid, or none of `Url` / `Twiml` / `ApplicationSid` given (stand-in's choice of code). */
  urlInvalid: 21205,
  /** 400: `From` is not a number of this account. */
  fromNotOwned: 21210,
  /** 400: `To` is not a valid phone number. */
  toInvalid: 21211,
  /** 400: `From` missing. */
  fromMissing: 21213,
  /** 400: the call is over and cannot be redirected. */
  callNotInProgress: 21220,
  /** 400: the number asked for cannot be bought. */
  numberUnavailable: 21422,
  /** 400: the search found nothing to buy with `AreaCode`. */
  noNumbersInAreaCode: 21452,
  /** 400: `Twiml` does not parse or is over 4,000 characters (TwiML "document parse failure"). */
  twimlInvalid: 12100,
} as const;

/** Injected failures read as Twilio's own. */
export function twilioFaultResponse(status: number): Response {
  if (status === 429) return twilioError(429, TwilioErrorCode.tooManyRequests, "Too Many Requests");
  if (status === 503) return twilioError(503, TwilioErrorCode.unavailable, "Service Unavailable");
  if (status >= 500) return twilioError(status, TwilioErrorCode.internal, "Internal Server Error");
  return twilioError(status, status * 100, "Injected by the Noir sandbox");
}
