"""Numba functions the array lowerings call (jaxlite/lax/numba_array_lowerings.py).

Generated modules import this module as `ah`; a rule's expression is one call
`ah.<name>(operands, constants)` returning a fresh C-ordered array. Compile time shapes it:

- Each line of a kernel costs compile time (a reshape or view ~0.1 s: Numba emits its error
  paths inline), so reshapes, views and allocations happen in here, compiled once.
- Numba compiles a function once per argument types, and each compile costs ~0.3-1 s
  whatever its size; these functions are cached on disk (cache=True) and their helpers (`_`
  names) are inlined rather than compiled separately. Kernels pass constants as np.int64 (a
  bare 3 has the type Literal[int](3): one compile per value), and a combining operation as
  a string literal (one compile per operation, chosen while compiling).
- Strided copies take shapes and strides padded to a fixed rank, so one compiled version
  serves every rank; work along one axis sees its operand as (outer, n, inner), a free
  reshape of a C-ordered array.

Large sorts call NumPy's own sort from the kernel (object mode): its vectorized sorts beat any
loop compiled here about tenfold, and give exactly eager's results.
"""

import numba
import numpy as np
from numba import types
from numba.extending import overload

__all__ = [
    "copy", "place", "full", "reshape", "gather", "scatter", "clipped_offsets", "kept_offsets",
    "iota", "argmax", "argmin", "cumulative", "identity_perm", "sort_perm", "take_lanes",
    "numpy_sort", "dot", "dot_general", "threefry2x32",
]

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")
_inline = numba.njit(inline="always")  # inlined where called: no compile of its own


# ---------------------------------------------------------------- data movement


@_inline
def _c_strides(shape):
    strides = np.empty(shape.shape[0], np.int64)
    step = 1
    for d in range(shape.shape[0] - 1, -1, -1):
        strides[d] = step
        step *= shape[d]
    return strides


