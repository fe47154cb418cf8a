export { BUILT_IN_HEADER, createBuiltInAdvisor } from "./builtin-advisor";
export { type Intent, type IntentKind, recognise, type Vocabulary } from "./intents";
export { type Suggestion, suggestionsFrom, suggestQuestions } from "./suggestions";
