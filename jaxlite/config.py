"""Runtime options: `jaxlite.config.update(name, value)`, or environment variables.

- `jaxlite_log_compiles` (JAXLITE_LOG_COMPILES=1): log every jit trace and compile, with the
  reason (first call, or which argument's shape, dtype or static value changed), to the
  "jaxlite" logger at WARNING level, so silent recompiles become visible.
- `jaxlite_cache_dir` (JAXLITE_CACHE_DIR): where compiled code is cached on disk; default
  `~/.cache/jaxlite` (or $XDG_CACHE_HOME/jaxlite). An empty string disables the disk cache.
"""

import logging
import os

from . import tree_util

__all__ = ["config", "log_compile"]

_logger = logging.getLogger("jaxlite")


def _default_cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "jaxlite")


class Config:
    def __init__(self):
        self._values = {
            "jaxlite_log_compiles": os.environ.get("JAXLITE_LOG_COMPILES", "") not in ("", "0", "false", "False"),
            "jaxlite_cache_dir": os.environ.get("JAXLITE_CACHE_DIR", _default_cache_dir()),
        }

    def update(self, name, value):
        if name not in self._values:
            raise AttributeError(f"jaxlite.config has no option {name!r}; options: {sorted(self._values)}")
        self._values[name] = value

    def __getattr__(self, name):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"jaxlite.config has no option {name!r}") from None


config = Config()


def _described(signature):
    """{argument path: 'f64[3]'} for a jit signature (in_tree, avals, static values)."""
    in_tree, avals, static = signature
    args, kwargs = tree_util.tree_unflatten(in_tree, list(avals))
    described = {f"args{tree_util.keystr(p)}": a.str_short() + (" (weak)" if a.weak_type else "")
                 for p, a in tree_util.tree_leaves_with_path(tuple(args), is_leaf=lambda x: hasattr(x, "str_short"))}
    described.update({f"kwargs{tree_util.keystr(p)}": a.str_short()
                      for p, a in tree_util.tree_leaves_with_path(kwargs, is_leaf=lambda x: hasattr(x, "str_short"))})
    described.update({f"static {k}": repr(v) for k, v in enumerate(static)})
    return described


def log_compile(name, signature, previous):
    """Log that jit(name) traces and compiles for `signature`, and why."""
    if not config.jaxlite_log_compiles:
        return
    now = _described(signature)
    if previous is None:
        reason = "first call"
    else:
        before = _described(previous)
        changes = [f"{k}: {before.get(k, 'absent')} -> {now.get(k, 'absent')}"
                   for k in sorted(set(now) | set(before)) if now.get(k) != before.get(k)]
        reason = "; ".join(changes) or "new signature"
    args = ", ".join(f"{k}={v}" for k, v in now.items())
    _logger.warning("Compiling jit(%s) for (%s) because: %s", name, args, reason)
