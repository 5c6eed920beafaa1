/**
 * The largest tau the adaptive search chooses unless a run sets its own `tauMax`. No imports:
 * the dashboard's page checks its fixed-tau control against it in the browser.
 */
export const DEFAULT_TAU_MAX = 100;
