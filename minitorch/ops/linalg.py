"""Matrix products: ``matmul`` (with batching and broadcasting) and its special cases, ``addmm``
(nn.Linear's op), ``einsum``, ``tensordot``, ``outer`` and ``trace``."""

from __future__ import annotations

import math
import string

from .. import _strides
from ..autograd import grad_mode
from ..autograd.function import Function
from ._kernels import accepts, check as check_kernel
from ._util import check_devices, wrap


def _matmul_shapes_error(a, b):
    return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[-2] if a.dim() > 1 else 1}x{a.shape[-1]} and {b.shape[-2] if b.dim() > 1 else b.shape[0]}x{b.shape[-1] if b.dim() > 1 else 1})")


class Matmul(Function):
    """``a @ b`` with numpy's matmul rules: 1-D operands are promoted and the extra dim removed,
    leading (batch) dims broadcast. d/da = grad @ b^T, d/db = a^T @ grad."""

    @staticmethod
    def forward(ctx, a, b):
        check_devices(a, b)
        na, nb = len(a._shape), len(b._shape)
        kernel = _matmul_kernel(na, nb)
        if na and nb and a._shape[-1] != b._shape[-2 if nb > 1 else 0]:
            raise _matmul_shapes_error(a, b)
        if kernel == "bmm":  # torch's batched kernel looks at the first operand's dtype first
            check_kernel("bmm", a)
        if a.dtype is not b.dtype:
            raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {a.dtype.name.replace('float32','float')} != {b.dtype.name.replace('float32','float')}")
        if na == 0 or nb == 0:
            raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {na}D and {nb}D")
        check_kernel(kernel, a)
        a_shape = (1,) + a._shape if na == 1 else a._shape  # vectors as 1 x k / k x 1 matrices
        b_shape = b._shape + (1,) if nb == 1 else b._shape
        batch = _strides.broadcast_shapes(a_shape[:-2], b_shape[:-2])  # torch's message, not numpy's
        ctx.grad_shape, ctx.vectors = batch + (a_shape[-2], b_shape[-1]), (na == 1, nb == 1)
        save_crosswise(ctx, a, b)
        return wrap(a._backend.xp.matmul(a._array, b._array), a.device)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        a_vector, b_vector = ctx.vectors
        g = grad.reshape(ctx.grad_shape)  # put the dims a vector operand removed back
        grad_a = grad_b = None
        # the engine sums broadcast batch dims away; only the vector dims need squeezing here
        if ctx.needs_input_grad[0]:
            grad_a = g @ (b.unsqueeze(-1) if b_vector else b).mT
            grad_a = grad_a.squeeze(-2) if a_vector else grad_a
        if ctx.needs_input_grad[1]:
            grad_b = (a.unsqueeze(0) if a_vector else a).mT @ g
            grad_b = grad_b.squeeze(-1) if b_vector else grad_b
        return grad_a, grad_b


def save_crosswise(ctx, a, b, first=0):
    """Save the two factors of a product (arguments ``first`` and ``first + 1``) for backward,
    each only if the OTHER one needs a gradient: d/da uses b and d/db uses a. As in torch,
    ``h = x @ W`` then lets ``x`` change in place before ``backward`` when W needs no gradient."""
    needs = ctx.needs_input_grad
    ctx.save_for_backward(a if needs[first + 1] else None, b if needs[first] else None)


def _matmul_kernel(na, nb):
    """The torch kernel that computes ``a @ b`` for operands of these dims (its name is in torch's errors)."""
    if nb == 1:
        return "dot" if na == 1 else "addmv_impl_cpu"
    return "addmm_impl_cpu_" if nb == 2 else "bmm"


class Dot(Matmul):
    """Dot product of two 1-D tensors (``w @ x`` for vectors)."""


class Mv(Matmul):
    """Matrix @ vector."""


class Mm(Matmul):
    """Matrix @ matrix (2-D only)."""


class Bmm(Matmul):
    """Batched matrix @ matrix (3-D only, equal batch sizes)."""


# torch computes the other shapes of ``matmul`` by reshaping into mm/bmm and back, so the node a
# user sees is the last reshaping step's. The gradient is the same; only the names follow torch.
class VectorMatrix(Matmul):
    """1-D @ 2-D (torch: unsqueeze, mm, squeeze)."""

    backward_name = "SqueezeBackward4"


