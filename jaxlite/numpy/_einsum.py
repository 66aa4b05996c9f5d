"""einsum and einsum_path: Einstein summation over subscripts strings or sublists.

Eagerly einsum is NumPy's own; when NumPy rejects the arguments, the traced path's checks
raise jaxlite's message. Under a transform the subscripts are parsed into labels (ellipsis
axes are labelled by negative ints, aligned from the right) and the operands are contracted
pairwise by the labelled contraction engine of _contractions, in numpy.einsum_path's order.
"""

import string

import numpy as np

from ..core import to_numpy
from ._base import tracing
from ._contractions import _arrays, _check_casting, _compute_dtype, _contract_labelled, _promoted, _run

__all__ = ["einsum", "einsum_path"]

_LETTERS = string.ascii_uppercase + string.ascii_lowercase  # sublist subscript i is _LETTERS[i]
_ELLIPSIS = "..."


def _sublist_subscripts(sublist):
    def letter(item):
        if item is Ellipsis:
            return _ELLIPSIS
        if isinstance(item, (int, np.integer)) and not isinstance(item, (bool, np.bool_)):
            if not 0 <= item < len(_LETTERS):
                raise ValueError(f"einsum: subscript {item} is not within the valid range [0, 52)")
            return _LETTERS[item]
        raise TypeError(f"einsum: each subscript must be either an integer or an ellipsis, got {item!r}")

    return "".join(letter(item) for item in sublist)


def _einsum_call(subscripts, operands):
    """(subscripts string, operands) of einsum('ij,jk', a, b) or einsum(a, [0, 1], b, [1, 2], [0, 2])."""
    if isinstance(subscripts, str):
        if not operands:
            raise ValueError("einsum: needs the subscripts string and at least one operand")
        return subscripts, list(operands)
    args = [subscripts, *operands]
    if len(args) < 2:
        raise ValueError("einsum: needs at least an operand and its subscripts list")
    output = "->" + _sublist_subscripts(args.pop()) if len(args) % 2 else ""
    return ",".join(_sublist_subscripts(s) for s in args[1::2]) + output, args[0::2]


def _parse_term(term, where):
    tokens, i = [], 0
    while i < len(term):
        if term[i] == ".":
            if term[i : i + 3] != _ELLIPSIS:
                raise ValueError(f"einsum: subscripts string contains a '.' that is not part of an ellipsis in {where}")
            if _ELLIPSIS in tokens:
                raise ValueError(f"einsum: subscripts string contains more than one ellipsis ('...') in {where}")
            tokens.append(_ELLIPSIS)
            i += 3
        elif term[i] in _LETTERS:
            tokens.append(term[i])
            i += 1
        else:
            raise ValueError(f"einsum: invalid subscript {term[i]!r} in subscripts string, subscripts must be letters")
    return tokens


def _expand_ellipsis(tokens, count):
    """Ellipsis axes are labelled -count..-1, so that they align from the right."""
    at = tokens.index(_ELLIPSIS) if _ELLIPSIS in tokens else len(tokens)
    return tokens[:at] + list(range(-count, 0)) + tokens[at + 1 :]


def _parse_einsum(subscripts, shapes):
    """The labels of each operand's axes and of the output; checks the sizes."""
    spec = "".join(subscripts.split())
    if spec.count("->") > 1:
        raise ValueError("einsum: subscripts string contains more than one '->'")
    inputs, arrow, output = spec.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(
            f"einsum: the subscripts string {subscripts!r} has {len(terms)} operand terms, but {len(shapes)} "
            "operands were given"
        )
    labels_list, ellipsis_ndim = [], 0
    for i, (term, shape) in enumerate(zip(terms, shapes)):
        tokens = _parse_term(term, f"operand {i}")
        letters = len(tokens) - (_ELLIPSIS in tokens)
        if letters > len(shape):
            raise ValueError(f"einsum: subscripts string contains too many subscripts for operand {i} (shape {shape})")
        if letters < len(shape) and _ELLIPSIS not in tokens:
            raise ValueError(
                f"einsum: operand {i} (shape {shape}) has more dimensions than subscripts {term!r}, "
                "but no '...' ellipsis is given to broadcast the extra dimensions"
            )
        ellipsis_ndim = max(ellipsis_ndim, len(shape) - letters)
        labels_list.append(_expand_ellipsis(tokens, len(shape) - letters))
    letters = [label for labels in labels_list for label in labels if isinstance(label, str)]
    if arrow:
        tokens = _parse_term(output, "the output")
        for label in tokens:
            if label != _ELLIPSIS and tokens.count(label) > 1:
                raise ValueError(f"einsum: output subscript {label!r} appears more than once")
            if label != _ELLIPSIS and label not in letters:
                raise ValueError(f"einsum: output subscript {label!r} does not appear in any input")
        if ellipsis_ndim and _ELLIPSIS not in tokens:
            raise ValueError("einsum: the inputs' '...' ellipsis covers dimensions, but the output has no '...'")
    else:
        tokens = [_ELLIPSIS] + sorted(label for label in set(letters) if letters.count(label) == 1)
    _check_einsum_sizes(labels_list, shapes)
    return labels_list, _expand_ellipsis(tokens, ellipsis_ndim)


