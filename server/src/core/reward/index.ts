/**
 * The reward scorer: a pure library (no I/O) that scores one canonical session 0..1 and explains
 * the score component by component, with the evidence behind each.
 *
 * Default formula (version REWARD_FORMULA_VERSION, stamped on every score):
 *   0.40 outcome    the session ended in a verified success (gate: SHIP 1, HOLD 0)
 *   0.25 criteria   fraction of the task's criteria or todo items completed
 *   0.20 review     SHIP 1, ADVISORY 0.7, HOLD 0
 *   0.15 iterations max(0, 1 - iterations / maxIterations)
 * Each component takes explicit verdicts in the trace first, then the developer's rating (outcome
 * and review only), then evidence derived from the session; see components.ts for the rules,
 * facts.ts for the definitions (turns, iterations, rejections, interrupts), verification.ts and
 * commands.ts for how test/build/lint runs are recognised and read, formula.ts for weights.
 */
export { REWARD_FORMULA_VERSION, resolveRewardConfig } from './formula';
export { sessionFacts } from './facts';
export { scoreSession, type ScoreOptions } from './score';
