import { getCountry } from "countries-and-timezones";
import { getCountries } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import { canonicalZone, countryTimeZone, leadTimeZone } from "./index";
import { PRIMARY_ZONES } from "./primary-zones";

/** The runtime's spelling (workerd's ICU may say Europe/Kiev for Europe/Kyiv). */
const zone = (name: string) => canonicalZone(name) ?? `unknown zone ${name}`;
const FALLBACK = "Europe/Lisbon";
const fromPhone = (phone: string | null) => leadTimeZone({ timezone: null, phone }, FALLBACK);

describe("the zone a lead is contacted in", () => {
  it.each([
    ["a Ukrainian mobile", "+380671234567", "Europe/Kyiv"],
    ["a New York number", "+12127365000", "America/New_York"],
    ["a Toronto number", "+14169799999", "America/Toronto"],
    ["a London number", "+442079460958", "Europe/London"],
    ["a Berlin number", "+4930901820", "Europe/Berlin"],
    ["a Warsaw number", "+48221234567", "Europe/Warsaw"],
    ["a Moscow number (+7 shared with Kazakhstan)", "+74951234567", "Europe/Moscow"],
    ["an Almaty number (+7 shared with Russia)", "+77272588888", "Asia/Almaty"],
  ])("follows the country of %s", (_, phone, expected) => {
    expect(fromPhone(phone)).toBe(zone(expected));
  });

  it("puts every US number on New York time, a known imprecision for Los Angeles", () => {
    expect(fromPhone("+13105551234")).toBe(zone("America/New_York"));
  });

  it.each([
    ["no phone", null],
    ["a non-geographic +800 number", "+80012345678"],
    ["an unparseable phone", "call me maybe"],
    ["a national number without a country code", "0671234567"],
  ])("uses the fallback zone for %s", (_, phone) => {
    expect(fromPhone(phone)).toBe(zone(FALLBACK));
  });

  it("prefers the lead's own zone to its phone's country, in the runtime's spelling", () => {
    expect(leadTimeZone({ timezone: "Asia/Tokyo", phone: "+380671234567" }, FALLBACK)).toBe("Asia/Tokyo");
    expect(leadTimeZone({ timezone: " america/new_york ", phone: null }, FALLBACK)).toBe("America/New_York");
  });

  it.each(["Mars/Olympus_Mons", "+02:00", "", "EET+2"])("ignores the lead's zone %j when it is not an IANA zone", (timezone) => {
    expect(leadTimeZone({ timezone, phone: "+48221234567" }, FALLBACK)).toBe(zone("Europe/Warsaw"));
  });

  it("refuses a fallback that is not a zone, instead of contacting on UTC by accident", () => {
    expect(() => leadTimeZone({ timezone: null, phone: null }, "Nowhere/Land")).toThrow(RangeError);
  });

  it("gives a zone for an org's default region, single-zone or not", () => {
    expect(countryTimeZone("pl")).toBe(zone("Europe/Warsaw"));
    expect(countryTimeZone("UA")).toBe(zone("Europe/Kyiv"));
    expect(countryTimeZone("ZZ")).toBeNull();
  });
});

describe("the primary-zone table", () => {
  it("covers every multi-zone country a phone number can belong to", () => {
    const uncovered = getCountries().filter((country) => (getCountry(country)?.timezones.length ?? 0) !== 1 && !(country in PRIMARY_ZONES));
    expect(uncovered).toEqual([]);
  });

  it("names only zones the runtime knows, each one of its country's own zones where the library lists it", () => {
    for (const [country, primary] of Object.entries(PRIMARY_ZONES)) {
      expect(canonicalZone(primary), primary).not.toBeNull();
      const listed = getCountry(country)?.timezones.map(zone);
      // Links (Africa/Kinshasa → Africa/Lagos) resolve to the listed zone's current rules only, so compare offsets.
      if (listed !== undefined) expect(listed.some((z) => sameRulesNow(z, primary)), `${country} ${primary}`).toBe(true);
    }
  });

  it("finds a zone for every country libphonenumber-js knows", () => {
    expect(getCountries().filter((country) => countryTimeZone(country) === null)).toEqual([]);
  });
});

/** Same UTC offset in January and July 2025: what matters for contact hours. */
function sameRulesNow(a: string, b: string): boolean {
  const offset = (z: string, iso: string) => new Intl.DateTimeFormat("en", { timeZone: z, timeZoneName: "longOffset" }).format(new Date(iso));
  return ["2025-01-15T12:00:00Z", "2025-07-15T12:00:00Z"].every((iso) => offset(a, iso).split(",")[1] === offset(b, iso).split(",")[1]);
}
