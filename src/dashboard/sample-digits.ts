import type { SampleItem } from "../aggregator/test-sample.js";
import { DIGIT_BYTES } from "./dashboard-limits.js";
import type { TestDigit } from "./dashboard-source.js";

/** The samples as test digits: none unless every one is a 28 x 28 image (verdicts match by index). */
export function testDigits(sample: readonly SampleItem[]): TestDigit[] {
  const digits: TestDigit[] = [];
  for (const { image, truth } of sample) {
    if (image === null || image.length !== DIGIT_BYTES) return [];
    digits.push({ image, truth });
  }
  return digits;
}
