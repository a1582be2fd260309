/** The sandbox's public surface for tests, benchmarks and scripts. */
export { startSandbox } from "./harness/server";
export type { ProviderName, Sandbox, SandboxOptions, StandIns } from "./harness/server";
export { defaultConfigPath, loadSandboxConfig } from "./harness/config";
export type { FaultConfig, FaultConfigInput, SandboxConfig, SandboxConfigInput } from "./harness/config";
export type { RequestLogEntry } from "./harness/request-log";
export { createClerkStandIn } from "./clerk";
export type { ClerkStandIn, ClerkStandInOptions, MintOptions, MintedSession, SessionClaims } from "./clerk";
