/**
 * The zone we assume for a phone number from a country with more than one time zone, when the lead
 * has no zone of its own: the zone of the country's largest city (which is also the capital's zone
 * everywhere in this table except where noted). countries-and-timezones lists a country's zones
 * alphabetically (Australia starts with Antarctica/Macquarie), so its order cannot be used instead.
 *
 * This is a known imprecision for the big multi-zone countries (US, CA, MX, BR, RU, AU, KZ, ID…): a
 * Los Angeles number is taken to be on New York time, three hours ahead. We do not read area codes,
 * because mobile numbers move with their owners and libphonenumber-js ships no zone data; a lead
 * whose zone matters should carry an explicit `timezone`.
 *
 * A test checks that every multi-zone country libphonenumber-js can return is listed here, and that
 * every zone here is known to the runtime's Intl, so a library update cannot silently fall through.
 */
export const PRIMARY_ZONES: Readonly<Record<string, string>> = {
  AR: "America/Argentina/Buenos_Aires",
  AU: "Australia/Sydney",
  BR: "America/Sao_Paulo",
  CA: "America/Toronto",
  CD: "Africa/Kinshasa",
  CL: "America/Santiago",
  CN: "Asia/Shanghai",
  CY: "Asia/Nicosia",
  DE: "Europe/Berlin",
  EC: "America/Guayaquil",
  ES: "Europe/Madrid",
  FM: "Pacific/Pohnpei", // the capital's island; Chuuk has more people but one hour less
  GL: "America/Nuuk",
  ID: "Asia/Jakarta",
  KI: "Pacific/Tarawa",
  KZ: "Asia/Almaty",
  MH: "Pacific/Majuro",
  MN: "Asia/Ulaanbaatar",
  MX: "America/Mexico_City",
  MY: "Asia/Kuala_Lumpur",
  NZ: "Pacific/Auckland",
  PF: "Pacific/Tahiti",
  PG: "Pacific/Port_Moresby",
  PS: "Asia/Hebron", // the West Bank, the larger population; Gaza shares its current rules
  PT: "Europe/Lisbon",
  RU: "Europe/Moscow",
  UA: "Europe/Kyiv",
  US: "America/New_York",
  UZ: "Asia/Tashkent",
  VN: "Asia/Ho_Chi_Minh",
  // Calling regions libphonenumber-js knows and countries-and-timezones does not.
  AC: "Atlantic/St_Helena",
  TA: "Atlantic/St_Helena",
  XK: "Europe/Belgrade",
};
