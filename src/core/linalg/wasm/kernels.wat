;; fedtau's WebAssembly SIMD kernels (assembled by scripts/build-wasm.mjs with wabt, simd on).
;;
;; Matrix layout (written by wasm-kernels.ts at matrix() time): columns that are zero in every
;; row are dropped and the `kept` others listed in a column map idx (i32 per kept column); rows
;; are grouped in blocks of 4 (the last one padded with zero rows) and kept columns padded with
;; zeros to a multiple of 4. A block is a run of 4x4 tiles, one per group of 4 kept columns; a
;; tile holds row i's 4 values at byte 16*i. Tile t of block b starts at x + b*tiles*64 + t*64,
;; so one pass over the matrix is one sequential stream, and one tile is one cache line.
;;
;; Vectors in and out are float64 in full length (what the TypeScript side holds), gathered and
;; scattered through idx; everything inside is float32. The weight/gradient scratch "wg"
;; interleaves w and g per tile (w tile at +0, g tile at +16, 32 bytes a tile), so the hot loop
;; advances one pointer for both.

(module
  (import "env" "memory" (memory 1))

  ;; [sum a0, sum a1, sum a2, sum a3]: the four row dot products of a block.
  (func $hsum4 (param $a0 v128) (param $a1 v128) (param $a2 v128) (param $a3 v128) (result v128)
    (local $u01 v128) (local $u23 v128)
    (local.set $u01
      (f32x4.add
        (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a0) (local.get $a1))
        (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a0) (local.get $a1))))
    (local.set $u23
      (f32x4.add
        (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a2) (local.get $a3))
        (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a2) (local.get $a3))))
    (f32x4.add
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $u01) (local.get $u23))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $u01) (local.get $u23))))

  ;; Four float64 at p as one f32x4.
  (func $load_f64x4 (param $p i32) (result v128)
    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (v128.load (local.get $p)))
      (f32x4.demote_f64x2_zero (v128.load offset=16 (local.get $p)))))

  ;; Stores an f32x4 as four float64 at p.
  (func $store_f64x4 (param $p i32) (param $v v128)
    (v128.store (local.get $p) (f64x2.promote_low_f32x4 (local.get $v)))
    (v128.store offset=16 (local.get $p)
      (f64x2.promote_low_f32x4
        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))

  ;; wg <- (w gathered from float64 vec through the column map idx (kept entries), g = 0).
  (func $wg_load (param $vec i32) (param $idx i32) (param $kept i32) (param $wg i32) (param $tiles i32)
    (local $k i32)
    (memory.fill (local.get $wg) (i32.const 0) (i32.shl (local.get $tiles) (i32.const 5)))
    (block $done
      (br_if $done (i32.eqz (local.get $kept)))
      (loop $l
        (f32.store
          (i32.add (local.get $wg)
            (i32.add
              (i32.shl (i32.shr_u (local.get $k) (i32.const 2)) (i32.const 5))
              (i32.shl (i32.and (local.get $k) (i32.const 3)) (i32.const 2))))
          (f32.demote_f64
            (f64.load
              (i32.add (local.get $vec)
                (i32.shl (i32.load (i32.add (local.get $idx) (i32.shl (local.get $k) (i32.const 2))))
                  (i32.const 3))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $k) (local.get $kept))))))

  ;; vec (float64, cols values) <- g from wg scattered through the column map; dropped columns get 0.
  (func $wg_store_g (param $wg i32) (param $idx i32) (param $kept i32) (param $cols i32) (param $vec i32)
    (local $k i32)
    (memory.fill (local.get $vec) (i32.const 0) (i32.shl (local.get $cols) (i32.const 3)))
    (block $done
      (br_if $done (i32.eqz (local.get $kept)))
      (loop $l
        (f64.store
          (i32.add (local.get $vec)
            (i32.shl (i32.load (i32.add (local.get $idx) (i32.shl (local.get $k) (i32.const 2))))
              (i32.const 3)))
          (f64.promote_f32
            (f32.load offset=16
              (i32.add (local.get $wg)
                (i32.add
                  (i32.shl (i32.shr_u (local.get $k) (i32.const 2)) (i32.const 5))
                  (i32.shl (i32.and (local.get $k) (i32.const 3)) (i32.const 2)))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $k) (local.get $kept))))))

  ;; The 4 dot products <w, x_i> of the block at p.
  (func $dot4 (param $p i32) (param $wg i32) (param $tiles i32) (result v128)
    (local $end i32) (local $wv v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $tiles) (i32.const 6))))
    (block $done
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (loop $l
        (local.set $wv (v128.load (local.get $wg)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (local.get $p)) (local.get $wv))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=16 (local.get $p)) (local.get $wv))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load offset=32 (local.get $p)) (local.get $wv))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load offset=48 (local.get $p)) (local.get $wv))))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (local.set $wg (i32.add (local.get $wg) (i32.const 32)))
        (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))
    (call $hsum4 (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3)))

  ;; g += sum_i c_i x_i over the block at p (c_i splatted).
  (func $grad (param $p i32) (param $wg i32) (param $tiles i32)
    (param $c0 v128) (param $c1 v128) (param $c2 v128) (param $c3 v128)
    (local $end i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $tiles) (i32.const 6))))
    (block $done
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (loop $l
        (v128.store offset=16 (local.get $wg)
          (f32x4.add
            (v128.load offset=16 (local.get $wg))
            (f32x4.add
              (f32x4.add
                (f32x4.mul (local.get $c0) (v128.load (local.get $p)))
                (f32x4.mul (local.get $c1) (v128.load offset=16 (local.get $p))))
              (f32x4.add
                (f32x4.mul (local.get $c2) (v128.load offset=32 (local.get $p)))
                (f32x4.mul (local.get $c3) (v128.load offset=48 (local.get $p)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (local.set $wg (i32.add (local.get $wg) (i32.const 32)))
        (br_if $l (i32.lt_u (local.get $p) (local.get $end))))))

  ;; One pass over two blocks: g += sum_i c_i x_i for the block at p, and returns the 4 dot
  ;; products of the next block (at p + bb), which the caller needs for its coefficients.
  ;; The current block was streamed in by the previous pass, so it is read from cache.
  (func $fused (param $p i32) (param $wg i32) (param $tiles i32) (param $bb i32)
    (param $c0 v128) (param $c1 v128) (param $c2 v128) (param $c3 v128) (result v128)
    (local $end i32) (local $q i32) (local $wv v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $tiles) (i32.const 6))))
    (local.set $q (i32.add (local.get $p) (local.get $bb)))
    (block $done
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (loop $l
        (v128.store offset=16 (local.get $wg)
          (f32x4.add
            (v128.load offset=16 (local.get $wg))
            (f32x4.add
              (f32x4.add
                (f32x4.mul (local.get $c0) (v128.load (local.get $p)))
                (f32x4.mul (local.get $c1) (v128.load offset=16 (local.get $p))))
              (f32x4.add
                (f32x4.mul (local.get $c2) (v128.load offset=32 (local.get $p)))
                (f32x4.mul (local.get $c3) (v128.load offset=48 (local.get $p)))))))
        (local.set $wv (v128.load (local.get $wg)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (local.get $q)) (local.get $wv))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=16 (local.get $q)) (local.get $wv))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load offset=32 (local.get $q)) (local.get $wv))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load offset=48 (local.get $q)) (local.get $wv))))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (local.set $q (i32.add (local.get $q) (i32.const 64)))
        (local.set $wg (i32.add (local.get $wg) (i32.const 32)))
        (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))
    (call $hsum4 (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3)))

  ;; Lanes of a block that are real rows (the last block may hold padding).
  (func $valid_lanes (param $rows i32) (param $b i32) (result v128)
    (i32x4.gt_s
      (i32x4.splat (i32.sub (local.get $rows) (i32.shl (local.get $b) (i32.const 2))))
      (v128.const i32x4 0 1 2 3)))

  ;; The smooth-SVM data term. In: y (float64, rows padded to a multiple of 4 with zeros), w
  ;; (float64 at vec, cols values). Out: g = -sum_j y_j s_j x_j as float64 at vec (cols values),
  ;; and returns sum_j s_j^2, with s_j = max(0, 1 - y_j <w, x_j>). Rows are processed a block at a
  ;; time: the block's coefficients need its 4 dot products first, so each pass updates g with
  ;; one block while computing the next block's dot products.
  (func (export "sq_hinge")
    (param $x i32) (param $rows i32) (param $tiles i32) (param $y i32) (param $wg i32) (param $vec i32)
    (param $idx i32) (param $kept i32) (param $cols i32)
    (result f64)
    (local $nb i32) (local $bb i32) (local $b i32) (local $p i32)
    (local $d v128) (local $yv v128) (local $s v128) (local $ss v128) (local $coef v128) (local $sum v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (call $wg_load (local.get $vec) (local.get $idx) (local.get $kept) (local.get $wg) (local.get $tiles))
    (local.set $nb (i32.shr_u (i32.add (local.get $rows) (i32.const 3)) (i32.const 2)))
    (local.set $bb (i32.shl (local.get $tiles) (i32.const 6)))
    (local.set $p (local.get $x))
    (block $done
      (br_if $done (i32.eqz (local.get $nb)))
      (local.set $d (call $dot4 (local.get $p) (local.get $wg) (local.get $tiles)))
      (loop $blocks
        (local.set $yv (call $load_f64x4 (i32.add (local.get $y) (i32.shl (local.get $b) (i32.const 5)))))
        (local.set $s
          (v128.and
            (f32x4.max
              (v128.const f32x4 0 0 0 0)
              (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $yv) (local.get $d))))
            (call $valid_lanes (local.get $rows) (local.get $b))))
        (local.set $ss (f32x4.mul (local.get $s) (local.get $s)))
        (local.set $sum
          (f64x2.add
            (f64x2.add (local.get $sum) (f64x2.promote_low_f32x4 (local.get $ss)))
            (f64x2.promote_low_f32x4
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $ss) (local.get $ss)))))
        (local.set $coef (f32x4.neg (f32x4.mul (local.get $yv) (local.get $s))))
        (if (v128.any_true (local.get $s))
          (then
            (local.set $c0 (f32x4.splat (f32x4.extract_lane 0 (local.get $coef))))
            (local.set $c1 (f32x4.splat (f32x4.extract_lane 1 (local.get $coef))))
            (local.set $c2 (f32x4.splat (f32x4.extract_lane 2 (local.get $coef))))
            (local.set $c3 (f32x4.splat (f32x4.extract_lane 3 (local.get $coef))))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (if (i32.lt_u (local.get $b) (local.get $nb))
          (then
            (if (v128.any_true (local.get $s))
              (then
                (local.set $d
                  (call $fused (local.get $p) (local.get $wg) (local.get $tiles) (local.get $bb)
                    (local.get $c0) (local.get $c1) (local.get $c2) (local.get $c3))))
              (else
                ;; No row of this block has slack: it adds nothing to g, skip its update.
                (local.set $d
                  (call $dot4 (i32.add (local.get $p) (local.get $bb)) (local.get $wg) (local.get $tiles)))))
            (local.set $p (i32.add (local.get $p) (local.get $bb)))
            (br $blocks))
          (else
            (if (v128.any_true (local.get $s))
              (then
                (call $grad (local.get $p) (local.get $wg) (local.get $tiles)
                  (local.get $c0) (local.get $c1) (local.get $c2) (local.get $c3))))))))
    (call $wg_store_g (local.get $wg) (local.get $idx) (local.get $kept) (local.get $cols) (local.get $vec))
    (f64.add (f64x2.extract_lane 0 (local.get $sum)) (f64x2.extract_lane 1 (local.get $sum))))

  ;; out (float64, rows padded to a multiple of 4) = X w, with w (float64 at vec, cols values).
  (func (export "mat_vec")
    (param $x i32) (param $rows i32) (param $tiles i32) (param $wg i32) (param $vec i32) (param $out i32)
    (param $idx i32) (param $kept i32)
    (local $nb i32) (local $bb i32) (local $b i32)
    (call $wg_load (local.get $vec) (local.get $idx) (local.get $kept) (local.get $wg) (local.get $tiles))
    (local.set $nb (i32.shr_u (i32.add (local.get $rows) (i32.const 3)) (i32.const 2)))
    (local.set $bb (i32.shl (local.get $tiles) (i32.const 6)))
    (block $done
      (br_if $done (i32.eqz (local.get $nb)))
      (loop $blocks
        (call $store_f64x4 (local.get $out) (call $dot4 (local.get $x) (local.get $wg) (local.get $tiles)))
        (local.set $x (i32.add (local.get $x) (local.get $bb)))
        (local.set $out (i32.add (local.get $out) (i32.const 32)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br_if $blocks (i32.lt_u (local.get $b) (local.get $nb))))))

  ;; vec (float64, cols values) = X^T r, with r (float64, rows padded with zeros to a multiple of 4).
  (func (export "mat_tvec")
    (param $x i32) (param $rows i32) (param $tiles i32) (param $r i32) (param $wg i32) (param $vec i32)
    (param $idx i32) (param $kept i32) (param $cols i32)
    (local $nb i32) (local $bb i32) (local $b i32) (local $coef v128)
    (call $wg_load (local.get $vec) (local.get $idx) (i32.const 0) (local.get $wg) (local.get $tiles))
    (local.set $nb (i32.shr_u (i32.add (local.get $rows) (i32.const 3)) (i32.const 2)))
    (local.set $bb (i32.shl (local.get $tiles) (i32.const 6)))
    (block $done
      (br_if $done (i32.eqz (local.get $nb)))
      (loop $blocks
        (local.set $coef (call $load_f64x4 (local.get $r)))
        ;; Rows with r_j = 0 add nothing (e.g. inactive rows of a hinge loss).
        (if (v128.any_true (local.get $coef))
          (then
            (call $grad (local.get $x) (local.get $wg) (local.get $tiles)
              (f32x4.splat (f32x4.extract_lane 0 (local.get $coef)))
              (f32x4.splat (f32x4.extract_lane 1 (local.get $coef)))
              (f32x4.splat (f32x4.extract_lane 2 (local.get $coef)))
              (f32x4.splat (f32x4.extract_lane 3 (local.get $coef))))))
        (local.set $x (i32.add (local.get $x) (local.get $bb)))
        (local.set $r (i32.add (local.get $r) (i32.const 32)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br_if $blocks (i32.lt_u (local.get $b) (local.get $nb)))))
    (call $wg_store_g (local.get $wg) (local.get $idx) (local.get $kept) (local.get $cols) (local.get $vec)))

  ;; out (float32, rows padded to 4 x hp, row-major) = X W, with W float32 (tiles*4 x hp,
  ;; zero-padded, chunked: see $elem) and hp a multiple of 4. Four rows by four units are
  ;; accumulated in registers over all features, reading W's chunk sequentially.
  (func (export "mat_mul")
    (param $x i32) (param $rows i32) (param $tiles i32) (param $w i32) (param $hp i32) (param $out i32)
    (local $nb i32) (local $bb i32) (local $b i32) (local $rs i32) (local $u i32)
    (local $p i32) (local $q i32) (local $end i32) (local $o i32)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $nb (i32.shr_u (i32.add (local.get $rows) (i32.const 3)) (i32.const 2)))
    (local.set $bb (i32.shl (local.get $tiles) (i32.const 6)))
    (local.set $rs (i32.shl (local.get $hp) (i32.const 2)))
    (block $done
      (br_if $done (i32.or (i32.eqz (local.get $nb)) (i32.eqz (local.get $hp))))
      (loop $blocks
        (local.set $u (i32.const 0))
        (loop $units
          (local.set $a0 (v128.const i32x4 0 0 0 0))
          (local.set $a1 (v128.const i32x4 0 0 0 0))
          (local.set $a2 (v128.const i32x4 0 0 0 0))
          (local.set $a3 (v128.const i32x4 0 0 0 0))
          (local.set $p (local.get $x))
          (local.set $end (i32.add (local.get $x) (local.get $bb)))
          (local.set $q (i32.add (local.get $w) (i32.mul (local.get $u) (i32.shl (local.get $tiles) (i32.const 4)))))
          (block $tiles_done
            (br_if $tiles_done (i32.ge_u (local.get $p) (local.get $end)))
            (loop $tl
              ;; W rows 4t .. 4t+3, units u .. u+3
              (local.set $w0 (v128.load (local.get $q)))
              (local.set $w1 (v128.load offset=16 (local.get $q)))
              (local.set $w2 (v128.load offset=32 (local.get $q)))
              (local.set $w3 (v128.load offset=48 (local.get $q)))
              (local.set $a0 (f32x4.add (local.get $a0) (f32x4.add
                (f32x4.add
                  (f32x4.mul (v128.load32_splat offset=0 (local.get $p)) (local.get $w0))
                  (f32x4.mul (v128.load32_splat offset=4 (local.get $p)) (local.get $w1)))
                (f32x4.add
                  (f32x4.mul (v128.load32_splat offset=8 (local.get $p)) (local.get $w2))
                  (f32x4.mul (v128.load32_splat offset=12 (local.get $p)) (local.get $w3))))))
              (local.set $a1 (f32x4.add (local.get $a1) (f32x4.add
                (f32x4.add
                  (f32x4.mul (v128.load32_splat offset=16 (local.get $p)) (local.get $w0))
                  (f32x4.mul (v128.load32_splat offset=20 (local.get $p)) (local.get $w1)))
                (f32x4.add
                  (f32x4.mul (v128.load32_splat offset=24 (local.get $p)) (local.get $w2))
                  (f32x4.mul (v128.load32_splat offset=28 (local.get $p)) (local.get $w3))))))
              (local.set $a2 (f32x4.add (local.get $a2) (f32x4.add
                (f32x4.add
                  (f32x4.mul (v128.load32_splat offset=32 (local.get $p)) (local.get $w0))
                  (f32x4.mul (v128.load32_splat offset=36 (local.get $p)) (local.get $w1)))
                (f32x4.add
                  (f32x4.mul (v128.load32_splat offset=40 (local.get $p)) (local.get $w2))
                  (f32x4.mul (v128.load32_splat offset=44 (local.get $p)) (local.get $w3))))))
              (local.set $a3 (f32x4.add (local.get $a3) (f32x4.add
                (f32x4.add
                  (f32x4.mul (v128.load32_splat offset=48 (local.get $p)) (local.get $w0))
                  (f32x4.mul (v128.load32_splat offset=52 (local.get $p)) (local.get $w1)))
                (f32x4.add
                  (f32x4.mul (v128.load32_splat offset=56 (local.get $p)) (local.get $w2))
                  (f32x4.mul (v128.load32_splat offset=60 (local.get $p)) (local.get $w3))))))
              (local.set $p (i32.add (local.get $p) (i32.const 64)))
              (local.set $q (i32.add (local.get $q) (i32.const 64)))
              (br_if $tl (i32.lt_u (local.get $p) (local.get $end)))))
          ;; out rows 4b .. 4b+3, units u .. u+3
          (local.set $o
            (i32.add (local.get $out)
              (i32.shl
                (i32.add (i32.mul (i32.shl (local.get $b) (i32.const 2)) (local.get $hp)) (local.get $u))
                (i32.const 2))))
          (v128.store (local.get $o) (local.get $a0))
          (v128.store (i32.add (local.get $o) (local.get $rs)) (local.get $a1))
          (v128.store (i32.add (local.get $o) (i32.shl (local.get $rs) (i32.const 1))) (local.get $a2))
          (v128.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 3))) (local.get $a3))
          (local.set $u (i32.add (local.get $u) (i32.const 4)))
          (br_if $units (i32.lt_u (local.get $u) (local.get $hp))))
        (local.set $x (i32.add (local.get $x) (local.get $bb)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br_if $blocks (i32.lt_u (local.get $b) (local.get $nb))))))

  ;; out (float32, tiles*4 x hp, chunked: see $elem) = X^T G, with G float32 (rows padded to 4
  ;; x hp, row-major, zero-padded) and hp a multiple of 4. out is zeroed here, then each block adds
  ;; its 4 rows' outer products, one sequential pass over out's chunk per 4 units.
  (func (export "mat_tmul")
    (param $x i32) (param $rows i32) (param $tiles i32) (param $g i32) (param $hp i32) (param $out i32)
    (local $nb i32) (local $bb i32) (local $b i32) (local $rs i32) (local $u i32)
    (local $p i32) (local $q i32) (local $end i32) (local $gr i32)
    (local $g0 v128) (local $g1 v128) (local $g2 v128) (local $g3 v128)
    (local.set $nb (i32.shr_u (i32.add (local.get $rows) (i32.const 3)) (i32.const 2)))
    (local.set $bb (i32.shl (local.get $tiles) (i32.const 6)))
    (local.set $rs (i32.shl (local.get $hp) (i32.const 2)))
    (memory.fill (local.get $out) (i32.const 0) (i32.mul (i32.shl (local.get $tiles) (i32.const 2)) (local.get $rs)))
    (block $done
      (br_if $done (i32.or (i32.eqz (local.get $nb)) (i32.eqz (local.get $hp))))
      (loop $blocks
        (local.set $u (i32.const 0))
        (loop $units
          ;; G rows 4b .. 4b+3, units u .. u+3
          (local.set $gr
            (i32.add (local.get $g)
              (i32.shl
                (i32.add (i32.mul (i32.shl (local.get $b) (i32.const 2)) (local.get $hp)) (local.get $u))
                (i32.const 2))))
          (local.set $g0 (v128.load (local.get $gr)))
          (local.set $g1 (v128.load (i32.add (local.get $gr) (local.get $rs))))
          (local.set $g2 (v128.load (i32.add (local.get $gr) (i32.shl (local.get $rs) (i32.const 1)))))
          (local.set $g3 (v128.load (i32.add (local.get $gr) (i32.mul (local.get $rs) (i32.const 3)))))
          (local.set $p (local.get $x))
          (local.set $end (i32.add (local.get $x) (local.get $bb)))
          (local.set $q (i32.add (local.get $out) (i32.mul (local.get $u) (i32.shl (local.get $tiles) (i32.const 4)))))
          (block $tiles_done
            (br_if $tiles_done (i32.ge_u (local.get $p) (local.get $end)))
            (loop $tl
              ;; out row k (features 4t .. 4t+3) += sum_i x[i, k] g_i
              (v128.store (local.get $q) (f32x4.add (v128.load (local.get $q)) (f32x4.add
                (f32x4.add
                  (f32x4.mul (v128.load32_splat offset=0 (local.get $p)) (local.get $g0))
                  (f32x4.mul (v128.load32_splat offset=16 (local.get $p)) (local.get $g1)))
                (f32x4.add
                  (f32x4.mul (v128.load32_splat offset=32 (local.get $p)) (local.get $g2))
                  (f32x4.mul (v128.load32_splat offset=48 (local.get $p)) (local.get $g3))))))
              (local.set $q (i32.add (local.get $q) (i32.const 16)))
              (v128.store (local.get $q) (f32x4.add (v128.load (local.get $q)) (f32x4.add
                (f32x4.add
                  (f32x4.mul (v128.load32_splat offset=4 (local.get $p)) (local.get $g0))
                  (f32x4.mul (v128.load32_splat offset=20 (local.get $p)) (local.get $g1)))
                (f32x4.add
                  (f32x4.mul (v128.load32_splat offset=36 (local.get $p)) (local.get $g2))
                  (f32x4.mul (v128.load32_splat offset=52 (local.get $p)) (local.get $g3))))))
              (local.set $q (i32.add (local.get $q) (i32.const 16)))
              (v128.store (local.get $q) (f32x4.add (v128.load (local.get $q)) (f32x4.add
                (f32x4.add
                  (f32x4.mul (v128.load32_splat offset=8 (local.get $p)) (local.get $g0))
                  (f32x4.mul (v128.load32_splat offset=24 (local.get $p)) (local.get $g1)))
                (f32x4.add
                  (f32x4.mul (v128.load32_splat offset=40 (local.get $p)) (local.get $g2))
                  (f32x4.mul (v128.load32_splat offset=56 (local.get $p)) (local.get $g3))))))
              (local.set $q (i32.add (local.get $q) (i32.const 16)))
              (v128.store (local.get $q) (f32x4.add (v128.load (local.get $q)) (f32x4.add
                (f32x4.add
                  (f32x4.mul (v128.load32_splat offset=12 (local.get $p)) (local.get $g0))
                  (f32x4.mul (v128.load32_splat offset=28 (local.get $p)) (local.get $g1)))
                (f32x4.add
                  (f32x4.mul (v128.load32_splat offset=44 (local.get $p)) (local.get $g2))
                  (f32x4.mul (v128.load32_splat offset=60 (local.get $p)) (local.get $g3))))))
              (local.set $q (i32.add (local.get $q) (i32.const 16)))
              (local.set $p (i32.add (local.get $p) (i32.const 64)))
              (br_if $tl (i32.lt_u (local.get $p) (local.get $end)))))
          (local.set $u (i32.add (local.get $u) (i32.const 4)))
          (br_if $units (i32.lt_u (local.get $u) (local.get $hp))))
        (local.set $x (i32.add (local.get $x) (local.get $bb)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br_if $blocks (i32.lt_u (local.get $b) (local.get $nb))))))

  ;; Byte offset of element (r, c) of a padded nrp x ncp float32 matrix: row-major, or, when
  ;; chunked, in chunks of 4 columns (chunk-major, then row, then column), so that a pass over
  ;; all rows of one chunk is sequential.
  (func $elem (param $r i32) (param $c i32) (param $nrp i32) (param $ncp i32) (param $chunked i32) (result i32)
    (if (result i32) (local.get $chunked)
      (then
        (i32.add
          (i32.shl
            (i32.add (i32.mul (i32.shr_u (local.get $c) (i32.const 2)) (local.get $nrp)) (local.get $r))
            (i32.const 4))
          (i32.shl (i32.and (local.get $c) (i32.const 3)) (i32.const 2))))
      (else (i32.shl (i32.add (i32.mul (local.get $r) (local.get $ncp)) (local.get $c)) (i32.const 2)))))

  ;; Row r of the source for output row r: idx[r], or r itself when idx is 0 (no column map).
  (func $map_row (param $idx i32) (param $r i32) (result i32)
    (if (result i32) (local.get $idx)
      (then (i32.load (i32.add (local.get $idx) (i32.shl (local.get $r) (i32.const 2)))))
      (else (local.get $r))))

  ;; dst (float32, nrp x ncp, layout per $elem) <- rows of src (float64, nc columns): dst row r is
  ;; src row idx[r] (src row r when idx is 0), for r < nr; zeros in the padding.
  (func (export "gather_pack")
    (param $src i32) (param $idx i32) (param $nr i32) (param $nc i32)
    (param $dst i32) (param $nrp i32) (param $ncp i32) (param $chunked i32)
    (local $r i32) (local $c i32) (local $s i32)
    (memory.fill (local.get $dst) (i32.const 0) (i32.shl (i32.mul (local.get $nrp) (local.get $ncp)) (i32.const 2)))
    (block $rows_done
      (br_if $rows_done (i32.or (i32.eqz (local.get $nr)) (i32.eqz (local.get $nc))))
      (loop $rl
        (local.set $s
          (i32.add (local.get $src)
            (i32.shl (i32.mul (call $map_row (local.get $idx) (local.get $r)) (local.get $nc)) (i32.const 3))))
        (local.set $c (i32.const 0))
        (loop $cl
          (f32.store
            (i32.add (local.get $dst)
              (call $elem (local.get $r) (local.get $c) (local.get $nrp) (local.get $ncp) (local.get $chunked)))
            (f32.demote_f64 (f64.load (local.get $s))))
          (local.set $s (i32.add (local.get $s) (i32.const 8)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br_if $cl (i32.lt_u (local.get $c) (local.get $nc))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $rl (i32.lt_u (local.get $r) (local.get $nr))))))

  ;; dst (float64, ndr x nc) <- src (float32, nrp x ncp, layout per $elem): src row r (< nr) goes
  ;; to dst row idx[r] (row r when idx is 0), without the padding; other dst rows are zero.
  (func (export "scatter_unpack")
    (param $src i32) (param $idx i32) (param $nr i32) (param $nc i32) (param $nrp i32) (param $ncp i32)
    (param $chunked i32) (param $dst i32) (param $ndr i32)
    (local $r i32) (local $c i32) (local $d i32)
    (memory.fill (local.get $dst) (i32.const 0) (i32.shl (i32.mul (local.get $ndr) (local.get $nc)) (i32.const 3)))
    (block $rows_done
      (br_if $rows_done (i32.or (i32.eqz (local.get $nr)) (i32.eqz (local.get $nc))))
      (loop $rl
        (local.set $d
          (i32.add (local.get $dst)
            (i32.shl (i32.mul (call $map_row (local.get $idx) (local.get $r)) (local.get $nc)) (i32.const 3))))
        (local.set $c (i32.const 0))
        (loop $cl
          (f64.store (local.get $d)
            (f64.promote_f32
              (f32.load
                (i32.add (local.get $src)
                  (call $elem (local.get $r) (local.get $c) (local.get $nrp) (local.get $ncp) (local.get $chunked))))))
          (local.set $d (i32.add (local.get $d) (i32.const 8)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br_if $cl (i32.lt_u (local.get $c) (local.get $nc))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $rl (i32.lt_u (local.get $r) (local.get $nr))))))

  ;; Sum of `chunks` 64-byte tiles from x: a plain streaming read of the matrix, the
  ;; memory-bound floor that the benchmark compares squaredHinge against.
  (func (export "stream_sum") (param $x i32) (param $chunks i32) (result f64)
    (local $end i32) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $chunks) (i32.const 6))))
    (block $done
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (loop $l
        (local.set $a0 (f32x4.add (local.get $a0) (v128.load (local.get $x))))
        (local.set $a1 (f32x4.add (local.get $a1) (v128.load offset=16 (local.get $x))))
        (local.set $a2 (f32x4.add (local.get $a2) (v128.load offset=32 (local.get $x))))
        (local.set $a3 (f32x4.add (local.get $a3) (v128.load offset=48 (local.get $x))))
        (local.set $x (i32.add (local.get $x) (i32.const 64)))
        (br_if $l (i32.lt_u (local.get $x) (local.get $end)))))
    (local.set $a0
      (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (f32x4.add (local.get $a2) (local.get $a3))))
    (f64.promote_f32
      (f32.add
        (f32.add (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 1 (local.get $a0)))
        (f32.add (f32x4.extract_lane 2 (local.get $a0)) (f32x4.extract_lane 3 (local.get $a0))))))
)
