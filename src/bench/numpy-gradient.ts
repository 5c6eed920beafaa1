import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface, type Interface } from "node:readline";

/**
 * The numpy side of the gradient benchmark: one python3 process, spoken to in JSON lines, that
 * loads a data set from a file and times the same smooth-SVM gradient with vectorised numpy.
 * Everything is float32 (X, y, w and lambda), as fedtau's kernels are, so numpy does no
 * conversion copies, and BLAS runs on one thread, as a fedtau node does.
 */
const SCRIPT = `
import sys, json, time
try:
    import numpy as np
except Exception as e:
    print(json.dumps({"error": "numpy is not importable by python3: %s" % e}), flush=True)
    sys.exit(0)

def blas_name():
    try:
        b = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return "%s %s" % (b.get("name", "?"), b.get("version", "?"))
    except Exception:
        return "unknown BLAS"

def grad(X, y, w, lam):
    s = np.maximum(0, 1 - y * (X @ w))
    return lam * w - (X.T @ (y * s)) / X.shape[0]

print(json.dumps({"ready": True, "numpy": np.__version__, "blas": blas_name()}), flush=True)
data = {}
for line in sys.stdin:
    msg = json.loads(line)
    cmd = msg["cmd"]
    if cmd == "load":
        n, d = msg["rows"], msg["cols"]
        raw = np.fromfile(msg["path"], dtype=np.float32)
        X = raw[: n * d].reshape(n, d)
        y = raw[n * d : n * d + n].copy()
        w = raw[n * d + n : n * d + n + d].copy()
        lam = np.float32(msg["lambda"])
        data[msg["id"]] = (X, y, w, lam)
        print(json.dumps({"grad": grad(X, y, w, lam).astype(np.float64).tolist()}), flush=True)
    elif cmd == "time":
        X, y, w, lam = data[msg["id"]]
        for _ in range(msg["warmup"]):
            grad(X, y, w, lam)
        ms = []
        for _ in range(msg["runs"]):
            t = time.perf_counter()
            grad(X, y, w, lam)
            ms.append((time.perf_counter() - t) * 1e3)
        print(json.dumps({"ms": ms}), flush=True)
    elif cmd == "drop":
        data.pop(msg["id"], None)
        print(json.dumps({"dropped": True}), flush=True)
    else:
        break
`;

/** The environment of the python child: one BLAS thread, and OpenBLAS free to pick its kernel. */
export function numpyEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    OPENBLAS_NUM_THREADS: "1",
    MKL_NUM_THREADS: "1",
    OMP_NUM_THREADS: "1",
  };
  // These pin OpenBLAS to an older core type / cache size on some machines; numpy is timed with
  // the kernels it would choose itself.
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

type Reply = Record<string, unknown>;

/** A running python3 + numpy process. */
export class NumpyGradient {
  private readonly waiting: Array<{ resolve: (r: Reply) => void; reject: (e: Error) => void }> = [];
  private stderr = "";
  private exited: Error | undefined;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly lines: Interface,
    readonly version: string,
    readonly blas: string,
  ) {}

  /** Starts python3; resolves to the process, or to the reason numpy cannot be used here. */
  static async start(python = "python3"): Promise<NumpyGradient | { unavailable: string }> {
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(python, ["-c", SCRIPT], { env: numpyEnv(process.env) });
    } catch (error) {
      return { unavailable: `cannot start ${python}: ${(error as Error).message}` };
    }
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<Reply | { unavailable: string }>((resolve) => {
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.once("error", (error: NodeJS.ErrnoException) =>
        resolve({
          unavailable:
            error.code === "ENOENT"
              ? `${python} is not on PATH`
              : `cannot start ${python}: ${error.message}`,
        }),
      );
      child.once("exit", (code) =>
        resolve({
          unavailable: `${python} exited with code ${code} before answering: ${stderr.trim()}`,
        }),
      );
      lines.once("line", (line) => {
        try {
          resolve(JSON.parse(line) as Reply);
        } catch {
          resolve({ unavailable: `${python} answered something other than JSON: ${line}` });
        }
      });
    });
    if ("unavailable" in first) {
      child.kill();
      return first as { unavailable: string };
    }
    if (typeof first.error === "string") {
      child.kill();
      return { unavailable: first.error };
    }
    const np = new NumpyGradient(child, lines, String(first.numpy), String(first.blas));
    np.listen();
    return np;
  }

  private listen(): void {
    this.child.stderr.removeAllListeners("data");
    this.child.removeAllListeners("exit");
    this.child.stderr.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.lines.on("line", (line) => {
      const next = this.waiting.shift();
      if (next === undefined) return;
      try {
        next.resolve(JSON.parse(line) as Reply);
      } catch {
        next.reject(new Error(`numpy process answered something other than JSON: ${line}`));
      }
    });
    this.child.on("exit", (code) => {
      this.exited = new Error(`numpy process exited (code ${code}): ${this.stderr.trim()}`);
      for (const w of this.waiting.splice(0)) w.reject(this.exited);
    });
  }

  private request(msg: Reply): Promise<Reply> {
    if (this.exited !== undefined) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify(msg)}\n`);
    });
  }

  /**
   * Loads a data set written by `encodeGradientData` and returns numpy's gradient at its w
   * (to check that both sides compute the same thing).
   */
  async load(
    id: string,
    path: string,
    rows: number,
    cols: number,
    lambda: number,
  ): Promise<Float64Array> {
    const r = await this.request({ cmd: "load", id, path, rows, cols, lambda });
    return Float64Array.from(r.grad as number[]);
  }

  /** Times `runs` gradients after `warmup` untimed ones; milliseconds per run. */
  async time(id: string, runs: number, warmup: number): Promise<number[]> {
    const r = await this.request({ cmd: "time", id, runs, warmup });
    return r.ms as number[];
  }

  /** Frees a loaded data set in the python process. */
  async drop(id: string): Promise<void> {
    await this.request({ cmd: "drop", id });
  }

  /** Ends the python process. */
  close(): void {
    this.lines.close();
    this.child.stdin.end();
    this.child.kill();
  }
}

/** The file format `load` reads: X (rows x cols), then y (rows), then w (cols), float32 in native byte order. */
export function encodeGradientData(
  x: Float32Array,
  y: Float64Array,
  w: Float64Array,
  rows: number,
  cols: number,
): Uint8Array {
  const out = new Float32Array(rows * cols + rows + cols);
  out.set(x.subarray(0, rows * cols));
  out.set(y.subarray(0, rows), rows * cols);
  out.set(w.subarray(0, cols), rows * cols + rows);
  return new Uint8Array(out.buffer);
}