@_inline
def _move(src, src_offset, src_strides, dst, dst_offset, dst_strides, shape):
    """dst[dst_offset + i . dst_strides] = src[src_offset + i . src_strides] for every index
    i of `shape` (flat arrays; int64 arrays of strides and shape, rank >= 2). Plain loops:
    copying in tiles measured slower (1000 x 1000 transpose: 2 ms plain, 3-16 ms in tiles)."""
    rank = shape.shape[0]
    total = 1
    for d in range(rank):
        total *= shape[d]
    if total == 0:
        return
    n1, n2 = shape[rank - 2], shape[rank - 1]
    s1, s2, d1, d2 = src_strides[rank - 2], src_strides[rank - 1], dst_strides[rank - 2], dst_strides[rank - 1]
    index = np.zeros(rank, np.int64)
    s0, d0 = src_offset, dst_offset
    for _ in range(total // (n1 * n2)):
        if s2 == 1 and d2 == 1:  # contiguous rows: unit strides the compiler can vectorize
            for i in range(n1):
                s, t = s0 + i * s1, d0 + i * d1
                for j in range(n2):
                    dst[t + j] = src[s + j]
        else:
            for i in range(n1):
                s, t = s0 + i * s1, d0 + i * d1
                for _ in range(n2):
                    dst[t] = src[s]
                    s += s2
                    t += d2
        d = rank - 3
        while d >= 0:
            index[d] += 1
            s0 += src_strides[d]
            d0 += dst_strides[d]
            if index[d] < shape[d]:
                break
            s0 -= src_strides[d] * shape[d]
            d0 -= dst_strides[d] * shape[d]
            index[d] = 0
            d -= 1


@_jit
def copy(x, offset, strides, shape, out_shape):
    """A new array of `out_shape` holding x.flat[offset + i . strides] for the indices i of
    `shape` in C order (the same elements as out_shape, axes merged)."""
    out = np.empty(out_shape, x.dtype)
    move_shape = np.array(shape)
    _move(x.reshape(x.size), offset, np.array(strides), out.reshape(out.size), 0, _c_strides(move_shape),
          move_shape)
    return out


@_jit
def place(out, x, src_offset, src_strides, dst_offset, dst_strides, shape):
    """out.flat[dst_offset + i . dst_strides] = x.flat[src_offset + i . src_strides]; returns out."""
    _move(x.reshape(x.size), src_offset, np.array(src_strides), out.reshape(out.size), dst_offset,
          np.array(dst_strides), np.array(shape))
    return out


@_jit
def full(shape, value):
    """np.full(shape, value[()]) (Numba's np.full walks an index tuple per element)."""
    out = np.empty(shape, value.dtype)
    flat, v = out.reshape(out.size), value[()]
    for k in range(flat.shape[0]):
        flat[k] = v
    return out


@_jit
def reshape(x, shape):
    out = np.empty(shape, x.dtype)
    src, dst = x.reshape(x.size), out.reshape(out.size)
    for k in range(dst.shape[0]):
        dst[k] = src[k]
    return out


# ---------------------------------------------------------------- gather and scatter


@_inline
def _offsets(shape, strides):
    """The flat offsets of the elements, in C order, of a sub-array of this shape and strides."""
    rank = shape.shape[0]
    size = 1
    for d in range(rank):
        size *= shape[d]
    out = np.empty(size, np.int64)
    index = np.zeros(rank, np.int64)
    offset = 0
    for k in range(size):
        out[k] = offset
        d = rank - 1
        while d >= 0:
            index[d] += 1
            offset += strides[d]
            if index[d] < shape[d]:
                break
            offset -= strides[d] * shape[d]
            index[d] = 0
            d -= 1
    return out


@_jit
def clipped_offsets(lin, index, n, stride):
    """lin += clip(index, 0, n - 1) * stride, over the flattened index (gather clamps)."""
    flat = index.reshape(index.size)
    for b in range(lin.shape[0]):
        v = flat[b]
        if v < 0:
            k = 0
        elif v >= n:
            k = n - 1
        else:
            k = np.int64(v)
        lin[b] += k * stride
    return lin


@_jit
def kept_offsets(lin, index, n, stride):
    """lin += index * stride; an index outside [0, n) marks its entry dropped (-1)."""
    flat = index.reshape(index.size)
    for b in range(lin.shape[0]):
        if lin[b] < 0:
            continue
        v = flat[b]
        if v < 0 or v >= n:
            lin[b] = -1
        else:
            lin[b] += np.int64(v) * stride
    return lin


@_inline
def _slice_offsets(shape, strides):
    """The offsets of the rows of a sub-array (all axes but the last), and the last axis's
    extent and stride."""
    rank = shape.shape[0]
    return _offsets(shape[:rank - 1], strides[:rank - 1]), shape[rank - 1], strides[rank - 1]


@_jit
def gather(x, lin, rest_shape, rest_strides, out_shape):
    """out.flat[b * R + r] = x.flat[lin[b] + rest[r]], rest: the offsets of one slice's
    elements (shape and strides given)."""
    out = np.empty(out_shape, x.dtype)
    rows, inner, step = _slice_offsets(np.array(rest_shape), np.array(rest_strides))
    src, dst = x.reshape(x.size), out.reshape(out.size)
    if rows.shape[0] * inner == 1:  # one element per index: a plain loop (~10x faster)
        for b in range(lin.shape[0]):
            dst[b] = src[lin[b] + rows[0]]
        return out
    k = 0
    for b in range(lin.shape[0]):
        for r in range(rows.shape[0]):
            p = lin[b] + rows[r]
            for _ in range(inner):
                dst[k] = src[p]
                k += 1
                p += step
    return out


def _combine(op, a, b):
    """How scatter and the cumulative ops combine (op: a string literal)."""
    raise NotImplementedError  # compiled only, see the overload


@overload(_combine, prefer_literal=True, inline="always")
def _combine_impl(op, a, b):
    if not isinstance(op, types.StringLiteral):
        return None
    return {
        "replace": lambda op, a, b: b,
        "add": lambda op, a, b: a + b,
        "multiply": lambda op, a, b: a * b,
        "minimum": lambda op, a, b: np.minimum(a, b),
        "maximum": lambda op, a, b: np.maximum(a, b),
        "logaddexp": lambda op, a, b: np.logaddexp(a, b),
    }[op.literal_value]


@_jit
def scatter(x, updates, lin, rest_shape, rest_strides, op):
    """A copy of x with updates combined in, in order, at x.flat[lin[b] + rest[r]], skipping
    dropped entries, as NumPy's ufunc.at. Each step is stored in x's dtype, so integers wrap
    and booleans saturate as in NumPy's loops."""
    out = x.copy()
    o, u = out.reshape(out.size), updates.reshape(updates.size)
    rows, inner, step = _slice_offsets(np.array(rest_shape), np.array(rest_strides))
    size = rows.shape[0] * inner
    if size == 1:  # one element per index: a plain loop (~10x faster)
        for b in range(lin.shape[0]):
            if lin[b] >= 0:
                p = lin[b] + rows[0]
                o[p] = _combine(op, o[p], u[b])
        return out
    for b in range(lin.shape[0]):
        if lin[b] < 0:
            continue
        k = b * size
        for r in range(rows.shape[0]):
            p = lin[b] + rows[r]
            for _ in range(inner):
                o[p] = _combine(op, o[p], u[k])
                k += 1
                p += step
    return out


# ---------------------------------------------------------------- comparisons in NumPy's order


def _isnan(x):
    raise NotImplementedError  # compiled only, see the overloads


def _lt(a, b):
    """a < b in NumPy's sort order: NaNs last, complex by real then imaginary part."""
    raise NotImplementedError


def _gt(a, b):
    """a > b as NumPy's argmax compares (complex: by real then imaginary part)."""
    raise NotImplementedError


@overload(_isnan)
def _isnan_impl(x):
    if isinstance(x, types.Complex):
        return lambda x: x.real != x.real or x.imag != x.imag
    if isinstance(x, types.Float):
        return lambda x: x != x
    return lambda x: False


@overload(_lt)
def _lt_impl(a, b):
    if isinstance(a, types.Complex):
        def lt(a, b):
            ar, ai, br, bi = a.real, a.imag, b.real, b.imag
            if ar < br:
                return ai == ai or bi != bi
            if ar > br:
                return bi != bi and ai == ai
            if ar == br or (ar != ar and br != br):
                return ai < bi or (bi != bi and ai == ai)
            return br != br
        return lt
    if isinstance(a, types.Float):
        return lambda a, b: a < b or (b != b and a == a)
    return lambda a, b: a < b


@overload(_gt)
def _gt_impl(a, b):
    if isinstance(a, types.Complex):
        return lambda a, b: a.real > b.real or (a.real == b.real and a.imag > b.imag)
    return lambda a, b: a > b


# ---------------------------------------------------------------- along one axis: (outer, n, inner)


@_inline
def _lanes(shape, axis):
    outer, inner = 1, 1
    for d in range(axis):
        outer *= shape[d]
    for d in range(axis + 1, len(shape)):
        inner *= shape[d]
    return outer, shape[axis], inner


@_jit
def iota(out, axis):
    o = out.reshape(_lanes(out.shape, axis))
    for a in range(o.shape[0]):
        for j in range(o.shape[1]):
            for c in range(o.shape[2]):
                o[a, j, c] = j
    return out


@_inline
def _arg_extreme(x, out, largest):
    """Per lane, the first index of the largest (or smallest) value, or of the first NaN."""
    outer, n, inner = x.shape
    for a in range(outer):
        for c in range(inner):
            best, k = x[a, 0, c], 0
            if not _isnan(best):
                for j in range(1, n):
                    v = x[a, j, c]
                    if _isnan(v):
                        k = j
                        break
                    if _gt(v, best) if largest else _gt(best, v):
                        best, k = v, j
            out[a, c] = k


@_jit
def argmax(x, axis, out):
    """The first index of the maximum, or of the first NaN, along `axis`, as NumPy's."""
    outer, n, inner = _lanes(x.shape, axis)
    _arg_extreme(x.reshape((outer, n, inner)), out.reshape((outer, inner)), True)
    return out


@_jit
def argmin(x, axis, out):
    outer, n, inner = _lanes(x.shape, axis)
    _arg_extreme(x.reshape((outer, n, inner)), out.reshape((outer, inner)), False)
    return out


@_jit
def cumulative(x, axis, reverse, op):
    """A running `op` along `axis`, each step stored in x's dtype (as NumPy's accumulate)."""
    out = np.empty_like(x)
    lanes = _lanes(x.shape, axis)
    x3, o = x.reshape(lanes), out.reshape(lanes)
    outer, n, inner = lanes
    for a in range(outer):
        for step in range(n):
            j = n - 1 - step if reverse else step
            if step == 0:
                for c in range(inner):
                    o[a, j, c] = x3[a, j, c]
            else:
                p = j + 1 if reverse else j - 1
                for c in range(inner):
                    o[a, j, c] = _combine(op, o[a, p, c], x3[a, j, c])
    return out


@_jit
def identity_perm(x, axis):
    outer, n, inner = _lanes(x.shape, axis)
    perm = np.empty((outer, n, inner), np.int64)
    for a in range(outer):
        for j in range(n):
            for c in range(inner):
                perm[a, j, c] = j
    return perm


_RUN = 16  # runs sorted by insertion before merging


@_inline
def _stable_argsort(vals, order, tmp):
    """order = the stable sorting permutation of vals (a merge sort, in NumPy's order)."""
    n = vals.shape[0]
    for j in range(n):
        order[j] = j
    for start in range(0, n, _RUN):
        end = min(start + _RUN, n)
        for j in range(start + 1, end):
            k = order[j]
            v = vals[k]
            m = j - 1
            while m >= start and _lt(v, vals[order[m]]):
                order[m + 1] = order[m]
                m -= 1
            order[m + 1] = k
    src, dst = order, tmp
    swapped = False
    width = _RUN
    while width < n:
        for lo in range(0, n, 2 * width):
            mid, hi = min(lo + width, n), min(lo + 2 * width, n)
            i, j, k = lo, mid, lo
            while i < mid and j < hi:
                if _lt(vals[src[j]], vals[src[i]]):
                    dst[k] = src[j]
                    j += 1
                else:
                    dst[k] = src[i]
                    i += 1
                k += 1
            while i < mid:
                dst[k] = src[i]
                i += 1
                k += 1
            while j < hi:
                dst[k] = src[j]
                j += 1
                k += 1
        src, dst = dst, src
        swapped = not swapped
        width *= 2
    if swapped:
        for j in range(n):
            order[j] = tmp[j]


@_inline
def _sort_perm(keys, perm):
    outer, n, inner = keys.shape
    vals = np.empty(n, keys.dtype)
    order, tmp, lane = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int64)
    for a in range(outer):
        for c in range(inner):
            for j in range(n):
                lane[j] = perm[a, j, c]
                vals[j] = keys[a, lane[j], c]
            _stable_argsort(vals, order, tmp)
            for j in range(n):
                perm[a, j, c] = lane[order[j]]


