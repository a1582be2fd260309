// Types for steps.mjs, used by the tests.
export function buildSite(options?: { quiet?: boolean }): Promise<void>;
export function applyLocalMigrations(options: { persistTo: string; quiet?: boolean }): Promise<void>;
