import { formatNumber, hashSeed, isE164, sid } from "./ids";

export interface OwnedNumber {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  isoCountry: string;
  createdAt: number;
}

export interface AvailableNumber {
  phoneNumber: string;
  friendlyName: string;
  isoCountry: string;
  locality: string | null;
  region: string | null;
}

/** The numbers the stand-in's account holds from the start (North American 555 numbers, fictional). */
export const PRESET_NUMBERS = ["+14155550001", "+14155550002"] as const;

interface CountryPlan {
  defaultArea: string;
  /** Every number in an area, in a fixed order: `index` 0…count-1. */
  count: number;
  number: (area: string, index: number) => string;
  areaPattern: RegExp;
}

/**
 * Inventory per country: fictional ranges only, so nothing the sandbox hands out can ring a
 * real phone: NANP `NPA-555-XXXX`, and the UK's drama range `020 7946 0XXX`.
 */
const PLANS: Record<string, CountryPlan> = {
  US: { defaultArea: "415", count: 10_000, number: (area, i) => `+1${area}555${String(i).padStart(4, "0")}`, areaPattern: /^[2-9]\d\d$/ },
  CA: { defaultArea: "604", count: 10_000, number: (area, i) => `+1${area}555${String(i).padStart(4, "0")}`, areaPattern: /^[2-9]\d\d$/ },
  GB: { defaultArea: "20", count: 1_000, number: (_area, i) => `+442079460${String(i).padStart(3, "0")}`, areaPattern: /^20$/ },
};

const PLACES: Record<string, { locality: string; region: string }> = {
  "415": { locality: "San Francisco", region: "CA" },
  "212": { locality: "New York", region: "NY" },
  "646": { locality: "New York", region: "NY" },
  "312": { locality: "Chicago", region: "IL" },
  "512": { locality: "Austin", region: "TX" },
  "604": { locality: "Vancouver", region: "BC" },
  "416": { locality: "Toronto", region: "ON" },
  "20": { locality: "London", region: "LND" },
};

const KEYPAD: Record<string, string> = { a: "2", b: "2", c: "2", d: "3", e: "3", f: "3", g: "4", h: "4", i: "4", j: "5", k: "5", l: "5", m: "6", n: "6", o: "6", p: "7", q: "7", r: "7", s: "7", t: "8", u: "8", v: "8", w: "9", x: "9", y: "9", z: "9" };

/** `Contains`: digits, letters (read off a phone keypad) and `*` for any one digit. */
export function containsPattern(contains: string): RegExp | null {
  if (!/^[0-9a-zA-Z*]{1,16}$/.test(contains)) return null;
  const source = [...contains.toLowerCase()].map((ch) => (ch === "*" ? "\\d" : (KEYPAD[ch] ?? ch))).join("");
  return new RegExp(source);
}

export class NumberInventory {
  readonly #random: () => number;
  readonly #owned = new Map<string, OwnedNumber>();

  constructor(random: () => number, presets: readonly string[] = PRESET_NUMBERS) {
    this.#random = random;
    for (const number of presets) this.#add(number, 0);
  }

  owned(): OwnedNumber[] {
    return [...this.#owned.values()].map((n) => ({ ...n }));
  }

  find(phoneNumber: string): OwnedNumber | undefined {
    return this.#owned.get(phoneNumber);
  }

  bySid(numberSid: string): OwnedNumber | undefined {
    return [...this.#owned.values()].find((n) => n.sid === numberSid);
  }

  /** Null for a country the stand-in has no inventory in; `areaCode` must fit the country. */
  search(country: string, options: { areaCode?: string; contains?: string; limit: number }): AvailableNumber[] | null | "bad-area" | "bad-pattern" {
    const plan = PLANS[country];
    if (!plan) return null;
    const area = options.areaCode ?? plan.defaultArea;
    if (!plan.areaPattern.test(area)) return "bad-area";
    const pattern = options.contains === undefined ? null : containsPattern(options.contains);
    if (options.contains !== undefined && pattern === null) return "bad-pattern";
    const found: AvailableNumber[] = [];
    // A fixed walk through the area's numbers, different per area, the same on every run.
    const stride = 7_919 % plan.count;
    const offset = hashSeed(`${country}:${area}`) % plan.count;
    for (let k = 0; k < plan.count && found.length < options.limit; k++) {
      const number = plan.number(area, (offset + k * stride) % plan.count);
      if (this.#owned.has(number) || number.slice(-4).startsWith("01")) continue;
      if (pattern && !pattern.test(number.slice(1))) continue;
      found.push({ phoneNumber: number, friendlyName: formatNumber(number), isoCountry: country, ...(PLACES[area] ?? { locality: null, region: null }) });
    }
    return found;
  }

  /** Whether the stand-in could sell this number: in a fictional range, and not already held. */
  purchasable(phoneNumber: string): boolean {
    if (!isE164(phoneNumber) || this.#owned.has(phoneNumber)) return false;
    return /^\+1[2-9]\d\d555\d{4}$/.test(phoneNumber) || /^\+442079460\d{3}$/.test(phoneNumber);
  }

  buy(phoneNumber: string): OwnedNumber | null {
    if (!this.purchasable(phoneNumber)) return null;
    return this.#add(phoneNumber, Date.now());
  }

  release(numberSid: string): boolean {
    const owned = this.bySid(numberSid);
    if (!owned) return false;
    this.#owned.delete(owned.phoneNumber);
    return true;
  }

  #add(phoneNumber: string, createdAt: number): OwnedNumber {
    const owned: OwnedNumber = {
      sid: sid("PN", this.#random),
      phoneNumber,
      friendlyName: formatNumber(phoneNumber),
      isoCountry: phoneNumber.startsWith("+44") ? "GB" : "US",
      createdAt: createdAt || Date.parse("2024-01-02T03:04:05Z"),
    };
    this.#owned.set(phoneNumber, owned);
    return owned;
  }
}
