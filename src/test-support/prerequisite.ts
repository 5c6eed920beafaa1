import { it } from "vitest";

/** A system package (or tool) that some tests need and `.ci/run` installs. */
export interface Prerequisite {
  /** What is missing, e.g. "Debian's dataset-fashion-mnist". */
  readonly name: string;
  /** Whether it is present on this machine. */
  readonly present: boolean;
  /** How to get it, e.g. "apt-get install -y dataset-fashion-mnist". */
  readonly install: string;
}

/**
 * `it` for a test that needs a prerequisite. Present: an ordinary test. Missing: under CI=true
 * the test fails and says what to install (nothing is skipped silently in CI); elsewhere it is
 * skipped, and the skip is printed with the test's name and the reason.
 */
export function itNeeds(prerequisite: Prerequisite) {
  return (name: string, fn: () => unknown, timeout?: number): void => {
    if (prerequisite.present) {
      it(name, fn, timeout);
      return;
    }
    const why = `needs ${prerequisite.name} (${prerequisite.install})`;
    if (process.env.CI === "true") {
      it(name, () => {
        throw new Error(`Missing prerequisite: this test ${why}`);
      });
      return;
    }
    console.warn(`skipping "${name}": ${why}`);
    it.skip(`${name} [skipped: ${why}]`, fn);
  };
}
