"""``Parameter``: a tensor that a ``Module`` registers as one of its learnable weights."""

from __future__ import annotations

from .._tensor import Tensor


class Parameter(Tensor):
    """A tensor that is a module's weight: assigning it to a module attribute registers it, so it
    shows up in ``parameters()`` and ``state_dict()``. It requires grad by default and shares
    storage with the tensor it wraps.

    >>> import minitorch as torch
    >>> torch.nn.Parameter(torch.ones(2))
    Parameter containing:
    tensor([1., 1.], requires_grad=True)
    """

    def __new__(cls, data=None, requires_grad=True):
        from .. import empty

        data = empty(0) if data is None else data
        param = data.detach()  # same storage, no history: a parameter is always a leaf
        param.__class__ = cls
        param.requires_grad = requires_grad
        return param

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

    def __deepcopy__(self, memo):
        if id(self) not in memo:
            memo[id(self)] = type(self)(self.data.clone(), self.requires_grad)
        return memo[id(self)]

    def __reduce_ex__(self, protocol):
        return type(self), (self.data.clone(), self.requires_grad)