def _check_einsum_sizes(labels_list, shapes):
    sizes, where = {}, {}
    for i, (labels, shape) in enumerate(zip(labels_list, shapes)):
        own = {}
        for label, size in zip(labels, shape):
            if own.setdefault(label, size) != size:
                raise ValueError(
                    f"einsum: dimensions in operand {i} (shape {shape}) for collapsing index "
                    f"{label!r} don't match ({own[label]} != {size})"
                )
        for label, size in own.items():
            known = sizes.get(label, 1)
            if 1 not in (known, size) and known != size:
                name = f"index {label!r}" if isinstance(label, str) else "an ellipsis ('...') dimension"
                raise ValueError(
                    f"einsum: operands could not be broadcast together: {name} has size {known} in operand "
                    f"{where[label]} (shape {shapes[where[label]]}) and {size} in operand {i} (shape {shape})"
                )
            if known == 1:
                sizes[label], where[label] = size, i


def _shape_stand_in(x):
    """An array of x's shape that allocates nothing, for NumPy's shape-only einsum_path."""
    return np.broadcast_to(np.zeros((), x.dtype), x.shape)


def _einsum_traced(subscripts, operands, dtype, order, casting, optimize):
    subscripts, operands = _einsum_call(subscripts, operands)
    arrays = _arrays("einsum", [f"operand {i}" for i in range(len(operands))], *operands)
    labels_list, out_labels = _parse_einsum(subscripts, [tuple(x.shape) for x in arrays])
    if order not in ("C", "F", "A", "K"):
        raise ValueError(f"einsum: order must be one of 'C', 'F', 'A', or 'K' (got {order!r})")
    _check_casting("einsum", casting)
    # NumPy returns a view, ignoring dtype and casting, when one operand is only transposed
    # or diagonalized
    if len(arrays) == 1 and set(labels_list[0]) == set(out_labels):
        dtype, casting = None, "unsafe"
    target = _compute_dtype("einsum", arrays, dtype, casting, what="operand")
    if not tracing():
        return None
    path = [(0, 1)] if len(arrays) == 2 else []
    if len(arrays) > 2:
        strategy = "greedy" if optimize is True or optimize is False else optimize
        path = np.einsum_path(subscripts, *map(_shape_stand_in, arrays), optimize=strategy)[0][1:]
    return _contract_labelled(_promoted(*arrays, dtype=target), labels_list, out_labels, path)


def einsum(subscripts, *operands, out=None, dtype=None, order="K", casting="safe", optimize=False):
    """Einstein summation: explicit ('ij,jk->ik') or implicit output, '...' broadcasting,
    repeated subscripts (diagonals), and the einsum(op, sublist, ..., [out_sublist]) form."""
    def numpy_call():
        return np.einsum(to_numpy(subscripts), *map(to_numpy, operands), out=to_numpy(out), dtype=dtype,
                         order=order, casting=casting, optimize=optimize)

    traced = lambda: _einsum_traced(subscripts, operands, dtype, order, casting, optimize)  # noqa: E731
    return _run("einsum", numpy_call, traced, out)


def einsum_path(subscripts, *operands, optimize="greedy", einsum_call=False):
    """NumPy's contraction order for an einsum (it depends on the operands' shapes only)."""
    subscripts, operands = _einsum_call(subscripts, operands)
    arrays = _arrays("einsum_path", [f"operand {i}" for i in range(len(operands))], *operands)
    _parse_einsum(subscripts, [tuple(x.shape) for x in arrays])
    return np.einsum_path(subscripts, *map(_shape_stand_in, arrays), optimize=optimize, einsum_call=einsum_call)