@_jit
def sort_perm(keys, axis, perm):
    """Reorder each lane of `perm` stably by keys[perm]: one pass of a multi-key sort, run
    from the least significant key to the first."""
    _sort_perm(keys.reshape(perm.shape), perm)
    return perm


@_inline
def _take_lanes(x, perm, out):
    outer, n, inner = x.shape
    for a in range(outer):
        for j in range(n):
            for c in range(inner):
                out[a, j, c] = x[a, perm[a, j, c], c]


@_jit
def take_lanes(x, axis, perm):
    """x reordered along `axis` by perm ((outer, n, inner) indices)."""
    out = np.empty_like(x)
    _take_lanes(x.reshape(perm.shape), perm, out.reshape(perm.shape))
    return out


# Large sorts: NumPy's sort called from compiled code (see the module docstring).


def _numpy_sort(x, axis, stable):
    raise NotImplementedError  # compiled only, see the overload


@overload(_numpy_sort)
def _numpy_sort_impl(x, axis, stable):
    out_type = x.copy(layout="C", readonly=False)

    def impl(x, axis, stable):
        with numba.objmode(out=out_type):
            out = np.ascontiguousarray(np.sort(x, axis=axis, kind="stable" if stable else None))
        return out

    return impl


@_jit
def numpy_sort(x, axis, stable):
    """np.sort of one operand along `axis`."""
    return _numpy_sort(x, axis, stable)


