export * from "./milestones";
export * from "./progress";
