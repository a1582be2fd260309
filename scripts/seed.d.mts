// Types for seed.mjs, used by the tests.
export interface SeedResult {
  skipped: boolean;
  org: { id: string; name: string };
  imported?: { imported: number; duplicates: number; invalid: number };
  campaignId?: string;
  leadIds?: string[];
}
export function seedDemo(baseUrl: string, options?: { log?: (line: string) => void }): Promise<SeedResult>;
