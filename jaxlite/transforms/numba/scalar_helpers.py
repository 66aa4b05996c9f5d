"""Scalar functions for generated kernels where Numba's own scalar ufuncs differ from NumPy's
loops (lax/numba_lowerings.py emits calls to them as `sh.<name>(...)`).

Each follows NumPy's loop for its dtype: integer powers, fmod, lcm and bit counts wrap like
fixed-width integers; float floor division and remainder use NumPy's divmod (not floor(a / b));
complex functions give NumPy's (C99 Annex G) values at infinities and NaNs. Integer helpers work
in 64 bits; the caller casts the result to the exact dtype (the low bits are the fixed-width
result). Products and sums that may overflow are unsigned: Numba marks signed ones "no signed
wrap", so LLVM would assume they never overflow. Float helpers come per dtype (`_f32`, `_f64`) so every constant
has the operands' type and no float64 arithmetic creeps into float32 code.
"""

import math

import numba
import numpy as np

_jit = numba.njit(nogil=True, error_model="numpy")

# ---------------------------------------------------------------- integers

_U1, _U0 = np.uint64(1), np.uint64(0)


@_jit
def _magnitude(a):
    """|a| as uint64 (|INT_MIN| included)."""
    return np.uint64(a) if a >= 0 else _U0 - np.uint64(a)


@_jit
def ipow_unsigned(a, b):
    base, exp, result = np.uint64(a), np.uint64(b), _U1
    while exp != _U0:
        if exp & _U1:
            result = result * base
        base = base * base
        exp = exp >> _U1
    return result


@_jit
def ipow_signed(a, b):
    if b < 0:
        raise ValueError("Integers to negative integer powers are not allowed.")
    return ipow_unsigned(a, b)  # the same bits (signed products would be undefined on overflow)


@_jit
def fmod_signed(a, b):
    """C's a % b (the sign of a); 0 for b == 0 (NumPy's choice)."""
    if b == 0 or b == -1:
        return np.int64(0)
    r = np.int64(a) % np.int64(b)  # Python's: the sign of b
    if r != 0 and (r < 0) != (a < 0):
        r = r - np.int64(b)
    return r


@_jit
def _gcd_u64(x, y):
    while y != _U0:
        x, y = y, x % y
    return x


@_jit
def gcd(a, b):
    return _gcd_u64(_magnitude(a), _magnitude(b))


