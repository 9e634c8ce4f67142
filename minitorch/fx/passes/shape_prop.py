"""``ShapeProp``: run a GraphModule once and record every node's shape and dtype in ``node.meta``.

Passes that generate code (fusion) or derivatives (the backward pass) need to know shapes, which
a graph by itself does not say.

>>> import minitorch as torch
>>> from minitorch import fx
>>> from minitorch.fx.passes.shape_prop import ShapeProp
>>> gm = fx.symbolic_trace(lambda x: x.sum(0))
>>> _ = ShapeProp(gm).propagate(torch.ones(2, 3))
>>> [n.meta["tensor_meta"].shape for n in gm.graph.nodes if n.op != "output"]
[torch.Size([2, 3]), torch.Size([3])]
"""

from __future__ import annotations

from collections import namedtuple

from ..interpreter import Interpreter

__all__ = ["ShapeProp", "TensorMetadata"]

TensorMetadata = namedtuple("TensorMetadata", ["shape", "dtype", "requires_grad", "stride"])


class ShapeProp(Interpreter):
    """``ShapeProp(gm).propagate(*example_inputs)``: an Interpreter that, after each node, stores
    ``node.meta["tensor_meta"]`` (for a tensor result) and ``node.meta["type"]``."""

    def run_node(self, n):
        from ..._tensor import Tensor

        result = super().run_node(n)
        if isinstance(result, Tensor):
            n.meta["tensor_meta"] = TensorMetadata(result.shape, result.dtype, result.requires_grad, result.stride())
        n.meta["type"] = type(result)
        return result

    def propagate(self, *args):
        return self.run(*args)
