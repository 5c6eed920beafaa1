import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { ControlInput, ControlOutput } from "../core/control/control-record.js";
import type { ControllerConfig } from "../core/control/controller.js";
import type { RunConfig } from "../core/federation/run-config.js";
import { runConfigProblems } from "../core/federation/run-config.js";
import { CONTROLLER_FILE, CONTROLLER_FILE_VERSION, ROUNDS_FILE } from "./record-files.js";

/**
 * A record that cannot be used, as data: `message` is the one sentence to print, naming the file
 * (and the line of rounds.jsonl), e.g. `out/rounds.jsonl line 5: not JSON (...)`.
 */
export interface RecordProblem {
  readonly file: string;
  /** The line of rounds.jsonl at fault, from 1; null for the file as a whole. */
  readonly line: number | null;
  readonly message: string;
}

export type Read<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: RecordProblem };

/** One round of a record: what replay and recorded costs need of its RoundEvent. */
export interface RecordedRound {
  /** Its line in rounds.jsonl, from 1. */
  readonly line: number;
  readonly round: number;
  /** The event's own nextTau (the same as control.output.tau when nothing was changed). */
  readonly nextTau: number | null | undefined;
  readonly input: ControlInput;
  readonly output: ControlOutput;
}

/** A run's record read back: its directory, the controller's config, every round in order. */
export interface RunRecordRead {
  readonly dir: string;
  readonly config: ControllerConfig;
  readonly rounds: readonly RecordedRound[];
}

function problem(file: string, line: number | null, what: string): RecordProblem {
  return {
    file,
    line,
    message: line === null ? `${file}: ${what}` : `${file} line ${line}: ${what}`,
  };
}

function fail<T>(file: string, line: number | null, what: string): Read<T> {
  return { ok: false, problem: problem(file, line, what) };
}

/**
 * The directories at or below `dir` that hold a rounds.jsonl, in a stable order (run-2 before
 * run-10); `dir` may also name a rounds.jsonl itself. Symbolic links are not followed.
 */
export function findRecords(dir: string): Read<string[]> {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(dir);
  } catch {
    return fail(dir, null, "no such file or directory");
  }
  if (stat.isFile()) {
    if (basename(dir) === ROUNDS_FILE) return { ok: true, value: [dirname(dir)] };
    return fail(dir, null, `not a directory, nor a ${ROUNDS_FILE}`);
  }
  const found: string[] = [];
  const walk = (d: string): void => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name, "en", { numeric: true }),
    );
    if (entries.some((e) => e.isFile() && e.name === ROUNDS_FILE)) found.push(d);
    for (const e of entries) if (e.isDirectory()) walk(join(d, e.name));
  };
  try {
    walk(dir);
  } catch (e) {
    return fail(dir, null, `cannot be read (${messageOf(e)})`);
  }
  if (found.length === 0) return fail(dir, null, `no ${ROUNDS_FILE} in it or below it`);
  return { ok: true, value: found };
}

/** DIR/rounds.jsonl read back, every line checked: a RoundEvent of rounds 1, 2, ... with its control record. */
export function readRounds(dir: string): Read<RecordedRound[]> {
  const file = join(dir, ROUNDS_FILE);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(
      file,
      null,
      code === "ENOENT" ? "no such file" : `cannot be read (${messageOf(e)})`,
    );
  }
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lines.length === 0) return fail(file, null, "no round recorded");
  const rounds: RecordedRound[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const round = roundOf(lines[i], line);
    if (typeof round === "string") return fail(file, line, round);
    rounds.push(round);
  }
  return { ok: true, value: rounds };
}