# ---------------------------------------------------------------- dot_general


@_jit
def dot(a, b):
    """np.dot of float matrices and vectors (BLAS); a fresh C-ordered result."""
    return np.dot(a, b)


def _matmul(a, b, out):
    raise NotImplementedError  # compiled only, see the overload


@overload(_matmul, inline="always")
def _matmul_impl(a, b, out):
    if isinstance(out.dtype, (types.Float, types.Complex)):
        def blas(a, b, out):
            for i in range(a.shape[0]):
                if a.shape[2] == 0:
                    out[i] = 0
                elif a.shape[1] and b.shape[2]:
                    out[i] = np.dot(a[i], b[i])
        return blas

    def loops(a, b, out):  # each step stored in out's dtype: integers wrap, booleans saturate
        for i in range(a.shape[0]):
            for m in range(a.shape[1]):
                for j in range(b.shape[2]):
                    out[i, m, j] = 0
                for k in range(a.shape[2]):
                    v = a[i, m, k]
                    for j in range(b.shape[2]):
                        out[i, m, j] += v * b[i, k, j]
    return loops


@_inline
def _operand(x, shape, strides, sizes):
    """x.flat read with this (static) layout, as a (batch, rows, cols) array."""
    move_shape, move_strides = np.array(shape), np.array(strides)
    rank = move_shape.shape[0]
    in_order = move_strides[rank - 1] == 1
    for d in range(rank - 1):
        in_order = in_order and move_shape[d] == 1
    if in_order:
        return x.reshape(sizes)
    out = np.empty(x.size, x.dtype)
    _move(x.reshape(x.size), 0, move_strides, out, 0, _c_strides(move_shape), move_shape)
    return out.reshape(sizes)


