export * from "./identity";
export * from "./content";
export * from "./leads";
export * from "./campaigns";
export * from "./activity";
export * from "./platform";
