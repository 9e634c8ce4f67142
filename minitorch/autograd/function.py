"""``Function``: an op with a forward and a backward, and ``Node``: its record in the graph.

Every built-in op of minitorch is a ``Function`` subclass written exactly like a student's::

    class Exp(Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad):
            (y,) = ctx.saved_tensors
            return grad * y

``Exp.apply(x)`` runs forward without recording, then, if any input requires grad, links a
``Node`` (which *is* the ``ctx`` forward saw) into the graph as the output's ``grad_fn``.
"""

from __future__ import annotations

import traceback
import weakref

from . import grad_mode

_anomaly = {"enabled": False}


class Node:
    """A backward-graph node (``grad_fn``). ``next_functions`` points at the inputs' nodes."""

    _forward_cls = None
    _sequence = 0

    def __init__(self):
        self.next_functions = ()
        self.needs_input_grad = ()
        self.materialize_grads = True
        self._to_save = ()
        self._saved = None
        self._released = False
        self._input_meta = ()
        self._output_meta = ()
        self._non_differentiable = ()
        self._tensor_hooks = None  # {output_nr: [hook, ...]} from Tensor.register_hook
        self._retained = None  # {output_nr: weakref to a tensor that called retain_grad()}
        self._trace = None
        Node._sequence += 1
        self._seq = Node._sequence

    def name(self):
        return type(self).__name__

    def __repr__(self):
        return f"<{self.name()} object at {hex(id(self))}>"

    # ---- the ctx API used inside forward/backward -------------------------------------
    def save_for_backward(self, *tensors):
        """Keep tensors for backward; they are checked for in-place changes when unpacked."""
        self._to_save = tensors

    @property
    def saved_tensors(self):
        if self._released:
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access saved "
                "tensors after they have already been freed). Saved intermediate values of the graph "
                "are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if "
                "you need to backward through the graph a second time or if you need to access saved "
                "tensors after calling backward."
            )
        if self._saved is None:  # forward ran without recording: hand back what was given
            return tuple(self._to_save)
        return tuple(self._unpack(entry) for entry in self._saved)

    def mark_non_differentiable(self, *tensors):
        self._non_differentiable = tensors

    def mark_dirty(self, *tensors):
        """Accepted for API compatibility; minitorch's in-place ops rebase history themselves."""

    def set_materialize_grads(self, value):
        self.materialize_grads = bool(value)

    # ---- saving without reference cycles ------------------------------------------------
    def _pack(self, tensor, outputs):
        if tensor is None:
            return None
        for nr, out in enumerate(outputs):
            if tensor is out:  # an output would point back at this node: keep data only
                return (tensor.detach(), tensor._version, nr)
        return (tensor, tensor._version, None)

    def _unpack(self, entry):
        if entry is None:
            return None
        tensor, version, output_nr = entry
        if tensor._version != version:
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an "
                f"inplace operation: [{tensor.type()} {list(tensor.shape)}], which is output "
                f"{output_nr or 0} of {self.name()}, is at version {tensor._version}; expected "
                f"version {version} instead. Hint: the backtrace further above can point to the "
                "operation that failed to compute its gradient. The variable in question was "
                "changed in there or anywhere later. Good luck!"
            )
        if output_nr is None:
            return tensor
        alias = tensor.detach()
        alias._version_box = tensor._version_box
        alias.requires_grad, alias.grad_fn, alias._output_nr = True, self, output_nr
        return alias

    def _release(self):
        self._saved = None
        self._to_save = ()
        self._released = True

    # ---- what the engine calls ---------------------------------------------------------
    def apply(self, *grads):
        return self._forward_cls.backward(self, *grads)

    def register_hook(self, hook):
        raise NotImplementedError("hooks on graph nodes are not supported; use Tensor.register_hook")


class AccumulateGrad(Node):
    """The sink for a leaf tensor: adds the incoming gradient into ``variable.grad``."""

    def __init__(self, variable):
        super().__init__()
        self.variable = variable
        self._output_meta = ((variable.shape, variable.dtype, variable.device),)


class Function:
    """Base class for differentiable operations (PyTorch's ``torch.autograd.Function``).

    Subclass it with static ``forward(ctx, *args)`` and ``backward(ctx, *grads)``, then call
    ``MyFunction.apply(*args)``. ``backward`` returns one gradient per forward argument
    (``None`` for non-tensors or inputs that need none).
    """

    backward_name = None  # set where torch's node name differs from the class name

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # torch names built-in nodes "MulBackward0" and user Functions' nodes "MyFnBackward".
        suffix = "Backward0" if cls.__module__.startswith("minitorch.") else "Backward"
        name = cls.__dict__.get("backward_name") or cls.__name__ + suffix
        cls._backward_cls = type(name, (Node,), {"_forward_cls": cls, "__module__": cls.__module__})

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grads):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.")

    @classmethod
    def apply(cls, *args, **kwargs):
        from .._tensor import Tensor

        ctx = cls._backward_cls()
        prev = grad_mode._state["enabled"]
        record = prev and any(isinstance(a, Tensor) and a.requires_grad for a in args)
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        grad_mode._state["enabled"] = False  # forward itself is never recorded
        try:
            result = cls.forward(ctx, *args, **kwargs)
        finally:
            grad_mode._state["enabled"] = prev
        if record:
            _link(ctx, args, result)
        return result


def _link(ctx, args, result):
    """Attach ``ctx`` as the grad_fn of ``result``'s differentiable outputs."""
    from .._tensor import Tensor

    outputs = result if isinstance(result, tuple) else (result,)
    ctx.next_functions = tuple(_edge(a) if isinstance(a, Tensor) else (None, 0) for a in args)
    ctx._input_meta = tuple((a.shape, a.dtype, a.device) if isinstance(a, Tensor) else None for a in args)
    ctx._output_meta = tuple((o.shape, o.dtype, o.device) if isinstance(o, Tensor) else None for o in outputs)
    for nr, out in enumerate(outputs):
        if (isinstance(out, Tensor) and out.dtype.is_floating_point
                and not any(out is t for t in ctx._non_differentiable)):
            out._requires_grad, out.grad_fn, out._output_nr = True, ctx, nr
    ctx._saved = tuple(ctx._pack(t, outputs) for t in ctx._to_save)
    ctx._to_save = ()
    if _anomaly["enabled"]:
        ctx._trace = "".join(traceback.format_stack()[:-3])


def _edge(tensor):
    """The (node, output_nr) a gradient for ``tensor`` must flow into."""
    if tensor.grad_fn is not None:
        return (tensor.grad_fn, tensor._output_nr)
    if tensor.requires_grad:
        return (tensor._grad_accumulator(), 0)
    return (None, 0)


def accumulator_of(tensor):
    """The leaf's AccumulateGrad node, created once and held weakly by the leaf (no cycle)."""
    ref = tensor.__dict__.get("_accumulator_ref")
    node = ref() if ref is not None else None
    if node is None:
        node = AccumulateGrad(tensor)
        tensor.__dict__["_accumulator_ref"] = weakref.ref(node)
    return node