@_jit
def dot_general(lhs, rhs, lhs_layout, rhs_layout, sizes, out_shape):
    """lhs read as (B, M, K) and rhs as (B, K, N) through their layouts ((shape, strides) of
    the axes in batch, free, contracted order and batch, contracted, free order), multiplied
    (sizes = (B, M, K, N)): floats through BLAS, others by loops."""
    batch, m, k, n = sizes
    a = _operand(lhs, lhs_layout[0], lhs_layout[1], (batch, m, k))
    b = _operand(rhs, rhs_layout[0], rhs_layout[1], (batch, k, n))
    out = np.empty((batch, m, n), lhs.dtype)
    _matmul(a, b, out)
    return out.reshape(out_shape)


# ---------------------------------------------------------------- threefry2x32

_MASK = np.uint64(0xFFFFFFFF)
_PARITY = np.uint64(0x1BD11BDA)
_ROTATIONS = (13, 15, 26, 6, 17, 29, 16, 24)


@_inline
def _rotl(x, r):
    return ((x << np.uint64(r)) | (x >> np.uint64(32 - r))) & _MASK


@_inline
def _threefry(k0, k1, x0, x1, out0, out1):
    ks = (k0, k1, k0 ^ k1 ^ _PARITY)
    for i in range(x0.shape[0]):
        a = (np.uint64(x0[i]) + ks[0]) & _MASK
        b = (np.uint64(x1[i]) + ks[1]) & _MASK
        for block in range(5):
            for r in range(4):
                a = (a + b) & _MASK
                b = _rotl(b, _ROTATIONS[4 * (block % 2) + r]) ^ a
            a = (a + ks[(block + 1) % 3]) & _MASK
            b = (b + ks[(block + 2) % 3] + np.uint64(block + 1)) & _MASK
        out0[i] = np.uint32(a)
        out1[i] = np.uint32(b)


@_jit
def threefry2x32(key0, key1, x0, x1):
    """Threefry-2x32 (20 rounds) of each pair of counters, in 64-bit words masked to 32."""
    out0, out1 = np.empty(x0.shape, np.uint32), np.empty(x0.shape, np.uint32)
    _threefry(np.uint64(key0[()]), np.uint64(key1[()]), x0.reshape(x0.size), x1.reshape(x1.size),
              out0.reshape(out0.size), out1.reshape(out1.size))
    return out0, out1