class Batched(Matmul):
    """A batch on either side, or a vector with a batch (torch: bmm, then an unsafe view)."""

    backward_name = "UnsafeViewBackward0"


class MatrixBatched(Matmul):
    """2-D @ a batch (torch: the transposed product, then a contiguous copy)."""

    backward_name = "CloneBackward0"


class MatrixBatchedNoCopy(Matmul):
    """2-D @ a batch whose transposed product is already contiguous (a single row or column)."""

    backward_name = "TransposeBackward0"


def matmul(input, other):
    """Matrix product with torch's rules for 1-D, 2-D and batched operands.

    >>> import minitorch as torch
    >>> torch.tensor([[1, 2], [3, 4]]) @ torch.tensor([[2, 2], [2, 2]])
    tensor([[ 6,  6],
            [14, 14]])
    """
    ni, no = len(input._shape), len(other._shape)
    if ni == 2 and no == 2:
        return Mm.apply(input, other)
    if ni == 1 and no == 1:
        return dot(input, other)
    if ni == 2 and no == 1:
        return Mv.apply(input, other)
    if ni == 1 and no == 2:
        return VectorMatrix.apply(input, other)
    if ni == 2 and no > 2:
        single = input.shape[0] == 1 or other.shape[-1] == 1
        return (MatrixBatchedNoCopy if single else MatrixBatched).apply(input, other)
    return Batched.apply(input, other)


@accepts("dot", operands=2)
def dot(input, other):
    """Sum of elementwise products of two 1-D tensors of equal length."""
    if input.dim() != 1 or other.dim() != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.dim()}D and {other.dim()}D tensors")
    if input.shape[0] != other.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{input.shape[0]}] and src [{other.shape[0]}] to have the same number of elements, but got {input.shape[0]} and {other.shape[0]} elements respectively")
    return Dot.apply(input, other)


def mm(input, mat2):
    """2-D matrix product (no broadcasting)."""
    if input.dim() != 2 or mat2.dim() != 2:
        raise RuntimeError("self must be a matrix" if input.dim() != 2 else "mat2 must be a matrix")
    return Mm.apply(input, mat2)


def bmm(input, mat2):
    """Batched product of ``(b, n, m)`` and ``(b, m, p)`` tensors."""
    if input.dim() != 3 or mat2.dim() != 3:
        raise RuntimeError("batch1 must be a 3D tensor" if input.dim() != 3 else "batch2 must be a 3D tensor")
    if input.shape[0] != mat2.shape[0]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{input.shape[0]}, {input.shape[2]}] but got: [{mat2.shape[0]}, {mat2.shape[1]}].")
    return Bmm.apply(input, mat2)


def mv(input, vec):
    """Matrix-vector product."""
    if input.dim() != 2 or vec.dim() != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {input.dim()}, {vec.dim()}")
    return Mv.apply(input, vec)


class Addmm(Function):
    """``beta * input + alpha * (mat1 @ mat2)`` as one op: ``nn.Linear`` is ``addmm(bias, x, W.t())``.
    d/dinput = beta * grad (summed back over broadcast rows by the engine),
    d/dmat1 = alpha * grad @ mat2^T, d/dmat2 = alpha * mat1^T @ grad."""

    @staticmethod
    def forward(ctx, input, mat1, mat2, beta, alpha):
        save_crosswise(ctx, mat1, mat2, first=1)
        ctx.beta, ctx.alpha, ctx.mat2_transposed = beta, alpha, _transposed(mat2)
        xp = mat1._backend.xp
        out = xp.matmul(mat1._array, mat2._array)
        if alpha != 1:
            out = out * alpha
        if beta != 0:  # beta == 0 ignores input entirely: nan/inf in it do not propagate
            out += input._array if beta == 1 else beta * input._array  # into the fresh product: no new array
        return wrap(xp.asarray(out, dtype=mat1.dtype.np, order="C"), mat1.device)

    @staticmethod
    def backward(ctx, grad):
        mat1, mat2 = ctx.saved_tensors
        grad_input = grad if ctx.beta == 1 else grad * ctx.beta
        if mat1 is None and mat2 is None:  # only the bias needs a gradient (a frozen layer's weight)
            return grad_input, None, None, None, None
        factor = mat1 if mat1 is not None else mat2  # whichever was saved
        if (ctx.alpha == 1 and not grad_mode._state["enabled"] and grad.dtype is factor.dtype
                and grad.device is factor.device):
            return (grad_input, *_addmm_grads_on_arrays(ctx, grad, mat1, mat2), None, None)
        scaled = grad if ctx.alpha == 1 else grad * ctx.alpha
        grad_mat2 = None
        if ctx.needs_input_grad[2]:
            grad_mat2 = (scaled.t() @ mat1).t() if ctx.mat2_transposed else mat1.t() @ scaled
        return (grad_input, scaled @ mat2.t() if ctx.needs_input_grad[1] else None, grad_mat2, None, None)


