"""The jaxpr: a typed, first-order program in A-normal form, its printer, checker and evaluator."""

import itertools

import numpy as np

from .avals import ShapedArray

__all__ = ["Var", "Literal", "Eqn", "Jaxpr", "ClosedJaxpr", "eval_jaxpr", "check_jaxpr", "JaxprTypeError"]


class Var:
    __slots__ = ("aval", "count")
    _counter = itertools.count()

    def __init__(self, aval):
        self.aval = aval
        self.count = next(Var._counter)

    def __repr__(self):
        return f"Var({self.count}:{self.aval.str_short()})"


class Literal:
    """A scalar constant written inline, as `2.0:f64[]`."""

    __slots__ = ("val", "aval")

    def __init__(self, val, aval):
        self.val = val
        self.aval = aval

    def __repr__(self):
        return f"{_literal_text(self.val)}:{self.aval.str_short()}"


class Eqn:
    __slots__ = ("primitive", "invars", "outvars", "params")

    def __init__(self, primitive, invars, outvars, params):
        self.primitive = primitive
        self.invars = list(invars)
        self.outvars = list(outvars)
        self.params = dict(params)


class Jaxpr:
    __slots__ = ("constvars", "invars", "outvars", "eqns", "__weakref__")

    def __init__(self, constvars, invars, outvars, eqns):
        self.constvars = list(constvars)
        self.invars = list(invars)
        self.outvars = list(outvars)
        self.eqns = list(eqns)

    @property
    def in_avals(self):
        return [v.aval for v in self.invars]

    @property
    def out_avals(self):
        return [v.aval for v in self.outvars]

    def __str__(self):
        return pp_jaxpr(self)

    __repr__ = __str__


class ClosedJaxpr:
    """A jaxpr with the values of its constvars: what make_jaxpr returns."""

    __slots__ = ("jaxpr", "consts")

    def __init__(self, jaxpr, consts):
        self.jaxpr = jaxpr
        self.consts = list(consts)

    in_avals = property(lambda self: self.jaxpr.in_avals)
    out_avals = property(lambda self: self.jaxpr.out_avals)
    eqns = property(lambda self: self.jaxpr.eqns)

    def __call__(self, *args):
        return eval_jaxpr(self.jaxpr, self.consts, *args)

    def __str__(self):
        return pp_jaxpr(self.jaxpr)

    __repr__ = __str__


# ---------------------------------------------------------------- evaluation


def eval_jaxpr(jaxpr, consts, *args):
    """Run `jaxpr` by binding each equation's primitive, so it runs under any current trace."""
    env = {}

    def read(v):
        return v.val if type(v) is Literal else env[v]

    if len(args) != len(jaxpr.invars):
        raise TypeError(f"eval_jaxpr: the jaxpr takes {len(jaxpr.invars)} arguments, got {len(args)}")
    env.update(zip(jaxpr.constvars, consts))
    env.update(zip(jaxpr.invars, args))
    for eqn in jaxpr.eqns:
        out = eqn.primitive.bind(*[read(v) for v in eqn.invars], **eqn.params)
        if eqn.primitive.multiple_results:
            env.update(zip(eqn.outvars, out))
        else:
            env[eqn.outvars[0]] = out
    return [_literal_array(v) if type(v) is Literal else env[v] for v in jaxpr.outvars]


def _literal_array(literal):
    from .array import wrap

    return wrap(np.asarray(literal.val, literal.aval.dtype))


# ---------------------------------------------------------------- type checking


class JaxprTypeError(TypeError):
    pass


def _same_type(a, b):
    return a.shape == b.shape and a.dtype == b.dtype


def check_jaxpr(jaxpr):
    """Check that every variable is defined once before use and every equation's types agree."""
    defined = set()

    def define(v):
        if v in defined:
            raise JaxprTypeError(f"variable {v} is defined twice")
        defined.add(v)

    def use(v, where):
        if type(v) is Literal:
            if np.shape(v.val) != v.aval.shape:
                raise JaxprTypeError(f"literal {v} has shape {np.shape(v.val)} in {where}")
        elif v not in defined:
            raise JaxprTypeError(f"variable {v} is used before it is defined, in {where}")
        return v.aval

    for v in itertools.chain(jaxpr.constvars, jaxpr.invars):
        define(v)
    for eqn in jaxpr.eqns:
        where = f"equation `{pp_eqn(eqn, _Names())}`"
        in_avals = [use(v, where) for v in eqn.invars]
        out = eqn.primitive.abstract_eval(*in_avals, **eqn.params)
        out_avals = list(out) if eqn.primitive.multiple_results else [out]
        if len(out_avals) != len(eqn.outvars) or not all(
            _same_type(a, v.aval) for a, v in zip(out_avals, eqn.outvars)
        ):
            expected = " ".join(a.str_short() for a in out_avals)
            raise JaxprTypeError(f"{where}: its rule gives types {expected}")
        for v in eqn.outvars:
            define(v)
    for v in jaxpr.outvars:
        use(v, "the jaxpr's outputs")
    return True


# ---------------------------------------------------------------- printing


class _Names:
    """JAX's variable names: a, b, ..., z, ba, bb, ... in order of first appearance."""

    def __init__(self):
        self.names = {}

    def __call__(self, v):
        if type(v) is Literal:
            return repr(v)
        if v not in self.names:
            self.names[v] = _base26(len(self.names))
        return self.names[v]


def _base26(n):
    letters = ""
    while True:
        n, r = divmod(n, 26)
        letters = chr(ord("a") + r) + letters
        if n == 0:
            return letters


def _literal_text(val):
    val = val.item() if hasattr(val, "item") else val
    return repr(val)


def _param_text(value):
    if isinstance(value, np.dtype):
        return str(value)
    if isinstance(value, type) and issubclass(value, np.generic):
        return np.dtype(value).name
    if isinstance(value, (Jaxpr, ClosedJaxpr)):
        return "\n" + "\n".join("  " + line for line in str(value).splitlines())
    if isinstance(value, tuple) and value and all(isinstance(v, (Jaxpr, ClosedJaxpr)) for v in value):
        return "(" + "".join(_param_text(v) for v in value) + "\n)"
    return str(value) if isinstance(value, str) else repr(value)


def _binder(v, names):
    return f"{names(v)}:{v.aval.str_short()}"


def pp_eqn(eqn, names):
    params = " ".join(f"{k}={_param_text(v)}" for k, v in eqn.params.items())
    head = eqn.primitive.name + (f"[{params}]" if params else "")
    outs = " ".join(_binder(v, names) for v in eqn.outvars)
    args = " ".join(names(v) for v in eqn.invars)
    return f"{outs} = {head} {args}".rstrip() if outs else f"{head} {args}".rstrip()


def _tuple_text(items):
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def pp_jaxpr(jaxpr, width=80):
    names = _Names()
    consts = " ".join(_binder(v, names) for v in jaxpr.constvars)
    ins = " ".join(_binder(v, names) for v in jaxpr.invars)
    eqns = [pp_eqn(e, names) for e in jaxpr.eqns]
    outs = _tuple_text([names(v) for v in jaxpr.outvars])
    one_line = f"{{ lambda {consts}; {ins}. let {'; '.join(eqns)} in {outs} }}"
    if len(one_line) <= width and "\n" not in one_line:
        return one_line
    body = "".join(f"\n    {e}" for e in eqns)
    return f"{{ lambda {consts}; {ins}. let{body}\n  in {outs} }}"
