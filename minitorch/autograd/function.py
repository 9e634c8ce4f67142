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

``Exp.apply(x)`` runs forward without recording, then, if an input requires grad, links a
``Node`` (which *is* the ``ctx`` forward saw) into the graph as the output's ``grad_fn``.
``backward`` returns one gradient per forward argument (``None`` for non-tensors).
"""

from __future__ import annotations

import itertools
import math
import re
import weakref

from .. import _tensor  # the module, not the class: _tensor imports this module first (Tensor is found at call time)
from . import anomaly_mode, grad_mode


class RemovableHandle:
    """Returned by ``register_hook``: ``handle.remove()`` unregisters the hook."""

    def __init__(self, hooks, key):
        self._hooks, self._key = hooks, key

    def remove(self):
        self._hooks.pop(self._key, None)


def add_hook(hooks, hook):
    """Put ``hook`` in the dict ``hooks`` (ordered: hooks run in registration order)."""
    key = object()
    hooks[key] = hook
    return RemovableHandle(hooks, key)


def forward_name(node_name):
    """``"MulBackward0"`` -> ``"Mul"``, ``"PowBackward1"`` -> ``"Pow1"``: how torch's error messages
    name the forward op."""
    return re.sub(r"Backward(\d*)$", lambda m: "" if m.group(1) == "0" else m.group(1), node_name)


_numbering = itertools.count(1)


class Node:
    """A backward-graph node (``grad_fn``). ``next_functions`` holds one ``(node, output_nr)``
    edge per tensor input: ``AccumulateGrad`` for a leaf that requires grad, ``(None, 0)`` for
    a constant.

    Every op makes one (it is the ``ctx`` its forward sees), so the defaults are class
    attributes: an instance only stores what its op sets (``Function.apply`` skips ``__init__``)."""

    _forward_cls = None
    _builtin = True
    next_functions = ()
    needs_input_grad = ()
    materialize_grads = True
    _input_slots = ()  # which forward argument each next_functions edge belongs to
    _n_args = 0
    _to_save = ()
    _saved = None
    _released = False
    _input_meta = ()  # (shape, dtype, device) per edge: the engine shapes grads to it
    _output_meta = ()
    _non_differentiable = ()
    _dirty = ()
    _tensor_hooks = None  # {output_nr: {key: hook}} from Tensor.register_hook
    _retained = None  # {output_nr: weakref to a tensor that called retain_grad()}
    _hooks = None  # {key: hook(grad_inputs, grad_outputs)} from Node.register_hook
    _pre_hooks = None  # {key: hook(grad_outputs)} from Node.register_prehook
    _metadata = None
    _trace = None  # forward traceback, kept only under anomaly detection
    _seq = 0  # creation order of recorded nodes: later nodes run first, as in torch's engine
    _cpp_name = None  # what name() says where torch's differs from the class name (CopySlices)

    def __init__(self):
        self._seq = next(_numbering)

    def name(self):
        return self._cpp_name or type(self).__name__

    def __repr__(self):
        prefix = "" if self._builtin else "torch.autograd.function."
        return f"<{prefix}{type(self).__name__} object at {hex(id(self))}>"

    @property
    def metadata(self):
        """A dict for the user's own notes about this node."""
        if self._metadata is None:
            self._metadata = {}
        return self._metadata

    # ---- the ctx API used inside forward/backward -------------------------------------
    def save_for_backward(self, *tensors):
        """Keep tensors for backward; they are checked for in-place changes when unpacked."""
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, _tensor.Tensor):
                raise TypeError(f"save_for_backward can only save variables, but argument {i} is of type "
                                f"{type(t).__name__}")
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
        """These outputs get ``requires_grad=False`` (their incoming gradient is zero)."""
        self._non_differentiable = tensors

    def mark_dirty(self, *tensors):
        """These inputs were modified in place by forward (and are returned as outputs)."""
        self._dirty = tensors

    def set_materialize_grads(self, value):
        """``False``: backward receives ``None`` (not zeros) for outputs that got no gradient."""
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
            raise RuntimeError(self._modified_message(tensor, version, output_nr))
        if output_nr is None or (self._builtin and not grad_mode._state["enabled"]):
            # The second case: a built-in backward without create_graph records nothing, so the
            # saved output needs no link back to this node (~1.5 µs per saved output: sigmoid, relu...)
            return tensor
        alias = tensor.detach()  # the output again, with this node as grad_fn (for create_graph)
        alias._requires_grad, alias.grad_fn, alias._output_nr = True, self, output_nr
        return alias

    def _modified_message(self, tensor, version, output_nr):
        if output_nr is not None:
            where = f", which is output {output_nr} of {forward_name(self.name())},"
        elif tensor.grad_fn is not None:
            where = f", which is output {tensor._output_nr} of {forward_name(tensor.grad_fn.name())},"
        else:
            where = ""
        if anomaly_mode.is_anomaly_enabled():
            hint = ("the backtrace further above shows the operation that failed to compute its gradient. "
                    "The variable in question was changed in there or anywhere later. Good luck!")
        else:
            hint = ("enable anomaly detection to find the operation that failed to compute its gradient, "
                    "with torch.autograd.set_detect_anomaly(True, check_nan=False).")
        return ("one of the variables needed for gradient computation has been modified by an inplace "
                f"operation: [{tensor.type()} {list(tensor.shape)}]{where} is at version {tensor._version}; "
                f"expected version {version} instead. Hint: {hint}")

    def _release(self):
        """Free what backward needed (called after it ran, unless retain_graph)."""
        if self._saved is not None:
            self._saved = None
            self._released = True

    # ---- what the engine calls ---------------------------------------------------------
    def apply(self, *grads):
        return self._forward_cls.backward(self, *grads)

    def register_hook(self, hook):
        """``hook(grad_inputs, grad_outputs)`` after this node ran; may return new grad_inputs."""
        self._hooks = self._hooks or {}
        return add_hook(self._hooks, hook)

    def register_prehook(self, hook):
        """``hook(grad_outputs)`` before this node runs; may return new grad_outputs."""
        self._pre_hooks = self._pre_hooks or {}
        return add_hook(self._pre_hooks, hook)


