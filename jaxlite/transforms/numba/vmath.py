"""Vectorizable exp, log, sin, cos, tanh (float64 and float32) for the Numba backend.

Numba lowers `np.exp(x)` on a scalar to a call of the C library's scalar function, which LLVM
cannot vectorize (the llvmlite on PyPI has no vector math library). The functions here are
written with arithmetic, comparisons that become selects, and integer views of the float bits
only, so after LLVM inlines them into a fused loop the loop vectorizes (without fastmath).

Every path is computed for every element and the right one chosen by a select, so there are
no branches: special values (nan, +-inf, +-0, subnormals, overflow and underflow) are handled
by clamping the argument into a range where the arithmetic is harmless and selecting the IEEE
result at the end.

| primitive | float64    | float32    | method                                                  |
| --------- | ---------- | ---------- | ------------------------------------------------------- |
| exp       | exp_f64    | exp_f32    | x = k ln2 + r, |r| <= ln2/2; polynomial; 2**k by bits   |
| log       | log_f64    | log_f32    | x = 2**k z, z in [sqrt(.5), sqrt(2)); atanh series in s |
| sin, cos  | sin_f64... | sin_f32... | exact reduction mod pi/2 for every x (Payne-Hanek, a    |
|           |            |            | table of 2/pi by exponent); polynomials on |r| <= pi/4  |
| tanh      | tanh_f64   | tanh_f32   | odd polynomial below 0.55, 1 - 2/(exp(2|x|) + 1) above  |

The float32 versions evaluate the float64 ones and round once, so they are correctly rounded
except in rare double-rounding cases. Largest float64 errors measured against the true value
(tests/jit/test_jit_vmath.py): exp 0.84 ulp, log 0.80, sin 0.76, cos 0.76, tanh 1.34 (glibc's
tanh: 1.18); sin and cos stay that accurate for arguments up to the largest double.

The polynomial coefficients are near-minimax fits (mpmath.chebyfit with 60 digits) of
    exp:  (exp(r) - 1 - r) / r**2          on |r| <= ln2/2,            11 terms
    log:  (2 atanh(s)/s - 2) / s**2 in s**2, s <= 3 - 2 sqrt(2),       7 terms
    sin:  (sin(r)/r - 1) / r**2 in r**2,   |r| <= pi/4,                7 terms
    cos:  (cos(r) - 1 + r**2/2) / r**4,    |r| <= pi/4,                6 terms
    tanh: (tanh(x)/x - 1) / x**2 in x**2,  |x| <= 0.55,                11 terms
(highest degree first). Multiply-adds use the fused LLVM intrinsic when the CPU has FMA.

Hooks for the code generator: import this module as `vm` and call `vm.<name>(x)` where
VMATH_RULES[primitive name][dtype name] gives <name> (the argument has that dtype, and so does
the result). The compiler puts a hash of this file in the kernels' cache key: Numba's own
cache of a generated kernel does not notice that inlined code changed.
"""

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

__all__ = ["VMATH_RULES", "exp_f64", "exp_f32", "log_f64", "log_f32", "sin_f64",
           "sin_f32", "cos_f64", "cos_f32", "tanh_f64", "tanh_f32"]

# forceinline marks the LLVM functions alwaysinline: LLVM's own inliner leaves the larger ones
# (sin, tanh) as calls, which keeps the caller's loop from vectorizing. The inlining works
# from the on-disk cache too.
_vjit = njit(cache=True, error_model="numpy", nogil=True, forceinline=True)


def _host_has_fma():
    try:
        import llvmlite.binding as llvm
        from numba.core import config
        if config.CPU_NAME not in (None, "host"):  # a portable target: no FMA assumed
            return False
        return bool(llvm.get_host_cpu_features().get("fma"))
    except Exception:
        return False


HAS_FMA = _host_has_fma()


# ---------------------------------------------------------------- building blocks


@intrinsic
def _fma_intrinsic(typingctx, a, b, c):
    if isinstance(a, types.Float) and a == b == c:
        def codegen(context, builder, signature, args):
            return builder.fma(*args)

        return a(a, b, c), codegen
    return None


@_vjit
def _fma_mad(a, b, c):
    return _fma_intrinsic(a, b, c)


@_vjit
def _plain_mad(a, b, c):
    return a * b + c


@_vjit
def _fma_two_prod(a, b):
    p = a * b
    return p, _fma_intrinsic(a, b, -p)


_SPLITTER = 134217729.0  # 2**27 + 1: Veltkamp's split of a double into two 26-bit halves