def _transposed(mat2):
    """nn.Linear passes ``W.t()``: its gradient gets the same transposed layout, so that W.grad
    arrives row-major without a transposing copy (13% of an MLP step otherwise)."""
    shape, strides = mat2._shape, mat2._strides
    return _strides.is_contiguous(shape[::-1], strides[::-1]) and not _strides.is_contiguous(shape, strides)


def _addmm_grads_on_arrays(ctx, grad, mat1, mat2):
    """``Addmm.backward``'s two products for ``alpha == 1`` without ``create_graph``, written on
    the backend arrays: the same numpy calls on the same operands as the tensor formula, so the
    same bits, dtype and strides, without the five tensor ops (two ``@``, three ``.t()``) and
    their checks and result tensors (~20 µs per nn.Linear backward)."""
    xp, g = grad._backend.xp, grad._array
    grad_mat1 = grad_mat2 = None
    if ctx.needs_input_grad[1]:
        grad_mat1 = wrap(xp.matmul(g, mat2._array.T), grad.device)
    if ctx.needs_input_grad[2]:
        if ctx.mat2_transposed:
            grad_mat2 = wrap(xp.matmul(g.T, mat1._array), grad.device).t()
        else:
            grad_mat2 = wrap(xp.matmul(mat1._array.T, g), grad.device)
    return grad_mat1, grad_mat2


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat1 @ mat2)``; ``input`` broadcasts to the product's shape.

    >>> import minitorch as torch
    >>> torch.addmm(torch.tensor([10., 20.]), torch.ones(1, 3), torch.ones(3, 2))
    tensor([[13., 23.]])
    """
    for name, m in (("mat1", mat1), ("mat2", mat2)):
        if m.dim() != 2:
            raise RuntimeError(f"{name} must be a matrix, got {m.dim()}-D tensor")
    (n, k), (k2, m) = mat1._shape, mat2._shape  # the shape tuples: .shape would build torch.Size objects
    if k != k2:
        raise _matmul_shapes_error(mat1, mat2)
    if mat1.dtype is not mat2.dtype or input.dtype is not mat2.dtype:
        first, name = (mat1, "mat1") if mat1.dtype is not mat2.dtype else (input, "self")
        raise RuntimeError(f"{name} and mat2 must have the same dtype, but got {first.dtype.legacy_name} and {mat2.dtype.legacy_name}")
    check_devices(input, mat1, mat2)
    _strides.expand_strides(input._shape, input._strides, (n, m))  # torch's message
    return Addmm.apply(input, mat1, mat2, beta, alpha)


def outer(input, vec2):
    """Outer product of two vectors: ``out[i, j] = input[i] * vec2[j]``."""
    for name, v in (("self", input), ("vec2", vec2)):
        if v.dim() != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {v.dim()}-D")
    return input.reshape(-1, 1) * vec2


ger = outer


class Trace(Function):
    """Sum of the main diagonal of a matrix; its gradient is ``grad`` on that diagonal."""

    @staticmethod
    def forward(ctx, x):
        ctx.shape = x._shape
        xp = x._backend.xp
        dtype = x.dtype.np if x.dtype.is_floating_point else xp.int64  # integer sums are int64, as in torch
        return wrap(xp.asarray(xp.trace(x._array, dtype=dtype)), x.device)

    @staticmethod
    def backward(ctx, grad):
        from .creation import eye

        return grad * eye(*ctx.shape, dtype=grad.dtype, device=grad.device)


@accepts("trace")
def trace(input):
    """Sum of the main diagonal of a 2-D tensor."""
    if input.dim() != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.dim()}")
    return Trace.apply(input)


def tensordot(a, b, dims=2, out=None):
    """Contract ``dims`` of ``a`` with ``dims`` of ``b`` (the last ``dims`` of ``a`` with the first of
    ``b`` for an int; two lists of dims otherwise): permute, flatten to matrices, one ``mm``.

    >>> import minitorch as torch
    >>> torch.tensordot(torch.ones(2, 3, 4), torch.ones(3, 4, 5)).shape
    torch.Size([2, 5])
    """
    if a.dtype is not b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    if isinstance(dims, int):
        if dims > a.dim() or dims > b.dim():
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        dims_a, dims_b = list(range(-dims, 0)), list(range(dims))
    else:
        dims_a, dims_b = ([d] if isinstance(d, int) else list(d) for d in dims)
    for da, db in zip(dims_a, dims_b):
        if a.shape[da] != b.shape[db] and 1 not in (a.shape[da], b.shape[db]):
            raise RuntimeError(f"contracted dimensions need to match, but first has size {a.shape[da]} in dim {da} "
                               f"and second has size {b.shape[db]} in dim {db}")
        if a.shape[da] != b.shape[db]:  # a size-1 dim broadcasts: the other side is summed over it first,
            # in its own dtype as torch does (a plain sum would make int32 or bool int64)
            a, b = (a.sum(da, keepdim=True, dtype=a.dtype), b) if b.shape[db] == 1 else (a, b.sum(db, keepdim=True, dtype=b.dtype))
    dims_a = [_strides.normalize_dim(d, a.dim()) for d in dims_a]
    dims_b = [_strides.normalize_dim(d, b.dim()) for d in dims_b]
    free_a = [d for d in range(a.dim()) if d not in dims_a]
    free_b = [d for d in range(b.dim()) if d not in dims_b]
    shape_a, shape_b = [a.shape[d] for d in free_a], [b.shape[d] for d in free_b]
    k = math.prod(a.shape[d] for d in dims_a)
    left = a.permute(*free_a, *dims_a).reshape(math.prod(shape_a), k)
    right = b.permute(*dims_b, *free_b).reshape(k, math.prod(shape_b))
    return (left @ right).reshape(shape_a + shape_b)


# ---- einsum ----------------------------------------------------------------------------------

_LETTERS = string.ascii_letters


class Einsum(Function):
    """``einsum`` of an explicit equation (``"ij,jk->ik"``: one letter per dim, equal sizes).

    The gradient of operand k is again an einsum: of the output's gradient with the other
    operands, written to operand k's letters (see ``_einsum_grad``)."""

    @staticmethod
    def forward(ctx, equation, *operands):
        check_kernel("bmm", operands[0])  # torch contracts with bmm
        ctx.equation = equation
        ctx.save_for_backward(*operands)
        xp = operands[0]._backend.xp
        out = xp.einsum(equation, *(op._array for op in operands), optimize=len(operands) > 2)
        return wrap(xp.asarray(out, order="C"), operands[0].device)

    @staticmethod
    def backward(ctx, grad):
        operands = ctx.saved_tensors
        lhs, output = ctx.equation.split("->")
        inputs = lhs.split(",")
        return (None,) + tuple(_einsum_grad(inputs, output, operands, grad, k) if ctx.needs_input_grad[k + 1] else None
                               for k in range(len(operands)))