class AccumulateGrad(Node):
    """The sink for a leaf tensor: adds the incoming gradient into ``variable.grad``."""

    _seq = math.inf  # torch runs a leaf's accumulation as soon as it is ready
    # One output, whose shape is the leaf's own. A class attribute: a leaf's node is made again
    # in each graph that uses it (it is held weakly), so its __init__ is kept to one line.
    _output_meta = (None,)

    def __init__(self, variable):
        self.variable = variable

    def name(self):
        return "torch::autograd::AccumulateGrad"

    def __repr__(self):
        return f"<AccumulateGrad object at {hex(id(self))}>"


class Function:
    """Base class for differentiable operations (PyTorch's ``torch.autograd.Function``).

    Subclass it with static ``forward(ctx, *args)`` and ``backward(ctx, *grads)``, then call
    ``MyFunction.apply(*args)``. ``backward`` returns one gradient per forward argument
    (``None`` for non-tensors or inputs that need none). Alternatively define
    ``forward(*args)`` without ``ctx`` plus ``setup_context(ctx, inputs, output)``.

    >>> import minitorch as torch
    >>> class Cube(torch.autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x ** 3
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         (x,) = ctx.saved_tensors
    ...         return grad * 3 * x ** 2
    >>> x = torch.tensor(2.0, requires_grad=True)
    >>> y = Cube.apply(x)
    >>> y.backward()
    >>> y, x.grad  # doctest: +ELLIPSIS
    (tensor(8., grad_fn=<...>), tensor(12.))

    (Written in your own module, its node prints as ``grad_fn=<CubeBackward>``, as in torch.)
    """

    backward_name = None  # set where torch's node name differs from "<Class>Backward0"
    cpp_name = None  # set where torch's ``grad_fn.name()`` differs from the node's class name
    # Argument positions that torch's op treats as tensors even when given a python number
    # (a "wrapped number"): they get a ``(None, 0)`` edge, e.g. ``(x * 2).grad_fn.next_functions``.
    wrapped_number_args = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # torch names built-in nodes "MulBackward0" and user Functions' nodes "MyFnBackward".
        builtin = cls.__module__.startswith("minitorch.")
        name = cls.__dict__.get("backward_name") or cls.__name__ + ("Backward0" if builtin else "Backward")
        cls._backward_cls = type(name, (Node,), {"_forward_cls": cls, "_builtin": builtin,
                                                 "__module__": cls.__module__, "_cpp_name": cls.cpp_name})
        cls._has_setup_context = cls.setup_context is not Function.setup_context

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grads):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    @classmethod
    def apply(cls, *args, **kwargs):
        # This runs for every op, so it is kept lean: the node is made without __init__ (its
        # defaults are class attributes) and only numbered and linked when it is recorded.
        node_cls = cls._backward_cls
        ctx = node_cls.__new__(node_cls)
        # getattr: python numbers and other non-tensor arguments never need a gradient. A plain
        # loop: a comprehension runs in a frame of its own (~80 ns more per op on Python 3.11).
        needs = []
        for a in args:
            needs.append(getattr(a, "_requires_grad", False))
        ctx.needs_input_grad = needs = tuple(needs)
        state = grad_mode._state
        enabled = state["enabled"]
        state["enabled"] = False  # forward itself is never recorded
        try:
            if cls._has_setup_context:
                result = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, result)
            else:
                result = cls.forward(ctx, *args, **kwargs)
        finally:
            state["enabled"] = enabled
        return _link(ctx, args, result) if enabled and True in needs else result


