"""``functional_call``: run a module with other tensors in place of its parameters and buffers."""

from __future__ import annotations

import contextlib

__all__ = ["functional_call"]


@contextlib.contextmanager
def _swapped(module, values, tie_weights):
    """Temporarily make ``module.<name>`` return ``values[name]`` (dotted names reach submodules);
    with ``tie_weights``, a tensor shared under several names is replaced under all of them."""
    replaced_by_id = {}
    if tie_weights:
        for name, t in _named_tensors(module):
            if name in values:
                replaced_by_id[id(t)] = values[name]
    targets = dict(values)
    for name, t in _named_tensors(module):
        if id(t) in replaced_by_id:
            targets.setdefault(name, replaced_by_id[id(t)])
    undo = []
    try:
        for name, value in targets.items():
            *path, field = name.split(".")
            owner = module.get_submodule(".".join(path))
            for registry in (owner._parameters, owner._buffers, None):
                if registry is None:  # not a parameter or buffer: a plain attribute for the call
                    old = owner.__dict__.get(field, _MISSING)
                    object.__setattr__(owner, field, value)
                    undo.append((owner.__dict__, field, old))
                elif field in registry:
                    undo.append((registry, field, registry[field]))
                    registry[field] = value
                    break
        yield
    finally:
        for place, field, old in reversed(undo):
            if old is _MISSING:
                del place[field]
            else:
                place[field] = old


_MISSING = object()


def _named_tensors(module):
    yield from module.named_parameters(remove_duplicate=False)
    yield from module.named_buffers(remove_duplicate=False)


def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *, tie_weights=True, strict=False):
    """``module(*args, **kwargs)`` computed with the tensors of ``parameter_and_buffer_dicts``
    (``{name: tensor}`` as in ``named_parameters()``, or a sequence of such dicts) in place of the
    module's own; the module is unchanged afterwards. Makes a model a pure function of its
    parameters, which ``grad``/``vmap`` need.

    >>> import minitorch as torch
    >>> from minitorch.func import functional_call
    >>> lin = torch.nn.Linear(2, 1)
    >>> functional_call(lin, {"weight": torch.ones(1, 2), "bias": torch.zeros(1)}, (torch.tensor([1.0, 2.0]),))
    tensor([3.])
    """
    dicts = parameter_and_buffer_dicts
    if isinstance(dicts, dict):
        dicts = [dicts]
    values = {}
    for d in dicts:
        for name, value in d.items():
            if name in values:
                raise ValueError(f"{name} appeared in multiple dictionaries; behavior of functional call is ambiguous")
            values[name] = value
    if strict:
        expected = {name for name, _ in _named_tensors(module)}
        missing, unexpected = sorted(expected - set(values)), sorted(set(values) - expected)
        if missing or unexpected:
            lines = [f"Error(s) in reparametrizing for {type(module).__name__}:"]
            if unexpected:
                lines.append("\tUnexpected key(s): " + ", ".join(f"'{k}'" for k in unexpected) + ".")
            if missing:
                lines.append("\tMissing key(s): " + ", ".join(f"'{k}'" for k in missing) + ".")
            raise RuntimeError("\n".join(lines))
    args = () if args is None else (args if isinstance(args, tuple) else (args,))
    with _swapped(module, values, tie_weights):
        return module(*args, **(kwargs or {}))
