/**
 * The plans as the landing page shows them. Prices and limits follow the design card
 * (USD via Stripe, UAH via LiqPay); the API enforces the limits, this only describes them.
 */
export interface Plan {
  id: "free" | "starter" | "growth" | "enterprise";
  name: string;
  usd: number;
  uah: number;
  pitch: string;
  limits: string[];
  featured?: boolean;
}

export const plans: Plan[] = [
  {
    id: "free",
    name: "Free",
    usd: 0,
    uah: 0,
    pitch: "Try every channel on a small trial quota.",
    limits: ["A small trial quota on every channel", "1 seat"],
  },
  {
    id: "starter",
    name: "Starter",
    usd: 40,
    uah: 1650,
    pitch: "For a founder doing their own outreach.",
    limits: ["500 voice minutes / month", "100 Telegram messages / month", "500 emails / month", "1 phone number"],
  },
  {
    id: "growth",
    name: "Growth",
    usd: 99,
    uah: 4100,
    pitch: "For a sales team running campaigns every week.",
    limits: ["2,000 voice minutes / month", "500 Telegram messages / month", "2,000 emails / month", "5 phone numbers"],
    featured: true,
  },
  {
    id: "enterprise",
    name: "Enterprise",
    usd: 299,
    uah: 12300,
    pitch: "For agencies and call centres at volume.",
    limits: ["Unlimited voice minutes", "Unlimited Telegram messages", "Unlimited emails", "Unlimited phone numbers"],
  },
];
