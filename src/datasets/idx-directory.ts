import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Dataset, DatasetSplit } from "../core/data/dataset.js";
import { readIdxImages, readIdxLabels } from "../core/data/idx.js";
import { readDataFile } from "./read-data-file.js";

/**
 * A directory of IDX files in the layout of MNIST (and Fashion-MNIST, KMNIST, ...): training and
 * test images and labels, each plain or gzipped, named `train-images-idx3-ubyte` or
 * `train-images.idx3-ubyte` (likewise `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`,
 * `t10k-labels-idx1-ubyte`), with or without `.gz`. A plain file wins over a gzipped one.
 */

type Role = "train-images" | "train-labels" | "t10k-images" | "t10k-labels";

const ROLE_NAMES: Record<Role, string> = {
  "train-images": "training images",
  "train-labels": "training labels",
  "t10k-images": "test images",
  "t10k-labels": "test labels",
};

/** The file names accepted for a role, in order of preference. */
export function idxFileNames(role: Role): string[] {
  const ext = role.endsWith("images") ? "idx3-ubyte" : "idx1-ubyte";
  const plain = [`${role}-${ext}`, `${role}.${ext}`];
  return [...plain, ...plain.map((n) => `${n}.gz`)];
}

/** Integer labels 0..999 are classes (count = largest + 1); anything else is regression data. */
function classCount(...labelSets: Float64Array[]): number | undefined {
  let classes = 0;
  for (const labels of labelSets) {
    for (const l of labels) {
      if (!(Number.isInteger(l) && l >= 0 && l < 1000)) return undefined;
      classes = Math.max(classes, l + 1);
    }
  }
  return classes;
}

/** Loads an IDX directory; `name` is the data set's name in messages (default `idx:DIR`). */
export async function loadIdxDirectory(dir: string, name = `idx:${dir}`): Promise<DatasetSplit> {
  const fail = (why: string): never => {
    throw new Error(`Cannot load data set "${name}": ${why}`);
  };
  let entries: string[] = [];
  try {
    if (!(await stat(dir)).isDirectory()) fail(`"${dir}" is not a directory`);
    entries = await readdir(dir);
  } catch (e) {
    if ((e as Error).message.startsWith("Cannot load")) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    fail(
      code === "ENOENT"
        ? `directory "${dir}" does not exist`
        : `cannot list "${dir}": ${(e as Error).message}`,
    );
  }
  const present = new Set(entries);
  const find = (role: Role): string => {
    const names = idxFileNames(role);
    const found = names.find((n) => present.has(n));
    if (!found) fail(`no ${ROLE_NAMES[role]} in "${dir}" (looked for ${names.join(", ")})`);
    return join(dir, found!);
  };
  const files = {
    trainImages: find("train-images"),
    trainLabels: find("train-labels"),
    testImages: find("t10k-images"),
    testLabels: find("t10k-labels"),
  };
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    readDataFile(files.trainImages, "IDX images").then((b) => readIdxImages(b, files.trainImages)),
    readDataFile(files.trainLabels, "IDX labels").then((b) => readIdxLabels(b, files.trainLabels)),
    readDataFile(files.testImages, "IDX images").then((b) => readIdxImages(b, files.testImages)),
    readDataFile(files.testLabels, "IDX labels").then((b) => readIdxLabels(b, files.testLabels)),
  ]);
  for (const [images, labels, imageFile, labelFile] of [
    [trainImages, trainLabels, files.trainImages, files.trainLabels],
    [testImages, testLabels, files.testImages, files.testLabels],
  ] as const) {
    if (images.count !== labels.length) {
      fail(
        `"${labelFile}" has ${labels.length} labels but "${imageFile}" has ${images.count} images`,
      );
    }
  }
  const [h, w] = trainImages.shape;
  if (testImages.shape[0] !== h || testImages.shape[1] !== w) {
    fail(
      `test images "${files.testImages}" are ${testImages.shape.join(" x ")}, training images "${files.trainImages}" are ${h} x ${w}`,
    );
  }
  const classes = classCount(trainLabels, testLabels);
  const make = (part: string, images: typeof trainImages, labels: Float64Array): Dataset => ({
    name: `${name} (${part})`,
    rows: images.count,
    dim: h * w,
    features: images.features,
    labels,
    ...(classes !== undefined ? { classes } : {}),
    imageShape: [h, w],
  });
  return {
    train: make("train", trainImages, trainLabels),
    test: make("test", testImages, testLabels),
  };
}