class EinsumProduct(Einsum):
    """Two operands and nothing summed (``'i,j->ij'``, ``'ij,ij->ij'``): torch multiplies them."""

    backward_name = "MulBackward0"


def _einsum_grad(inputs, output, operands, grad, k):
    """d(einsum)/d(operand k) = einsum(grad, other operands -> letters of operand k), with two fixes
    so that einsum can express it: a letter repeated in operand k (a diagonal, ``"ii"``) gets a
    fresh letter tied to it by an identity matrix, and a letter that only operand k has (summed
    away in forward) is supplied by a vector of ones - its gradient is the same along it."""
    from .creation import eye

    terms = [output] + [t for j, t in enumerate(inputs) if j != k]
    tensors = [grad] + [op for j, op in enumerate(operands) if j != k]
    sizes = dict(zip(inputs[k], operands[k].shape))
    fresh = (c for c in _LETTERS if c not in "".join(inputs) + output)
    target = ""
    for c in inputs[k]:
        if c in target:
            tied = next(fresh)
            terms.append(c + tied)
            tensors.append(eye(sizes[c], dtype=grad.dtype, device=grad.device))
            c = tied
        target += c
    seen = "".join(terms)
    for c in target:
        if c not in seen:
            terms.append(c)
            tensors.append(grad.new_ones(sizes[c]))
    return Einsum.apply(",".join(terms) + "->" + target, *tensors)