@_jit
def lcm(a, b):
    x, y = _magnitude(a), _magnitude(b)
    g = _gcd_u64(x, y)
    return _U0 if g == _U0 else (x // g) * y


@_jit
def bitwise_count(a):
    """The number of one bits of |a| (NumPy's bitwise_count)."""
    x = _magnitude(a)
    x = x - ((x >> _U1) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return np.uint8((x * np.uint64(0x0101010101010101)) >> np.uint64(56))


# ---------------------------------------------------------------- floats


def _float_helpers(F):
    """NumPy's float divmod, floor_divide, remainder and frexp for float type F."""
    zero, one, half = F(0.0), F(1.0), F(0.5)

    @_jit
    def floor_divide(a, b):
        if b == zero:
            return a / b
        mod = np.fmod(a, b)
        div = (a - mod) / b
        if mod != zero:
            if (b < zero) != (mod < zero):
                div = div - one
        if div != zero:
            floordiv = np.floor(div)
            if div - floordiv > half:
                floordiv = floordiv + one
            return floordiv
        return np.copysign(zero, a / b)

    @_jit
    def remainder(a, b):
        mod = np.fmod(a, b)
        if b == zero:
            return mod
        if mod != zero:
            if (b < zero) != (mod < zero):
                mod = mod + b
            return mod
        return np.copysign(zero, b)

    @_jit
    def frexp(a):
        if a != a or a == np.inf or a == -np.inf or a == zero:
            return a, np.int32(0)
        m, e = math.frexp(np.float64(a))
        return F(m), np.int32(e)

    return floor_divide, remainder, frexp


floor_divide_f32, remainder_f32, frexp_f32 = _float_helpers(np.float32)
floor_divide_f64, remainder_f64, frexp_f64 = _float_helpers(np.float64)


# ---------------------------------------------------------------- complex
# Finite arguments use the textbook formulas (with exp scaled past overflow); infinities and NaNs
# follow C99 Annex G, whose functions NumPy calls.


def _complex_helpers(F, C):
    zero, one, two, half = F(0.0), F(1.0), F(2.0), F(0.5)
    inf, nan = F(np.inf), F(np.nan)
    log_max = F(np.log(np.finfo(F).max))
    half_pi, quarter_pi, pi = F(np.pi / 2), F(np.pi / 4), F(np.pi)

    @_jit
    def isinf(x):
        return x == inf or x == -inf

    @_jit
    def isfinite(x):
        return x - x == zero

    @_jit
    def exp_times(ax, v):
        """exp(ax) * v for ax > log(max), overflowing only when the product does."""
        if v == zero:
            return v
        h = np.exp(ax * half)
        return (h * v) * h

    @_jit
    def half_exp_times(ax, v):
        """exp(ax) / 2 * v for ax > log(max): exp(ax / 2) squared, so it overflows only when the
        product does; a zero v stays zero (signed)."""
        if v == zero:
            return v
        h = np.exp(ax * half)
        return (h * half * v) * h

    @_jit
    def sinh_cosh_parts(x, y, odd):
        """csinh (odd) or ccosh of x + iy."""
        if isfinite(x):
            if isfinite(y):
                s, c = np.sin(y), np.cos(y)
                ax = abs(x)
                if ax <= log_max:
                    sh_, ch_ = np.sinh(x), np.cosh(x)
                    if odd:
                        return C(complex(sh_ * c, ch_ * s))
                    return C(complex(ch_ * c, sh_ * s))
                re, im = half_exp_times(ax, c), half_exp_times(ax, s)
                if x < zero:
                    if odd:
                        re = -re
                    else:
                        im = -im
                return C(complex(re, im))
            if x == zero:
                return C(complex(x, nan)) if odd else C(complex(nan, zero))
            return C(complex(nan, nan))
        if isinf(x):
            if y == zero:
                return C(complex(x, y)) if odd else C(complex(inf, y * (one if x > zero else -one)))
            if isfinite(y):
                s, c = np.sin(y), np.cos(y)
                sgn = one if x > zero else -one
                if odd:
                    return C(complex(sgn * np.copysign(inf, c), np.copysign(inf, s)))
                return C(complex(np.copysign(inf, c), sgn * np.copysign(inf, s)))
            return C(complex(x if odd else inf, nan))
        if y == zero:
            return C(complex(nan, y))
        return C(complex(nan, nan))

    @_jit
    def ctanh(z):
        x, y = z.real, z.imag
        if isinf(x):
            im = np.copysign(zero, np.sin(y) * np.cos(y)) if isfinite(y) else zero
            return C(complex(np.copysign(one, x), im))
        if x != x:
            return C(complex(nan, y)) if y == zero else C(complex(nan, nan))
        if not isfinite(y):
            return C(complex(x, nan)) if x == zero else C(complex(nan, nan))
        if abs(x) > log_max * half:
            e = np.exp(-two * abs(x))
            return C(complex(np.copysign(one, x), F(4.0) * np.sin(y) * np.cos(y) * e))
        s, c, sy, cy = np.sinh(x), np.cosh(x), np.sin(y), np.cos(y)
        den = s * s + cy * cy
        return C(complex(s * c / den, sy * cy / den))

    @_jit
    def csinh(z):
        return sinh_cosh_parts(z.real, z.imag, True)

    @_jit
    def ccosh(z):
        return sinh_cosh_parts(z.real, z.imag, False)

    @_jit
    def times_minus_i(w):  # -i * w
        return C(complex(w.imag, -w.real))

    @_jit
    def times_i(z):
        return C(complex(-z.imag, z.real))

    @_jit
    def csin(z):
        return times_minus_i(csinh(times_i(z)))

    @_jit
    def ccos(z):
        return ccosh(times_i(z))

    @_jit
    def ctan(z):
        return times_minus_i(ctanh(times_i(z)))

    @_jit
    def casinh(z):
        x, y = z.real, z.imag
        if x != x:
            if y == zero:
                return C(complex(nan, y))
            if isinf(y):
                return C(complex(inf, nan))
            return C(complex(nan, nan))
        if isinf(x):
            if y != y:
                return C(complex(x, nan))
            if isinf(y):
                return C(complex(x, np.copysign(quarter_pi, y)))
            return C(complex(x, np.copysign(zero, y)))
        if isinf(y):
            return C(complex(np.copysign(inf, x), np.copysign(half_pi, y)))
        if y != y:
            return C(complex(nan, nan))
        return C(np.arcsinh(z))

    @_jit
    def cacosh(z):
        x, y = z.real, z.imag
        if x != x:
            return C(complex(inf, nan)) if isinf(y) else C(complex(nan, nan))
        if isinf(x):
            if y != y:
                return C(complex(inf, nan))
            if isinf(y):
                return C(complex(inf, np.copysign(quarter_pi if x > zero else F(3 * np.pi / 4), y)))
            return C(complex(inf, np.copysign(zero if x > zero else pi, y)))
        if isinf(y):
            return C(complex(inf, np.copysign(half_pi, y)))
        if y != y:
            return C(complex(nan, half_pi)) if x == zero else C(complex(nan, nan))
        w = np.arccos(z)  # acosh(z) = +-i acos(z), the sign of Im(z) choosing
        if np.signbit(y):
            return C(complex(w.imag, -w.real))
        return C(complex(-w.imag, w.real))

    @_jit
    def casin(z):
        if z.real == zero and z.imag != z.imag:
            return z
        return C(np.arcsin(z))

    @_jit
    def cacos(z):
        if z.real == zero and z.imag != z.imag:
            return C(complex(half_pi, nan))
        return C(np.arccos(z))

    @_jit
    def catanh(z):
        x, y = z.real, z.imag
        if x != x:
            return C(complex(np.copysign(zero, x), np.copysign(half_pi, y))) if isinf(y) else C(complex(nan, nan))
        if y != y:
            if isinf(x):
                return C(complex(np.copysign(zero, x), nan))
            return C(complex(x, nan)) if x == zero else C(complex(nan, nan))
        if isinf(x) or isinf(y):
            return C(complex(np.copysign(zero, x), np.copysign(half_pi, y)))
        return C(np.arctanh(z))

    @_jit
    def catan(z):
        return times_minus_i(catanh(times_i(z)))

    @_jit
    def cexpm1(z):
        x, y = z.real, z.imag
        a = np.sin(y * half)
        return C(complex(np.expm1(x) * np.cos(y) - two * a * a, np.exp(x) * np.sin(y)))

    @_jit
    def sign(z):
        x, y = z.real, z.imag
        if isinf(x):
            return C(complex(nan, nan)) if isinf(y) else C(complex(np.copysign(one, x), zero))
        if isinf(y):
            return C(complex(zero, np.copysign(one, y)))
        if x != x or y != y:
            return C(complex(nan, nan))
        if x == zero and y == zero:
            return C(complex(zero, zero))
        h = np.hypot(x, y)
        return C(complex(x / h, y / h))

    @_jit
    def cmul(ar, ai, br, bi):
        return ar * br - ai * bi, ar * bi + ai * br

    @_jit
    def cpow(a, b):
        ar, ai, br, bi = a.real, a.imag, b.real, b.imag
        if br == zero and bi == zero:
            return C(complex(one, zero))
        if ar == zero and ai == zero:
            return C(complex(zero, zero)) if br > zero else C(complex(nan, nan))
        if bi == zero and br > F(-100.0) and br < F(100.0) and br == np.trunc(br):
            n = np.int64(br)
            if n == 1:
                return a
            if n == 2:
                r, i = cmul(ar, ai, ar, ai)
                return C(complex(r, i))
            if n == 3:
                r, i = cmul(ar, ai, ar, ai)
                r, i = cmul(ar, ai, r, i)
                return C(complex(r, i))
            m = -n if n < 0 else n
            rr, ri, pr, pi_ = one, zero, ar, ai
            while True:
                if m & 1:
                    rr, ri = cmul(rr, ri, pr, pi_)
                m >>= 1
                if m == 0:
                    break
                pr, pi_ = cmul(pr, pi_, pr, pi_)
            if br < zero:
                return reciprocal(rr, ri)
            return C(complex(rr, ri))
        la = np.log(a)
        x, y = cmul_annex_g(br, bi, la.real, la.imag)
        if x > log_max and isfinite(x) and isfinite(y):  # exp(x) overflows: a zero part stays zero
            return C(complex(exp_times(x, np.cos(y)), exp_times(x, np.sin(y))))
        return np.exp(C(complex(x, y)))

    @_jit
    def cdiv(a, b):
        """a / b by Smith's method, as NumPy's loop divides (a zero divisor counts as +0)."""
        ar, ai, br, bi = a.real, a.imag, b.real, b.imag
        abs_br, abs_bi = abs(br), abs(bi)
        if abs_br >= abs_bi:
            if abs_br == zero and abs_bi == zero:
                return C(complex(ar / abs_br, ai / abs_br))
            rat = bi / br
            scl = one / (br + bi * rat)
            return C(complex((ar + ai * rat) * scl, (ai - ar * rat) * scl))
        rat = br / bi
        scl = one / (bi + br * rat)
        return C(complex((ar * rat + ai) * scl, (ai * rat - ar) * scl))

    @_jit
    def creciprocal(z):
        """1 / z as NumPy's reciprocal loop computes it."""
        x, y = z.real, z.imag
        if abs(y) <= abs(x):
            r = y / x
            d = x + y * r
            return C(complex(one / d, -r / d))
        r = x / y
        d = x * r + y
        return C(complex(r / d, -one / d))

    @_jit
    def reciprocal(br, bi):
        """1 / (br + i bi) by Smith's method, as NumPy divides."""
        if abs(br) >= abs(bi):
            if br == zero and bi == zero:
                return C(complex(one / abs(br), zero / abs(bi)))
            rat = bi / br
            scl = one / (br + bi * rat)
            return C(complex(scl, -rat * scl))
        rat = br / bi
        scl = one / (bi + br * rat)
        return C(complex(rat * scl, -scl))

    @_jit
    def unit_or_zero(v):
        return np.copysign(one if isinf(v) else zero, v)

    @_jit
    def zero_if_nan(v):
        return np.copysign(zero, v) if v != v else v

    @_jit
    def cmul_annex_g(a, b, c, d):
        """(a + ib)(c + id) as C99 multiplies: an infinite factor gives an infinite product."""
        ac, bd, ad, bc = a * c, b * d, a * d, b * c
        x, y = ac - bd, ad + bc
        if x != x and y != y:
            recalc = False
            if isinf(a) or isinf(b):
                a, b, c, d = unit_or_zero(a), unit_or_zero(b), zero_if_nan(c), zero_if_nan(d)
                recalc = True
            if isinf(c) or isinf(d):
                c, d, a, b = unit_or_zero(c), unit_or_zero(d), zero_if_nan(a), zero_if_nan(b)
                recalc = True
            if not recalc and (isinf(ac) or isinf(bd) or isinf(ad) or isinf(bc)):
                a, b, c, d = zero_if_nan(a), zero_if_nan(b), zero_if_nan(c), zero_if_nan(d)
                recalc = True
            if recalc:
                x, y = inf * (a * c - b * d), inf * (a * d + b * c)
        return x, y

    if F is np.float32:
        @_jit
        def fma_square_plus_one(r):
            w = np.float64(r)  # exact square, one rounding: what a fused multiply-add gives
            return F(w * w + 1.0)
    else:
        split = F(134217729.0)  # 2**27 + 1: Veltkamp's splitting of a double into halves

        @_jit
        def fma_square_plus_one(r):
            p = r * r
            c = split * r
            hi = c - (c - r)
            lo = r - hi
            e = ((hi * hi - p) + two * hi * lo) + lo * lo  # p + e == r * r exactly
            s = p + one
            return s + ((p - (s - one)) + e)  # Fast2Sum (p <= 1): the rounding error of s, exact

    @_jit
    def cabs(z):
        """NumPy's (SIMD) complex absolute value: max * sqrt(1 + (min / max)**2)."""
        re, im = abs(z.real), abs(z.imag)
        if re == inf or im == inf:
            return inf
        if re != re or im != im:
            return nan
        larger, smaller = (re, im) if re >= im else (im, re)
        if larger == zero:
            return zero
        ratio = smaller / larger
        return np.sqrt(fma_square_plus_one(ratio)) * larger

    return {
        "csin": csin, "ccos": ccos, "ctan": ctan, "csinh": csinh, "ccosh": ccosh, "ctanh": ctanh,
        "casin": casin, "cacos": cacos, "casinh": casinh, "cacosh": cacosh, "catanh": catanh,
        "catan": catan, "cexpm1": cexpm1,
        "sign": sign, "cpow": cpow, "cabs": cabs, "cdiv": cdiv, "creciprocal": creciprocal,
    }


for _suffix, (_F, _C) in {"f32": (np.float32, np.complex64), "f64": (np.float64, np.complex128)}.items():
    for _name, _fn in _complex_helpers(_F, _C).items():
        globals()[f"{_name}_{_suffix}"] = _fn


# ---------------------------------------------------------------- summation

PAIRWISE_BLOCK = 128  # NumPy's PW_BLOCKSIZE
_U8 = tuple(np.uint64(k) for k in range(8))


@numba.njit(inline="always")
def _pairwise_split(n):
    """Where NumPy's pairwise sum splits n values: half, rounded down to a multiple of 8."""
    n2 = n // 2
    return n2 - n2 % 8


@_jit
def pairwise_sum(a, n):
    """The sum of a[:n] in a's dtype, added in NumPy's pairwise order (eight accumulators over
    blocks of up to 128, halving above that): equal to NumPy's sum of n contiguous values, and
    its eight independent accumulators vectorize."""
    if n < 8:
        res = a.dtype.type(0)
        for i in range(n):
            res += a[i]
        return res
    if n <= PAIRWISE_BLOCK:
        u0, u1, u2, u3, u4, u5, u6, u7 = _U8
        r0, r1, r2, r3, r4, r5, r6, r7 = a[u0], a[u1], a[u2], a[u3], a[u4], a[u5], a[u6], a[u7]
        for i in range(8, n - n % 8, 8):
            j = np.uint64(i)  # unsigned indices: no negative-index fix-up per load (~12% of a logsumexp)
            r0 += a[j + u0]
            r1 += a[j + u1]
            r2 += a[j + u2]
            r3 += a[j + u3]
            r4 += a[j + u4]
            r5 += a[j + u5]
            r6 += a[j + u6]
            r7 += a[j + u7]
        res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        for i in range(n - n % 8, n):
            res += a[i]
        return res
    n2 = _pairwise_split(n)
    return pairwise_sum(a, n2) + pairwise_sum(a[n2:], n - n2)


_STACK = 130  # tree depth: at most log2 of 2**63 levels, two entries each


@_jit
def pairwise_blocks(n, block):
    """The starts of the nodes of NumPy's pairwise-sum tree over n values that are the first of
    at most `block` values on their path from the root, left to right, then n: summing each
    block pairwise and combining the sums with pairwise_combine gives NumPy's sum exactly.
    (Iterative: Numba crashes loading a cached kernel whose recursive helper was compiled for
    more than one signature, and literal arguments such as `block` give it one more.)"""
    # a cut node's parent holds more than `block` values, so the node more than block/2 - 8
    starts = np.empty(n // max(block // 2 - 8, 1) + 2, np.int64)
    node_start, node_size = np.empty(_STACK, np.int64), np.empty(_STACK, np.int64)
    node_start[0], node_size[0], top, k = 0, n, 0, 0
    while top >= 0:  # depth first, left child first
        first, size = node_start[top], node_size[top]
        top -= 1
        if size <= block:
            starts[k] = first
            k += 1
        else:
            half = _pairwise_split(size)
            node_start[top + 1], node_size[top + 1] = first + half, size - half
            node_start[top + 2], node_size[top + 2] = first, half
            top += 2
    starts[k] = n
    return starts[: k + 1]


@_jit
def pairwise_combine(sums, n, block):
    """NumPy's pairwise sum of n values from the sums of its blocks (pairwise_blocks): each node
    of the tree adds its left and right subtrees' totals, from the leaves up."""
    size, visits = np.empty(_STACK, np.int64), np.zeros(_STACK, np.int8)
    totals = np.empty(_STACK, sums.dtype)
    size[0], top, count, k = n, 0, 0, 0
    while top >= 0:
        m = size[top]
        if m <= block:  # a block: its sum
            totals[count] = sums[k]
            count, k, top = count + 1, k + 1, top - 1
        elif visits[top] < 2:  # visit the left child, then the right one
            half = _pairwise_split(m)
            visits[top] += 1
            size[top + 1], visits[top + 1] = half if visits[top] == 1 else m - half, 0
            top += 1
        else:  # both children summed: add them
            count -= 1
            totals[count - 1] += totals[count]
            top -= 1
    return totals[0]
