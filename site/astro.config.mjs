// @ts-check
import cloudflare from "@astrojs/cloudflare";
import { defineConfig } from "astro/config";

// The site is one half of the Worker in ../wrangler.toml (the other half is the Hono API).
// `astro build` bundles ../workers/index.ts (the wrangler `main`) together with the pages and
// writes the deployable config to dist/server/wrangler.json.
export default defineConfig({
  output: "server",
  adapter: cloudflare({
    // Relative to this directory (the Vite root); the adapter finds wrangler.toml only there.
    configPath: "../wrangler.toml",
    // No image transforms on these pages, so no IMAGES binding is added to the Worker.
    imageService: "passthrough",
  }),
  // The dashboard's session is the API's cookie; Astro sessions would add a KV namespace.
  session: false,
  devToolbar: { enabled: false },
  // wrangler.toml's `minify` is ignored when Vite bundles the Worker, and Astro forces
  // `build.minify: false` on the server build; Rolldown's own output option still applies.
  vite: { environments: { ssr: { build: { rolldownOptions: { output: { minify: true } } } } } },
});
