"""``Optimizer``: parameter groups with their own options, per-parameter state, and state dicts.

An optimizer holds ``param_groups`` (a list of dicts: ``{'params': [...], 'lr': ..., ...}``; options
missing from a group come from ``defaults``) and ``state`` (a dict from parameter to a dict of
tensors such as ``'momentum_buffer'``). ``step()`` visits every parameter that has a ``.grad`` and
calls the subclass's ``_update(param, grad, state, group)``, which is the documented pseudo-code
of that algorithm.

Why the updates work on backend arrays: an update is ~10 elementwise operations per parameter.
Written with tensor ops, each would pay an op's bookkeeping (dtype checks, a new Tensor, version
counters) and each in-place op would compute out of place and copy back. ``_update`` instead
works on the arrays themselves (``param._array``, numpy on CPU, CuPy on GPU) with in-place
operators (``m *= beta1``) and ``out=`` arguments, so most lines allocate nothing - 3-4x faster
for a small MLP. Nothing is recorded by autograd either way: ``step()`` runs under ``no_grad``.

>>> import minitorch as torch
>>> w = torch.tensor([1.0, 2.0], requires_grad=True)
>>> opt = torch.optim.SGD([w], lr=0.1)
>>> (w * w).sum().backward()
>>> opt.step()
>>> w
tensor([0.8000, 1.6000], requires_grad=True)
"""

from __future__ import annotations

import copy
import warnings
from collections import defaultdict
from itertools import chain

from .._tensor import Tensor, reset_grad
from ..autograd import grad_mode
from ..ops import creation


class _RequiredParameter:
    """The default of an option every parameter group must set itself."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()


class Optimizer:
    """Base class of all optimizers.

    Args:
        params: an iterable of tensors, of ``(name, tensor)`` pairs (``named_parameters()``), or of
            dicts defining parameter groups (``[{'params': a}, {'params': b, 'lr': 1e-3}]``).
        defaults: the default value of each option, used by groups that do not set it.
    """

    def __init__(self, params, defaults):
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, "
                            "but got " + _typename(params))
        self.state = defaultdict(dict)  # tensors hash by identity, so each parameter has its own entry
        self.param_groups = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def __repr__(self):
        text = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            text += "".join(f"    {key}: {group[key]}\n" for key in sorted(group) if key != "params")
        return text + ")"

    def add_param_group(self, param_group):
        """Add a group of parameters (with its own options) - e.g. to unfreeze layers while fine-tuning."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the ordering "
                            "of tensors in sets will change between runs. Please use a list instead.")
        params = list(params)
        names = [p[0] for p in params if isinstance(p, tuple)]
        params = [p[1] if isinstance(p, tuple) else p for p in params]
        param_group["params"] = params
        if names:
            if len(names) != len(params):
                raise ValueError("all optimizer params should be with/without names. Some param names are missing")
            param_group["param_names"] = names

        for param in params:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is " + _typename(param))
            if not self.defaults.get("differentiable", None) and not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")

        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            param_group.setdefault(name, default)

        ids = [id(p) for p in params]
        if len(ids) != len(set(ids)):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, this will "
                          "cause an error; see github.com/pytorch/pytorch/issues/40967 for more information",
                          stacklevel=3)
        seen = set()
        for group in self.param_groups:
            seen.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {which} to the optimizer")
        if not seen.isdisjoint(ids):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none=True):
        """Forget the gradients: set every ``.grad`` to None (default) or fill it with zeros."""
        for group in self.param_groups:
            for p in group["params"]:
                reset_grad(p, set_to_none)

    def step(self, closure=None):
        """One optimization step for every parameter that has a gradient.

        ``closure`` (optional) re-evaluates the model and returns the loss; it runs with grad
        enabled before the update and its loss is returned.
        """
        loss = None
        if closure is not None:
            with grad_mode.enable_grad():
                loss = closure()
        with grad_mode.no_grad():  # the update itself is not part of any graph
            for group in self.param_groups:
                for p in group["params"]:
                    grad = p.grad
                    if grad is None:
                        continue
                    state = self.state.get(p, {})
                    self._update(p, grad, state, group)
                    p._bump_version()  # written in place: a graph that saved p must notice
                    if state:  # only parameters that have state get an entry (plain SGD has none)
                        self.state[p] = state
        return loss

    def _update(self, param, grad, state, group):
        """Update one parameter in place (the algorithm's loop body) on its backend array
        ``param._array``, reading ``grad._array``. Subclasses implement it."""
        raise NotImplementedError

    # ---- checkpoints -------------------------------------------------------------------------
    def state_dict(self):
        """The optimizer's state as plain data: parameters are replaced by their position.

        ``{'state': {0: {'momentum_buffer': tensor(...)}, ...},
        'param_groups': [{'lr': 0.01, ..., 'params': [0, 1]}, ...]}``
        """
        index = {}
        for p in chain.from_iterable(g["params"] for g in self.param_groups):
            index.setdefault(id(p), len(index))
        param_groups = [{**{k: v for k, v in g.items() if k != "params"},
                         "params": [index[id(p)] for p in g["params"]]} for g in self.param_groups]
        state = {(index[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        return {"state": state, "param_groups": param_groups}

    def load_state_dict(self, state_dict):
        """Restore a ``state_dict()``: positions are matched to this optimizer's parameters in order."""
        groups = self.param_groups
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                             "optimizer's group")
        id_map = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                          chain.from_iterable(g["params"] for g in groups)))

        state = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in id_map:
                param = id_map[key]
                state[param] = {k: _cast_state(param, k, v) for k, v in value.items()}
            else:
                state[key] = value
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
        self.state, self.param_groups = state, saved_groups


def _typename(obj):
    """``torch.typename``: ``torch.FloatTensor``, ``float``, ``mymodule.MyClass``."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = type(obj).__module__
    return type(obj).__qualname__ if module == "builtins" else f"{module}.{type(obj).__qualname__}"


def _new_state(param, fill=0.0):
    """A state tensor shaped and laid out like ``param`` (``exp_avg``, ``sum``...), filled with ``fill``."""
    return creation.full_like(param, fill)


def _next_step(state):
    """Count one more step in ``state['step']`` and return the count as a Python number.

    The count is a 0-d float32 tensor, as torch keeps it (so ``state`` and ``state_dict()`` look
    like torch's); it is incremented on its array, which costs ~1 us instead of an op."""
    step = state["step"]._array
    step += 1
    return float(step)


def _cast_state(param, key, value):
    """A loaded state tensor on the parameter's device (and in its dtype - except the step count)."""
    if isinstance(value, Tensor):
        if key == "step":
            return value
        if param.is_floating_point():
            return value.to(dtype=param.dtype, device=param.device)
        return value.to(device=param.device)
    if isinstance(value, dict):
        return {k: _cast_state(param, k, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast_state(param, None, v) for v in value)
    return value


def _check_non_negative(**values):
    """torch's argument checks: ``Invalid learning rate: -1`` and the like, as ValueError."""
    labels = {"lr": "learning rate", "eps": "epsilon value"}
    for name, value in values.items():
        if not 0.0 <= value:
            raise ValueError(f"Invalid {labels.get(name, name + ' value')}: {value}")
