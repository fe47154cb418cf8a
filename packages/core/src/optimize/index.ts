export * from "./optimize";
