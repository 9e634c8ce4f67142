"""``vmap``: run a function written for one example over a batch.

Two ways, tried in order:

1. *Batching rules* (``_batching.py``): trace the function with ``minitorch.fx`` and run its graph
   once on the whole batch, each op rewritten to act on a batch of its per-example inputs
   (elementwise ops, reductions and other ops with a ``dim``, ``view``/``reshape``, indexing,
   ``@``, ``F.linear``, ...). This is what JAX and torch.func do for every op.
2. The *loop fallback*, for a function that cannot be traced (data-dependent ``if``, ``.item()``,
   ``grad`` inside ``vmap``) or uses an op without a rule here (random ops among them): slice every
   mapped input along its ``in_dims``, call the function once per example, stack the results along
   ``out_dims``. Same results, Python-loop speed. Differences from torch that follow from looping:
   ``.item()`` and data-dependent ``if`` work (torch raises), and random ops draw different numbers
   per example (torch's ``randomness="different"``; its default ``"error"`` is not enforced).
"""

from __future__ import annotations

import functools

from ._batching import NO_RULE, batched_call
from ._pytree import broadcast_prefix, tree_flatten, tree_unflatten

__all__ = ["vmap"]


def _name(func):
    return getattr(func, "__name__", repr(func))


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """``vmap(f)(xs)`` = ``torch.stack([f(x) for x in xs])``, for any nesting of inputs/outputs.

    ``in_dims``: for each positional argument, the dimension to map over (``None``: pass the
    argument unchanged to every call); an int applies to all. ``out_dims``: where the batch
    dimension goes in each output. ``chunk_size`` is accepted (examples run one at a time anyway).

    >>> import minitorch as torch
    >>> from minitorch.func import vmap
    >>> vmap(torch.dot)(torch.ones(3, 2), torch.ones(3, 2))       # three dot products
    tensor([2., 2., 2.])
    >>> vmap(lambda x, w: x @ w, in_dims=(0, None))(torch.ones(3, 2), torch.ones(2))
    tensor([2., 2., 2.])
    """
    if randomness not in ("error", "different", "same"):
        raise RuntimeError(f"Only allowed values for randomness are 'error', 'different', or 'same'. Got {randomness}")

    @functools.wraps(func)
    def wrapped(*args, **kwargs):
        from .. import stack
        from .._tensor import Tensor

        call = f"vmap({_name(func)}, in_dims={in_dims}, ...)(<inputs>)"
        if not args:
            raise ValueError(f"vmap({_name(func)})(<inputs>): got no inputs. Maybe you forgot to add inputs, or you "
                             "are trying to vmap over a function with no inputs. The latter is unsupported.")
        if not isinstance(in_dims, (int, tuple)) or isinstance(in_dims, bool):
            raise ValueError(f"{call}: expected `in_dims` to be int or a (potentially nested) tuple matching the "
                             f"structure of inputs, got: {type(in_dims)}.")
        leaves, spec = tree_flatten(args)
        dims = broadcast_prefix(in_dims, args, lambda: ValueError(
            f"{call}: in_dims is not compatible with the structure of `inputs`. in_dims has structure "
            f"{_structure(in_dims)} but inputs has structure {_structure(args)}."))
        sizes = []
        for leaf, dim in zip(leaves, dims):
            if dim is None:
                continue
            if not isinstance(leaf, Tensor):
                raise ValueError(f"{call}: Got in_dim={dim} for an input but the input is of type {type(leaf)}. We "
                                 "cannot vmap over non-Tensor arguments, please use None as the respective in_dim")
            if not -leaf.dim() <= dim < leaf.dim():
                raise ValueError(f"{call}: Got in_dim={dim} for some input, but that input is a Tensor of "
                                 f"dimensionality {leaf.dim()} so expected in_dim to satisfy -{leaf.dim()} <= in_dim "
                                 f"< {leaf.dim()}.")
            sizes.append(leaf.shape[dim])
        if not sizes:
            raise ValueError(f"vmap({_name(func)}, in_dims={in_dims}, ...)(<inputs>): at least one input must be "
                             "mapped over (got in_dims=None for every input)")
        if len(set(sizes)) > 1:
            raise ValueError("vmap: Expected all tensors to have the same size in the mapped dimension, got sizes "
                             f"{sizes} for the mapped dimension")

        batch = sizes[0]
        batched = NO_RULE if kwargs or len(leaves) != len(args) else batched_call(func, leaves, dims, batch)
        if batched is NO_RULE:  # the loop fallback: one call per example, results stacked
            results = []
            for b in range(batch):
                example = [leaf if dim is None else leaf.select(dim, b) for leaf, dim in zip(leaves, dims)]
                results.append(func(*tree_unflatten(example, spec), **kwargs))
            structure = results[0]
            columns = zip(*(tree_flatten(r)[0] for r in results))
            outputs = [(stack(column), True) if all(isinstance(v, Tensor) for v in column) else (column[0], False)
                       for column in columns]
        else:  # batching rules: one call on the whole batch
            structure, flags = batched
            outputs = list(zip(tree_flatten(structure)[0], flags))

        out_spec = tree_flatten(structure)[1]
        out_call = f"vmap({_name(func)}, ..., out_dims={out_dims})(<inputs>)"
        odims = broadcast_prefix(out_dims, structure, lambda: ValueError(
            f"{out_call}: out_dims is not compatible with the structure of `outputs`. out_dims has structure "
            f"{_structure(out_dims)} but outputs has structure {_structure(structure)}."))
        placed = []
        for (value, has_batch), dim in zip(outputs, odims):
            if dim is None:  # not mapped: the value of the first example
                placed.append(value.select(0, 0) if has_batch else value)
                continue
            if not isinstance(value, Tensor):
                raise ValueError(f"vmap({_name(func)}, ...): `{_name(func)}` must only return Tensors, got type "
                                 f"{type(value)}. Did you mean to set out_dims= to None for output?")
            if not has_batch:  # the same for every example (it did not depend on the mapped inputs)
                value = value.unsqueeze(0).expand(batch, *value.shape)
            placed.append(value.movedim(0, dim))
        return tree_unflatten(placed, out_spec)
    return wrapped


def _structure(tree):
    """A short description of a nesting (torch prints its TreeSpec): ``(*, *)``, ``{'a': *}``."""
    if isinstance(tree, (tuple, list)):
        inner = ", ".join(_structure(x) for x in tree)
        return f"({inner},)" if isinstance(tree, tuple) and len(tree) == 1 else \
            (f"({inner})" if isinstance(tree, tuple) else f"[{inner}]")
    if isinstance(tree, dict):
        return "{" + ", ".join(f"{k!r}: {_structure(v)}" for k, v in tree.items()) + "}"
    return "*"