def _is_one_of(x, objects):
    """``x in objects`` by identity (``in`` would compare tensors elementwise)."""
    for o in objects:
        if x is o:
            return True
    return False


def _link(ctx, args, result):
    """Make ``ctx`` the grad_fn of ``result``'s differentiable outputs; returns the outputs."""
    Tensor = _tensor.Tensor
    ctx._seq = next(_numbering)
    for t in ctx._dirty:  # modified in place by forward: the version changes, the history moves here
        if t.grad_fn is None and t._requires_grad:
            raise RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.")
        t._bump_version()

    # inputs: one edge (and the shape/dtype/device the engine checks gradients against) per tensor
    wrapped = ctx._forward_cls.wrapped_number_args
    needs = ctx.needs_input_grad
    edges, meta, slots = [], [], []
    for i, a in enumerate(args):
        if isinstance(a, Tensor):
            edges.append(_edge(a) if needs[i] else _NO_EDGE)  # no history to look up: no gradient
            meta.append((a._shape, a.dtype, a.device))
        elif i in wrapped and isinstance(a, (int, float, complex)):
            edges.append(_NO_EDGE)
            meta.append(None)
        else:
            continue
        slots.append(i)
    ctx.next_functions, ctx._input_meta, ctx._input_slots, ctx._n_args = tuple(edges), tuple(meta), tuple(slots), len(args)

    # outputs: each differentiable one gets this node as its grad_fn
    if isinstance(result, tuple):
        linked = [_link_output(ctx, args, out, nr) for nr, out in enumerate(result)]
        outputs = [out for out, _ in linked]
        ctx._output_meta = tuple([out_meta for _, out_meta in linked])
    else:  # one output (most ops): no lists
        result, out_meta = _link_output(ctx, args, result, 0)
        outputs, ctx._output_meta = (result,), (out_meta,)
    if ctx._to_save:
        ctx._saved = tuple([ctx._pack(t, outputs) for t in ctx._to_save])
        ctx._to_save = ()
    if anomaly_mode._state["enabled"]:
        ctx._trace = anomaly_mode.forward_trace()
    return tuple(outputs) if isinstance(result, tuple) else result


_NO_EDGE = (None, 0)  # the edge of an input that gets no gradient


def _link_output(ctx, args, out, nr):
    """Make ``ctx`` the grad_fn of output ``out`` (number ``nr``) if it is differentiable;
    returns the output and its (shape, dtype, device), which the engine fills missing gradients from."""
    if not isinstance(out, _tensor.Tensor):
        return out, None
    if _is_one_of(out, args) and not _is_one_of(out, ctx._dirty):
        out = out._view(out._shape, out._strides, out._offset)  # an input returned as is: a view
    dtype = out.dtype
    if (dtype.is_floating_point or dtype.is_complex) and not (
            ctx._non_differentiable and _is_one_of(out, ctx._non_differentiable)):
        out._set_history(ctx, nr)
    return out, (out._shape, dtype, out.device)


def _edge(tensor):
    """The (node, output_nr) a gradient for ``tensor``, which requires grad, must flow into."""
    node = tensor.grad_fn
    if node is None:  # a leaf
        return (tensor._grad_accumulator(), 0)
    return (node, tensor._output_nr)


def accumulator_of(tensor):
    """The leaf's AccumulateGrad node, created once and held weakly by the leaf (no cycle)."""
    ref = tensor.__dict__.get("_accumulator_ref")
    node = ref() if ref is not None else None
    if node is None:
        node = AccumulateGrad(tensor)
        tensor.__dict__["_accumulator_ref"] = weakref.ref(node)
    return node


def rebase_saved_output(result, tensor):
    """After an in-place op wrote ``result`` (computed out of place) into ``tensor``: if
    ``result``'s node saved ``result`` for backward, watch ``tensor``'s version instead, so a
    later in-place change of ``tensor`` is caught (``y.exp_(); y.add_(1)`` -> error, as in torch)."""
    node = result.grad_fn
    if node is None or not node._saved:
        return
    entries = []
    for entry in node._saved:
        if entry is not None and entry[2] is not None and entry[0]._version_box is result._version_box:
            saved = entry[0].detach()
            saved._version_box = tensor._version_box
            entry = (saved, tensor._version, entry[2])
        entries.append(entry)
    node._saved = tuple(entries)