@_vjit
def _split(a):
    t = _SPLITTER * a
    hi = t - (t - a)
    return hi, a - hi


@_vjit
def _dekker_two_prod(a, b):
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


# mad(a, b, c) = a*b + c (fused where the CPU can); two_prod(a, b) = (a*b, its exact error).
_mad = _fma_mad if HAS_FMA else _plain_mad
_two_prod = _fma_two_prod if HAS_FMA else _dekker_two_prod


@_vjit
def _two_sum(a, b):
    """s + e == a + b exactly, s = fl(a + b)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


@_vjit
def _bits(x):
    return np.float64(x).view(np.int64)


@_vjit
def _float(i):
    return np.int64(i).view(np.float64)


_MAGIC = 6755399441055744.0  # 1.5 * 2**52: x + _MAGIC holds round(x) in its low bits
_SIGN = np.int64(-0x8000000000000000)
_INF = np.inf


@_vjit
def _pow2(k):
    """2.0**k for an integral float k in [-1022, 1023]."""
    return _float((_bits(k + _MAGIC) + 1023) << 52)


@_vjit
def _low_int(k):
    """An integral float k (|k| < 2**51) as an int64."""
    return _bits(k + _MAGIC) - _bits(_MAGIC)


@_vjit
def _with_sign_of(v, x):
    """v with its sign bit flipped when x's is set (v * sign(x) for v >= 0, keeping -0.0)."""
    return _float(_bits(v) ^ (_bits(x) & _SIGN))


# ---------------------------------------------------------------- exp


_INV_LN2 = 1.4426950408889634
_LN2_HI = 0.6931471803691238  # 32 significant bits: k * _LN2_HI is exact for |k| < 2**21
_LN2_LO = 1.9082149292705877e-10
_EXP_Q = (2.0914679376583935e-09, 2.510520637395701e-08, 2.7557273661348637e-07,
          2.7557255425746435e-06, 2.4801587325533363e-05, 0.00019841269874800493,
          0.0013888888888883752, 0.008333333333326141, 0.04166666666666667,
          0.1666666666666667, 0.5)


@_vjit
def _exp_q(r):
    """Estrin's scheme, not Horner's: four dependent multiply-adds instead of ten, so a loop of
    exps is not bound by the latency of one long chain (twice as fast on AVX2)."""
    c = _EXP_Q
    r2 = r * r
    r4 = r2 * r2
    low = _mad(r4, _mad(r2, _mad(r, c[3], c[4]), _mad(r, c[5], c[6])),
               _mad(r2, _mad(r, c[7], c[8]), _mad(r, c[9], c[10])))
    high = _mad(r2, c[0], _mad(r, c[1], c[2]))
    return _mad(r4 * r4, high, low)


@_vjit
def exp_f64(x):
    xc = x if x > -746.0 else -746.0  # nan becomes -746 here and is restored at the end
    xc = xc if xc < 710.0 else 710.0
    k = np.rint(xc * _INV_LN2)
    hi = xc - k * _LN2_HI  # exact
    lo = k * _LN2_LO
    r = hi - lo
    p = 1.0 + (hi - (lo - r * r * _exp_q(r)))
    k1 = np.floor(k * 0.5)  # 2**k as two factors: overflow and subnormal results round once
    y = (p * _pow2(k1)) * _pow2(k - k1)
    return y if x == x else x


# ---------------------------------------------------------------- log


_TWO54 = 18014398509481984.0
_SMALLEST_NORMAL = 2.2250738585072014e-308
_SQRT_HALF_BITS = np.int64(0x3FE6A09E667F3BCD)
_EXPONENT_MASK = np.int64(-(1 << 52))  # sign and exponent bits
_LOG_T = (0.14616449685043406, 0.15331721600556042, 0.18182889125261723,
          0.2222221113479508, 0.28571428625975487, 0.39999999999899505, 0.666666666666667)


@_vjit
def _log_t(w):
    c = _LOG_T
    p = _mad(w, c[0], c[1])
    p = _mad(w, p, c[2])
    p = _mad(w, p, c[3])
    p = _mad(w, p, c[4])
    p = _mad(w, p, c[5])
    return _mad(w, p, c[6])


