// Types for paths.mjs, used by the tests.
export const repoRoot: string;
export function fromRoot(relative: string): string;
export const siteRoot: string;
export const builtWranglerConfig: string;
export const devVarsPath: string;
export const devVarsExamplePath: string;
export const sandboxEntry: string;
export const defaultPersistDir: string;
export const bins: { astro: string; wrangler: string };
export const quietEnv: Record<string, string>;
