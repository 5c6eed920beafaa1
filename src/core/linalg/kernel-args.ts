/** Argument checks shared by every backend, so they all reject bad calls with the same words. */

/** Throws unless `rows` and `cols` are non-negative integers and `x` holds rows * cols values. */
export function checkMatrixShape(
  backend: string,
  x: Float32Array,
  rows: number,
  cols: number,
): void {
  if (!Number.isSafeInteger(rows) || rows < 0 || !Number.isSafeInteger(cols) || cols < 0) {
    throw new RangeError(
      `${backend} matrix(): rows and cols must be non-negative integers, got ${rows} x ${cols}`,
    );
  }
  if (x.length < rows * cols) {
    throw new RangeError(
      `${backend} matrix(): needs ${rows * cols} values (${rows} x ${cols}), got ${x.length}`,
    );
  }
}

/** Throws unless `v` (the argument `name` of `op`) holds at least `n` values. */
export function checkLength(op: string, name: string, v: ArrayLike<number>, n: number): void {
  if (v.length < n) {
    throw new RangeError(`${op}: ${name} needs at least ${n} values, got ${v.length}`);
  }
}

/** Throws unless `h` (a number of columns of W or G) is a non-negative integer. */
export function checkWidth(op: string, h: number): void {
  if (!Number.isSafeInteger(h) || h < 0) {
    throw new RangeError(`${op}: h must be a non-negative integer, got ${h}`);
  }
}