@_vjit
def log_f64(x):
    tiny = x < _SMALLEST_NORMAL
    xs = x * _TWO54 if tiny else x
    ix = _bits(xs)
    t = ix - _SQRT_HALF_BITS
    k = _float(_bits(_MAGIC) + (t >> 52)) - _MAGIC  # exponent of xs with z's range below
    k = k - 54.0 if tiny else k
    z = _float(ix - (t & _EXPONENT_MASK))  # in [sqrt(1/2), sqrt(2))
    f = z - 1.0
    s = f / (2.0 + f)
    w = s * s
    hfsq = 0.5 * f * f
    # log(1 + f) = 2 atanh(s) = f - (hfsq - s * (hfsq + R)), R = s**2 T(s**2)
    y = k * _LN2_HI + (f - (hfsq - (s * (hfsq + w * _log_t(w)) + k * _LN2_LO)))
    y = y if x < _INF else x  # +inf, nan
    return y if x > 0.0 else (-_INF if x == 0.0 else np.nan)


# ---------------------------------------------------------------- sin, cos


def _two_over_pi_table():
    """c[E + 3] = (2**E * 2/pi) mod 4 for E in [-3, 971], as four doubles summing to it."""
    frac_bits = 224  # c is computed to 2**-224, exactly, as an integer count of 2**-224
    total = len(_TWO_OVER_PI_HEX) * 4  # 2/pi = int(_TWO_OVER_PI_HEX, 16) / 2**total
    digits = int(_TWO_OVER_PI_HEX, 16)
    one = 1 << frac_bits
    table = np.empty((4, 975))
    for idx in range(975):
        rem = (digits >> (total - (idx - 3) - frac_bits)) & (4 * one - 1)
        for j in range(4):
            table[j, idx] = piece = rem / one  # correctly rounded
            num, den = piece.as_integer_ratio()
            rem -= num * (one // den)
    return table


_TWO_OVER_PI_HEX = (  # 2/pi to 1344 bits
    "a2f9836e4e441529fc2757d1f534ddc0db6295993c439041fe5163abdebbc561b7246e3a424dd2e0"
    "06492eea09d1921cfe1deb1cb129a73ee88235f52ebb4484e99c7026b45f7e413991d639835339f4"
    "9c845f8bbdf9283b1ff897ffde05980fef2f118b5a0a6d1f6d367ecf27cb09b74f463f669e5fea2d"
    "7527bac7ebe5f17b3d0739f78a5292ea6bfb5fb11f8d5d0856033046fc7b6babf0cfbc209af4361d"
    "a9e391615ee61b08")
_C0, _C1, _C2, _C3 = _two_over_pi_table()
_PIO2_H = 1.5707963267948966
_PIO2_L = 6.123233995736766e-17
_EXP_BIAS_IDX = np.int64(1072)  # a float's biased exponent minus this is its table index


@_vjit
def _mod4(v):
    return v - 4.0 * np.rint(v * 0.25)  # exact, in [-2, 2]


@_vjit
def _rem_pio2(ax):
    """For finite ax >= 0: (q, rh, rl) with ax = (4m + q) pi/2 + rh + rl, |rh| <~ pi/4.

    ax = M 2**E with M an integer (or, for E = -3, any ax < 2**49), so ax 2/pi mod 4 =
    M ((2**E 2/pi) mod 4) mod 4; the table holds the second factor to 224 bits, and the
    products and sums below are exact or carried as double-doubles to about 2**-120.
    """
    idx = (_bits(ax) >> 52) - _EXP_BIAS_IDX
    idx = idx if idx > 0 else np.int64(0)
    idx = idx if idx < 974 else np.int64(974)
    m = ax * _float((1026 - idx) << 52)  # ax / 2**E
    p0, p0l = _two_prod(m, _C0[idx])
    p1, p1l = _two_prod(m, _C1[idx])
    p2, p2l = _two_prod(m, _C2[idx])
    p3 = m * _C3[idx]
    a = _mod4(p0)
    s = a + p0l  # exact sum s + e0 (a is 0 or a multiple of ulp(p0) > |p0l|)
    e0 = p0l - (s - a)
    s, e1 = _two_sum(_mod4(s), p1)
    s = _mod4(s)
    n = np.rint(s)
    f = s - n  # exact, in [-1/2, 1/2]; n in [-2, 2]
    t, e2 = _two_sum(e0, e1)
    t, e3 = _two_sum(t, p1l)
    t, e4 = _two_sum(t, p2)
    fh, fl = _two_sum(f, t)
    fl = fl + (((e2 + e3) + e4) + (p2l + p3))
    rh, rl = _two_prod(fh, _PIO2_H)
    rl = rl + (fh * _PIO2_L + fl * _PIO2_H)
    r = rh + rl
    return _low_int(n) & 3, r, rl - (r - rh)


_SIN_S = (-7.586697117706918e-13, 1.6058531618986147e-10, -2.5052106232447578e-08,
          2.7557319219339167e-06, -0.00019841269841265065, 0.008333333333333331,
          -0.16666666666666666)
_COS_C = (-1.1382632425521717e-11, 2.08761462684032e-09, -2.7557317271729793e-07,
          2.480158729876569e-05, -0.0013888888888887398, 0.041666666666666664)


@_vjit
def _sin_poly(rh, rl):
    z = rh * rh
    c = _SIN_S
    p = _mad(z, c[0], c[1])
    p = _mad(z, p, c[2])
    p = _mad(z, p, c[3])
    p = _mad(z, p, c[4])
    p = _mad(z, p, c[5])
    p = _mad(z, p, c[6])
    return rh + (rh * z * p + (rl - 0.5 * z * rl))


@_vjit
def _cos_poly(rh, rl):
    z = rh * rh
    c = _COS_C
    p = _mad(z, c[0], c[1])
    p = _mad(z, p, c[2])
    p = _mad(z, p, c[3])
    p = _mad(z, p, c[4])
    p = _mad(z, p, c[5])
    hz = 0.5 * z
    w = 1.0 - hz
    return w + (((1.0 - w) - hz) + (z * z * p - rh * rl))


_TINY_TRIG = 7.450580596923828e-09  # 2**-27: below it sin(x) rounds to x and cos(x) to 1


@_vjit
def _sin_cos_quadrant(x, want_cos):
    ax = abs(x)
    q, rh, rl = _rem_pio2(ax if ax < _INF else 0.0)
    q = q + 1 if want_cos else q  # cos(r + q pi/2) = sin(r + (q + 1) pi/2)
    v = _cos_poly(rh, rl) if (q & 1) != 0 else _sin_poly(rh, rl)
    v = -v if (q & 2) != 0 else v
    return v if ax < _INF else x - x


@_vjit
def sin_f64(x):
    v = _with_sign_of(_sin_cos_quadrant(x, False), x)
    return x if abs(x) < _TINY_TRIG else v


@_vjit
def cos_f64(x):
    v = _sin_cos_quadrant(x, True)
    return 1.0 if abs(x) < _TINY_TRIG else v


# ---------------------------------------------------------------- tanh


_TANH_G = (-2.060276537636634e-05, 8.511313685577671e-05, -0.0002346347410887237,
           0.0005889360520074057, -0.001455661830100716, 0.003592110378689024,
           -0.008863234397814355, 0.021869488493666944, -0.053968253967434016,
           0.13333333333332714, -0.3333333333333333)


@_vjit
def _tanh_g(z):
    c = _TANH_G
    p = _mad(z, c[0], c[1])
    p = _mad(z, p, c[2])
    p = _mad(z, p, c[3])
    p = _mad(z, p, c[4])
    p = _mad(z, p, c[5])
    p = _mad(z, p, c[6])
    p = _mad(z, p, c[7])
    p = _mad(z, p, c[8])
    p = _mad(z, p, c[9])
    return _mad(z, p, c[10])


@_vjit
def tanh_f64(x):
    ax = abs(x)
    z = x * x
    small = _mad(ax, z * _tanh_g(z), ax)
    e = exp_f64(2.0 * (ax if ax < 20.0 else 20.0))  # tanh(20) rounds to 1; nan -> 20
    v = small if ax < 0.55 else 1.0 - 2.0 / (e + 1.0)
    return _with_sign_of(v, x) if x == x else x


# ---------------------------------------------------------------- float32


@_vjit
def exp_f32(x):
    return np.float32(exp_f64(np.float64(x)))


@_vjit
def log_f32(x):
    return np.float32(log_f64(np.float64(x)))


@_vjit
def sin_f32(x):
    return np.float32(sin_f64(np.float64(x)))


@_vjit
def cos_f32(x):
    return np.float32(cos_f64(np.float64(x)))


@_vjit
def tanh_f32(x):
    return np.float32(tanh_f64(np.float64(x)))


# primitive name -> {dtype name: function name in this module}
VMATH_RULES = {
    "exp": {"float64": "exp_f64", "float32": "exp_f32"},
    "log": {"float64": "log_f64", "float32": "log_f32"},
    "sin": {"float64": "sin_f64", "float32": "sin_f32"},
    "cos": {"float64": "cos_f64", "float32": "cos_f32"},
    "tanh": {"float64": "tanh_f64", "float32": "tanh_f32"},
}
