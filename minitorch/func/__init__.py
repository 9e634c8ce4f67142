"""``minitorch.func``: composable function transforms (torch.func's API, JAX's idea).

A transform takes a function and returns a new function: ``grad(f)`` computes f's gradient,
``vmap(f)`` maps f over a batch, ``jacrev``/``jacfwd``/``hessian`` give full derivative
matrices. They nest: ``vmap(grad(loss), in_dims=(None, 0, 0))`` is a per-example gradient.
``functional_call`` turns a module into a function of its parameters so they can be transformed.

>>> import minitorch as torch
>>> from minitorch.func import grad, vmap
>>> f = lambda x: (x ** 2).sum()
>>> vmap(grad(f))(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))     # one gradient per row
tensor([[2., 4.],
        [6., 8.]])
"""

from ._autodiff import grad, grad_and_value, hessian, jacfwd, jacrev, jvp, vjp
from ._functional_call import functional_call
from ._vmap import vmap

__all__ = ["grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian", "vmap", "functional_call"]