/** DIR/controller.json read back and checked. */
export function readControllerFile(dir: string): Read<ControllerConfig> {
  const file = join(dir, CONTROLLER_FILE);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT"
      ? fail(
          file,
          null,
          `missing: without the controller's config the decisions in ${ROUNDS_FILE} cannot be replayed`,
        )
      : fail(file, null, `cannot be read (${messageOf(e)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail(file, null, `not JSON (${messageOf(e)})`);
  }
  if (!isObject(value)) return fail(file, null, "not a JSON object");
  if (value.version !== CONTROLLER_FILE_VERSION) {
    return fail(
      file,
      null,
      `unknown version ${JSON.stringify(value.version) ?? "(none)"} (this fedtau reads version ${CONTROLLER_FILE_VERSION})`,
    );
  }
  const config = configProblem(value.config);
  if (config !== null) return fail(file, null, config);
  return { ok: true, value: value.config as ControllerConfig };
}

/** A whole run: controller.json and rounds.jsonl of `dir`. */
export function readRunRecord(dir: string): Read<RunRecordRead> {
  const rounds = readRounds(dir);
  if (!rounds.ok) return rounds;
  const config = readControllerFile(dir);
  if (!config.ok) return config;
  return { ok: true, value: { dir, config: config.value, rounds: rounds.value } };
}

// --- Shapes.

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const isNumber = (v: unknown): v is number => typeof v === "number";
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isNumberOrNull = (v: unknown) => v === null || isNumber(v);

/** One line as a recorded round, or what is wrong with it (without the file and line). */
function roundOf(text: string, line: number): RecordedRound | string {
  if (text.trim() === "") return "an empty line";
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return `not JSON (${messageOf(e)})`;
  }
  if (!isObject(value)) return "not a JSON object";
  if (value.round !== line) {
    return `round ${JSON.stringify(value.round) ?? "(none)"} where round ${line} was expected`;
  }
  const control = value.control;
  if (control === undefined) {
    return `round ${line} has no control record (written by a fedtau from before the controller's decisions were recorded)`;
  }
  const bad = controlProblem(control);
  if (bad !== null) return `round ${line}: ${bad}`;
  const nextTau = value.nextTau;
  if (nextTau !== undefined && !isNumberOrNull(nextTau)) {
    return `round ${line}: nextTau is not a number or null`;
  }
  const c = control as { input: ControlInput; output: ControlOutput };
  return { line, round: line, nextTau, input: c.input, output: c.output };
}

/** What is wrong with a control record, or null. */
function controlProblem(control: unknown): string | null {
  if (!isObject(control)) return "the control record is not an object";
  const input = control.input;
  if (!isObject(input)) return "the control record has no input";
  if (!Number.isInteger(input.round)) return "control.input.round is not an integer";
  if (!isCount(input.tauDone)) return "control.input.tauDone is not a count";
  if (typeof input.fallback !== "boolean") return "control.input.fallback is not true or false";
  const fresh = input.fresh;
  if (!isObject(fresh)) return "control.input.fresh is not an object";
  for (const k of ["beta", "rho", "delta"]) {
    if (!isNumberOrNull(fresh[k])) return `control.input.fresh.${k} is not a number or null`;
  }
  const cost = input.cost;
  if (!isObject(cost)) return "control.input.cost is not an object";
  if (cost.time === undefined) return "control.input.cost has no time";
  for (const [name, use] of Object.entries(cost)) {
    if (!isObject(use) || !isNumber(use.local) || !isNumber(use.aggregation)) {
      return `control.input.cost.${name} is not {local, aggregation} numbers`;
    }
  }
  const nodes = input.nodes;
  if (!Array.isArray(nodes)) return "control.input.nodes is not a list";
  for (const [i, n] of nodes.entries()) {
    if (
      !isObject(n) ||
      typeof n.id !== "string" ||
      !isNumber(n.localSeconds) ||
      !isCount(n.tauDone)
    ) {
      return `control.input.nodes[${i}] is not {id, localSeconds, tauDone}`;
    }
  }
  const lost = input.lost;
  if (!Array.isArray(lost) || !lost.every((id) => typeof id === "string")) {
    return "control.input.lost is not a list of node names";
  }
  const output = control.output;
  if (!isObject(output)) return "the control record has no output";
  if (!(output.tau === null || Number.isInteger(output.tau))) {
    return "control.output.tau is not an integer or null";
  }
  if (!(output.kind === null || typeof output.kind === "string")) {
    return "control.output.kind is not a string or null";
  }
  const change = output.change;
  if (!isObject(change) || typeof change.text !== "string" || typeof change.cause !== "string") {
    return "control.output.change is not {cause, text}";
  }
  return null;
}

const CONFIG_KEYS = [
  "control",
  "eta",
  "phi",
  "gamma",
  "tauMode",
  "tauMax",
  "useMinLoss",
  "budget",
  "maxRounds",
] as const satisfies readonly (keyof ControllerConfig)[];

/** What is wrong with a ControllerConfig, or null; the value checks are the run config's own. */
function configProblem(config: unknown): string | null {
  if (!isObject(config)) return "no config object";
  for (const k of CONFIG_KEYS) if (!(k in config)) return `config has no "${k}"`;
  for (const k of ["eta", "phi", "gamma"] as const) {
    if (!isNumber(config[k])) return `config.${k} is not a number`;
  }
  if (typeof config.useMinLoss !== "boolean") return "config.useMinLoss is not true or false";
  if (!isObject(config.budget)) return "config.budget is not an object";
  if (!(config.maxRounds === null || Number.isInteger(config.maxRounds))) {
    return "config.maxRounds is not an integer or null";
  }
  const asRun = {
    modelSize: 1,
    initialWeights: new Float64Array(1),
    control: config.control,
    eta: config.eta,
    phi: config.phi,
    gamma: config.gamma,
    tauMode: config.tauMode,
    tauMax: config.tauMax,
    budget: config.budget,
    ...(config.maxRounds === null ? {} : { maxRounds: config.maxRounds }),
  } as RunConfig;
  const problems = runConfigProblems(asRun);
  // The same sentences as a run config's; a config without phi etc. was caught above.
  return problems.length === 0 ? null : `config: ${problems.join("; ")}`;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