def _einsum_terms(equation, operands):
    """Parse and check ``equation`` (torch's messages) into explicit form: one letter per dim,
    ``...`` replaced by fresh letters (right-aligned, as ellipsis dims broadcast), the implicit
    output (letters used once, sorted) written out. Returns ``(input terms, output term, the
    letters standing for ellipsis dims)``."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    for i, c in enumerate(eq):
        if not (c in _LETTERS or c in ".," or (c in "->" and i in (len(lhs), len(lhs) + 1))):
            raise RuntimeError(f"einsum(): invalid subscript given at index {i} in the equation string, subscripts must be in [a-zA-Z]")
    terms = lhs.split(",")
    if len(terms) != len(operands):
        raise RuntimeError(f"einsum(): {'fewer' if len(terms) > len(operands) else 'more'} operands were provided "
                           "than specified in the equation")
    for i, term in enumerate(terms + ([rhs] if arrow else [])):
        if term.count("...") > 1:
            raise RuntimeError(f"einsum(): found '.' for operand {i} for which an ellipsis was already found")
        if "." in term.replace("...", ""):
            raise RuntimeError(f"einsum(): found '.' for operand {i} that is not part of any ellipsis")
    ellipsis_dims = []
    for i, (term, op) in enumerate(zip(terms, operands)):
        named = len(term.replace("...", ""))
        if "..." not in term and named != op.dim():
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({named}) does not match the number "
                               f"of dimensions ({op.dim()}) for operand {i} and no ellipsis was given")
        if named > op.dim():
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({named}) is more than the number "
                               f"of dimensions ({op.dim()}) for operand {i}")
        ellipsis_dims.append(op.dim() - named)
    fresh = [c for c in _LETTERS if c not in eq][:max(ellipsis_dims)]
    terms = [t.replace("...", "".join(fresh[len(fresh) - n:]) if n else "") for t, n in zip(terms, ellipsis_dims)]
    if not arrow:
        letters = "".join(t for t in lhs.split(",")).replace(".", "")
        return terms, "".join(fresh) + "".join(sorted(c for c in set(letters) if letters.count(c) == 1)), fresh
    for c in rhs.replace("...", ""):
        if c not in lhs:
            raise RuntimeError(f"einsum(): output subscript {c} does not appear in the equation for any input operand")
        if rhs.count(c) > 1:
            raise RuntimeError(f"einsum(): output subscript {c} appears more than once in the output")
    return terms, rhs.replace("...", "".join(fresh)), fresh


def einsum(equation, *operands):
    """Einstein summation: ``einsum("ij,jk->ik", a, b)`` is ``a @ b``. Letters name dims; a letter
    missing from the output is summed over; ``...`` stands for the remaining (broadcast) dims.

    >>> import minitorch as torch
    >>> torch.einsum("i,i->", torch.tensor([1., 2.]), torch.tensor([3., 4.]))
    tensor(11.)
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    terms, output, ellipsis = _einsum_terms(equation, operands)
    for op in operands[1:]:
        if op.dtype is not operands[0].dtype:
            raise RuntimeError(f"expected scalar type {operands[0].dtype.legacy_name} but found {op.dtype.legacy_name}")
    check_devices(*operands)
    # every letter gets one size; size-1 dims broadcast (expand: the engine sums their gradient)
    sizes = {}
    for i, (term, op) in enumerate(zip(terms, operands)):
        for c, n in zip(term, op.shape):
            if n != 1 and sizes.get(c, 1) not in (1, n) and c in ellipsis:
                k = ellipsis.index(c) - len(ellipsis) + sum(e in term for e in ellipsis)  # dim k of this "..."
                raise RuntimeError(f"einsum(): dimension {k} covered by ellipsis in operand {i}has size {n} which does "
                                   f"not broadcast with previously seen ellipsis with size {sizes[c]} for the respective dimension")
            if n != 1 and sizes.get(c, 1) not in (1, n):
                raise RuntimeError(f"einsum(): subscript {c} has size {n} for operand {i} which does not broadcast "
                                   f"with previously seen size {sizes[c]}")
            sizes[c] = n if n != 1 else sizes.get(c, 1)
    if len(operands) == 1:
        return _einsum_one(terms[0], output, operands[0])
    operands = [op if tuple(op.shape) == tuple(sizes[c] for c in t) else op.expand(tuple(sizes[c] for c in t))
                for t, op in zip(terms, operands)]
    contracts = any(c not in output for t in terms for c in t)
    op = Einsum if contracts or len(operands) != 2 else EinsumProduct
    out = op.apply(",".join(terms) + "->" + output, *operands)
    # torch contracts two operands with bmm and views the result into shape: a view, as there
    return out.view(out.shape) if contracts and len(operands) == 2 else out


