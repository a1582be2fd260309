import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../context";
import { fieldErrorsFromZod, problemResponse } from "../errors";

/** Every router shares one validation hook, so any invalid input gets the same problem+json shape. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const target = result.target === "json" ? "body" : result.target;
        return problemResponse(c, "validation_failed", `The request's ${target} is not valid.`, fieldErrorsFromZod(result.error, target));
      }
    },
  });
}