def _einsum_one(term, output, x):
    """One operand needs no products: diagonals for repeated letters, a permutation, a sum over
    the letters not in the output. As in torch, the result is a view when nothing is summed
    (``einsum('ij->ji', a)`` is ``a.permute(1, 0)``, ``einsum('ii->i', a)`` a diagonal)."""
    letters = list(term)
    for c in term:
        if letters.count(c) > 1:  # the diagonal of the two dims becomes the last dim
            i = letters.index(c)
            j = letters.index(c, i + 1)
            if x.shape[i] != x.shape[j]:
                raise RuntimeError(f"einsum(): subscript {c} is repeated for operand 0 but the sizes don't match, "
                                   f"{x.shape[j]} != {x.shape[i]}")
            x = x.diagonal(0, i, j)
            letters = [letter for k, letter in enumerate(letters) if k not in (i, j)] + [c]
    summed = [c for c in letters if c not in output]
    x = x.permute(*[letters.index(c) for c in list(output) + summed])
    return x.sum(tuple(range(len(output), len(letters)))) if summed else x



class Baddbmm(Function):
    """``beta * input + alpha * (batch1 @ batch2)`` for batches of matrices, as one op."""

    @staticmethod
    def forward(ctx, input, batch1, batch2, beta, alpha):
        save_crosswise(ctx, batch1, batch2, first=1)
        ctx.beta, ctx.alpha = beta, alpha
        product = batch1 @ batch2
        return alpha * product if beta == 0 else beta * input + alpha * product

    @staticmethod
    def backward(ctx, grad):
        b1, b2 = ctx.saved_tensors
        scaled = grad * ctx.alpha
        needs = ctx.needs_input_grad
        return (grad * ctx.beta, scaled @ b2.mT if needs[1] else None, b1.mT @ scaled if needs[2] else None,
                None, None)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """``beta * input + alpha * bmm(batch1, batch2)`` (``input`` broadcasts to the result)."""
    bmm(batch1, batch2)  # torch's shape checks and messages
    target = (batch1._shape[0], batch1._shape[1], batch2._shape[2])
    _strides.expand_strides(input._shape, input._strides, target)  # torch's message
    return Baddbmm.apply(input, batch1, batch2, beta, alpha)


def kron(input, other):
    """Kronecker product: every element of ``input`` times the whole ``other``.

    >>> import minitorch as torch
    >>> torch.kron(torch.tensor([1, 2]), torch.tensor([1, 10]))
    tensor([ 1, 10,  2, 20])
    """
    from .shape import UnsafeView

    n = max(input.dim(), other.dim())
    a = input.reshape((1,) * (n - input.dim()) + tuple(input.shape))
    b = other.reshape((1,) * (n - other.dim()) + tuple(other.shape))
    # interleave the dims: a's dim i pairs with b's dim i, a outer
    product = a.reshape(sum(((m, 1) for m in a.shape), ())) * b.reshape(sum(((1, m) for m in b.shape), ()))
    return UnsafeView.apply(product, tuple(p * q for p, q in zip(a.shape, b.shape)))  # torch's node: unsafe view

__all__ = ["matmul", "dot", "mm", "bmm", "mv", "addmm", "outer", "ger", "trace", "tensordot", "einsum", "baddbmm",
           "kron"]
METHODS = [n for n in __all__ if n not in ("tensordot", "einsum")]
INPLACE = ["addmm", "baddbmm"]
