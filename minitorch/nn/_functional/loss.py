"""Loss functions. Each computes a per-element loss, then reduces it (``reduction='mean'``,
``'sum'`` or ``'none'``).

Numerical stability: losses on logits never compute ``exp`` of a large number -
``cross_entropy`` goes through ``log_softmax`` (``x - logsumexp(x)``) and
``binary_cross_entropy_with_logits`` through ``logsigmoid``, so logits of +-1000 are fine.
"""

from __future__ import annotations

import warnings

from ... import _dtypes
from ...autograd import grad_mode
from ...autograd.function import Function
from ...ops._util import wrap
from ...ops.pointwise import where
from ...ops.shape import broadcast_shapes
from .activation import log_softmax, logsigmoid


def _legacy_reduction(size_average, reduce, reduction):
    """The old ``size_average`` / ``reduce`` flags, translated to ``reduction`` (with torch's warning)."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
    warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{reduction}' instead.",
                  stacklevel=3)
    return reduction


def _check_reduction(reduction):
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _reduce(loss, reduction, weight=None, weighted_mean=False):
    """Apply ``reduction``; with an elementwise ``weight``, ``weighted_mean`` divides by its sum."""
    _check_reduction(reduction)
    if weight is not None:
        if weight.shape != loss.shape:
            raise ValueError("Weights and input must have the same size.")
        loss = loss * weight
        if reduction == "mean" and weighted_mean:
            return loss.sum() / weight.sum()
    if reduction == "none":
        return loss
    return loss.mean() if reduction == "mean" else loss.sum()


def _warn_broadcast(input, target):
    if target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.size()}) that is different to the input size ({input.size()}). "
                      "This will likely lead to incorrect results due to broadcasting. Please ensure they have the "
                      "same size.", stacklevel=3)


# ---- regression -----------------------------------------------------------------------------------------

class _PointwiseLoss(Function):
    """A loss ``f(d)`` of ``d = input - target`` per element, reduced inside the op as torch's
    ``mse_loss``, ``smooth_l1_loss`` and ``huber_loss`` are: one autograd node (``MseLossBackward0``...).
    A subclass gives ``value(d, param)`` and its derivative ``slope(d, param)`` in tensor ops, so the
    backward can be differentiated again; ``param`` is the loss's beta or delta."""

    kernel = None  # torch's kernel name, for the error on integer inputs

    @staticmethod
    def forward(ctx, input, target, reduction, param):
        d = _difference(input, target, ctx._forward_cls.kernel)
        ctx.save_for_backward(input, target)
        ctx.reduction, ctx.param = reduction, param
        return _reduce(ctx._forward_cls.value(d, param), reduction)

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved_tensors
        d = _difference(input, target)
        if ctx.reduction == "mean":
            grad = grad / d.numel()
        grad_d = ctx._forward_cls.slope(d, ctx.param) * grad  # the engine sums it back to a broadcast input
        return (grad_d if ctx.needs_input_grad[0] else None, -grad_d if ctx.needs_input_grad[1] else None,
                None, None)


def _difference(input, target, kernel=None):
    """``input - target`` in their promoted dtype, as torch's loss kernels compute it: a bool
    input (a mask as predictions) works there, where the ``-`` operator refuses bools. ``kernel``
    names torch's kernel in the error for a dtype that is not floating point."""
    dtype = _dtypes.result_type(input, target)
    if not dtype.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{dtype.legacy_name}\'')
    return input.to(dtype) - target.to(dtype)


class MseLoss(_PointwiseLoss):
    """``d^2``; slope ``2 d``."""

    kernel = "mse_cpu"

    @staticmethod
    def value(d, _):
        return d * d

    @staticmethod
    def slope(d, _):
        return 2 * d


class SmoothL1Loss(_PointwiseLoss):
    """``0.5 d^2 / beta`` where ``|d| < beta``, else ``|d| - 0.5 beta``; slope ``d / beta`` inside,
    ``sign(d)`` outside and on the edge - finite (+-1) at ``d = +-inf``, NaN at NaN, and, as in
    torch, with a second derivative of 0 at ``|d| == beta``."""

    kernel = "smooth_l1_cpu"

    @staticmethod
    def value(d, beta):
        return where(d.abs() < beta, 0.5 * d * d / beta, d.abs() - 0.5 * beta)

    @staticmethod
    def slope(d, beta):
        return where(d.abs() >= beta, d.sign(), d / beta)  # NaN falls inside: d / beta, NaN


class HuberLoss(_PointwiseLoss):
    """``0.5 d^2`` where ``|d| < delta``, else ``delta (|d| - 0.5 delta)``; slope ``d`` clamped to
    [-delta, delta] (finite at ``d = +-inf``). It is ``delta * smooth_l1_loss`` with ``beta = delta``."""

    kernel = "huber_cpu"

    @staticmethod
    def value(d, delta):
        return where(d.abs() < delta, 0.5 * d * d, delta * (d.abs() - 0.5 * delta))

    @staticmethod
    def slope(d, delta):
        return d.clamp(-delta, delta)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error ``(input - target)^2``.

    >>> import minitorch as torch
    >>> torch.nn.functional.mse_loss(torch.tensor([1., 2.]), torch.tensor([1., 4.]))
    tensor(2.)
    """
    _warn_broadcast(input, target)
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if weight is not None:  # torch computes the weighted form from ordinary ops, so its history shows them
        diff = input - target
        return _reduce(diff * diff, reduction, weight, weighted_mean=True)
    return MseLoss.apply(input, target, reduction, None)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean absolute error ``|input - target|``."""
    _warn_broadcast(input, target)
    reduction = _legacy_reduction(size_average, reduce, reduction)
    return _reduce((input - target).abs(), reduction, weight, weighted_mean=True)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """``0.5 d^2 / beta`` for ``d = |input - target| < beta``, else ``d - 0.5 beta``."""
    _warn_broadcast(input, target)
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:  # no quadratic part left: exactly the L1 loss (as torch computes it)
        return l1_loss(input, target, reduction=reduction)
    return SmoothL1Loss.apply(input, target, reduction, beta)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """``0.5 d^2`` for ``d = |input - target| < delta``, else ``delta (d - 0.5 delta)``."""
    _warn_broadcast(input, target)
    _check_reduction(reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    result = _dtypes.result_type(input, target)
    if result.category > input.dtype.category:  # torch's huber kernel writes into a tensor like the input
        raise RuntimeError(f"result type {result.legacy_name} can't be cast to the desired output type "
                           f"{input.dtype.legacy_name}")
    if input.dtype.is_floating_point and target.dtype is not input.dtype:
        target = target.to(input.dtype)
    if weight is not None:
        return _reduce(HuberLoss.apply(input, target, "none", delta), reduction, weight)
    return HuberLoss.apply(input, target, reduction, delta)


# ---- classification --------------------------------------------------------------------------------------

def _class_weights(input_shape, target, weight, ignore_index):
    """Per sample: its class (ignored samples point at class 0), its weight (0 if ignored) and
    whether it counts (is not ``ignore_index``)."""
    xp = target._backend.xp
    classes = _num_classes(input_shape)
    t = target._array.astype(xp.int64, copy=False)
    counted = t != ignore_index
    bad = counted & ((t < 0) | (t >= classes))
    if bool(bad.any()):
        raise IndexError(f"Target {int(t[bad][0])} is out of bounds.")
    safe_t = xp.where(counted, t, 0)
    w = counted.astype(xp.float64) if weight is None else weight._array[safe_t] * counted
    return safe_t, w, counted


def _num_classes(input_shape):
    return input_shape[0 if len(input_shape) == 1 else 1]


def _classes_last(xp, array, ndim):
    """``(N, C, d1, ...)`` -> ``(N, d1, ..., C)`` so that one sample's class scores are contiguous."""
    return array if ndim <= 2 else xp.moveaxis(array, 1, -1)


def _target_cells(xp, safe_t):
    """Indices of each sample's target class in a classes-last array seen as (samples, classes)."""
    return xp.arange(safe_t.size), safe_t.ravel()


class NllLoss(Function):
    """``-weight[t] * input[n, t]`` per sample (classes in dim 1), skipping ``ignore_index``;
    ``'mean'`` divides by the total weight of the counted samples."""

    @staticmethod
    def forward(ctx, input, target, weight, ignore_index, reduction):
        xp = input._backend.xp
        picked = _class_weights(input.shape, target, weight, ignore_index)
        safe_t, w, counted = picked
        log_probs = _classes_last(xp, input._array, input.dim()).reshape(safe_t.size, _num_classes(input.shape))
        # torch's order of operations and its exact 0 for ignored samples (so no -0. is printed)
        losses = xp.where(counted, -log_probs[_target_cells(xp, safe_t)].reshape(safe_t.shape) * w, 0)
        ctx.save_for_backward(target, weight)
        ctx.args = (ignore_index, reduction, input.shape)
        ctx.picked = picked  # the backward needs the same classes and weights
        if reduction != "none":
            losses = losses.sum() / w.sum() if reduction == "mean" else losses.sum()
        return wrap(xp.asarray(losses, dtype=input._array.dtype), input.device)

    @staticmethod
    def backward(ctx, grad):
        target, weight = ctx.saved_tensors
        if not grad_mode._state["enabled"]:
            # Speed (every cross-entropy backward): without create_graph nothing differentiates
            # this gradient again, so it needs no NllLossGrad node: the same arrays, without
            # Function.apply's work (~5 µs of a ~12 µs backward).
            return _nll_grad(grad, ctx.args[1], ctx.args[2], ctx.picked), None, None, None, None
        return NllLossGrad.apply(grad, target, weight, *ctx.args, ctx.picked), None, None, None, None


def _nll_grad(grad, reduction, input_shape, picked):
    """``NllLoss``'s input gradient on arrays (see ``NllLossGrad``); ``picked`` is ``_class_weights``'s result."""
    xp = grad._backend.xp
    safe_t, w, counted = picked
    scale = w * (grad._array / w.sum() if reduction == "mean" else grad._array)
    out = xp.zeros((safe_t.size, _num_classes(input_shape)), dtype=grad._array.dtype)
    out[_target_cells(xp, safe_t)] = xp.where(counted, -scale, 0).ravel()  # ignored samples keep +0, as in torch
    out = out.reshape(safe_t.shape + out.shape[-1:])  # classes last
    return wrap(xp.moveaxis(out, -1, 1) if len(input_shape) > 2 else out, grad.device)


class NllLossGrad(Function):
    """d loss / d input of ``NllLoss``: ``-weight[t] * grad`` (``/ total weight`` for 'mean') at each
    counted sample's target class, zero elsewhere. It is linear in ``grad`` and its own gradient is
    ``NllLoss`` again (the pair is closed under differentiation, like the conv Functions).
    ``picked`` is what ``_class_weights`` returns, when the caller has it already."""

    @staticmethod
    def forward(ctx, grad, target, weight, ignore_index, reduction, input_shape, picked=None):
        picked = picked or _class_weights(input_shape, target, weight, ignore_index)
        ctx.save_for_backward(target, weight)
        ctx.args = (ignore_index, reduction)
        return _nll_grad(grad, reduction, input_shape, picked)

    @staticmethod
    def backward(ctx, ggx):
        target, weight = ctx.saved_tensors
        return NllLoss.apply(ggx, target, weight, *ctx.args), None, None, None, None, None, None


class NllLoss2d(NllLoss):
    """``NllLoss`` on inputs with spatial dims ``(N, C, d1, ...)``: torch names that node ``NllLoss2DBackward0``."""

    backward_name = "NllLoss2DBackward0"


def _check_class_target(input, target, weight):
    """torch's checks of class-index targets, in torch's order (on the shape tuples: ``.shape``
    builds a Size each time)."""
    shape, target_shape = input._shape, target._shape
    if not shape:
        raise ValueError(f"Expected 1 or more dimensions (got {len(shape)})")
    batch, target_batch = shape[0], target_shape[0] if target_shape else 0
    if len(shape) > 1 and batch != target_batch:
        raise ValueError(f"Expected input batch_size ({batch}) to match target batch_size ({target_batch}).")
    if len(shape) <= 2 and len(target_shape) > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if len(shape) == 4 and len(target_shape) != 3:
        raise RuntimeError("only batches of spatial targets supported (3D tensors) but got targets of dimension: "
                           f"{len(target_shape)}")
    spatial_target = shape[:1] + shape[2:]
    if (len(shape) == 3 or len(shape) > 4) and target_shape != spatial_target:
        raise RuntimeError(f"Expected target size {list(spatial_target)}, got {list(target_shape)}")
    if target.dtype.name not in ("int64", "uint8"):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {target.dtype.legacy_name}")
    if len(shape) == 1 and target_shape and target_shape != (1,):
        raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {target_shape[0]}")
    if len(shape) == 4 and target_shape != spatial_target:
        raise RuntimeError(f"size mismatch (got input: {list(shape)} , target: {list(target_shape)}")
    if weight is not None:
        classes = _num_classes(shape)
        if weight._shape != (classes,):
            raise RuntimeError(f"weight tensor should be defined either for all {classes} classes or no classes but "
                               f"got weight tensor of shape: {list(weight._shape)}")
        if weight.dtype is not input.dtype:
            raise RuntimeError(f"expected scalar type {input.dtype.legacy_name} but found {weight.dtype.legacy_name}")


def _nll(log_probs, target, weight, ignore_index, reduction):
    _check_class_target(log_probs, target, weight)
    if not log_probs.dtype.is_floating_point:
        kernel = "nll_loss2d_forward_out_frame" if log_probs.dim() > 2 else "nll_loss_out_frame"
        raise NotImplementedError(f'"{kernel}" not implemented for \'{log_probs.dtype.legacy_name}\'')
    return (NllLoss2d if log_probs.dim() > 2 else NllLoss).apply(log_probs, target, weight, ignore_index, reduction)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """Negative log likelihood of the target classes, given log-probabilities ``input`` of shape
    ``(N, C)`` (or ``(N, C, d1, ...)``) and class indices ``target`` of shape ``(N,)``."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    return _nll(input, target, weight, ignore_index, reduction)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean",
                  label_smoothing=0.0):
    """``nll_loss(log_softmax(input, 1), target)`` for logits ``input``: ``target`` holds class
    indices (int64) or class probabilities (float, same shape as ``input``).

    >>> import minitorch as torch
    >>> torch.nn.functional.cross_entropy(torch.tensor([[1.0, 2.0, 3.0]]), torch.tensor([1]))
    tensor(1.4076)
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    probabilities = target._shape == input._shape  # class probabilities? torch decides by the shapes alone
    if probabilities and not target.dtype.is_floating_point:
        raise RuntimeError(f"Expected floating point type for target with class probabilities, got "
                           f"{target.dtype.legacy_name}")
    if probabilities and ignore_index != -100:
        raise RuntimeError("ignore_index is not supported for floating point target")
    if label_smoothing > 1.0:  # torch lets a negative value through (it then smooths nothing)
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    class_dim = 0 if input.dim() == 1 else 1
    classes = input.shape[class_dim]
    log_probs = log_softmax(input, class_dim)
    w = None if weight is None else weight.view((-1,) + (1,) * (input.dim() - class_dim - 1))
    if probabilities:
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / classes
        per_class = log_probs * target if w is None else log_probs * target * w
        if reduction == "none":
            return -per_class.sum(class_dim)
        total = -per_class.sum()
        return total / (input.numel() / classes) if reduction == "mean" else total
    nll = _nll(log_probs, target, weight, ignore_index, reduction)
    if label_smoothing <= 0:
        return nll
    # label smoothing: mix in the loss against the uniform distribution over classes
    counted = target != ignore_index
    smooth = -(log_probs if w is None else log_probs * w).sum(class_dim) * counted
    if reduction == "mean":
        smooth = smooth.sum() / (counted.sum() if weight is None else (weight[target.clamp(min=0)] * counted).sum())
    elif reduction == "sum":
        smooth = smooth.sum()
    return (1 - label_smoothing) * nll + smooth * (label_smoothing / classes)


class BinaryCrossEntropy(Function):
    """``-(t log x + (1 - t) log(1 - x))`` per element, each log clamped at -100 (as torch does,
    so ``x = 0`` gives a finite loss), times ``weight``, then reduced; backward
    ``weight (x - t) / max(x (1 - x), 1e-12)``."""

    @staticmethod
    def forward(ctx, x, t, weight, reduction):
        xp = x._backend.xp
        xa, ta = x._array, t._array
        # "not inside [0, 1]" rather than "below 0 or above 1": NaN fails every comparison, and a
        # diverged model's NaN must raise, not turn into a finite loss
        if not bool(((xa >= 0) & (xa <= 1)).all()):
            raise RuntimeError("all elements of input should be between 0 and 1")
        if not bool(((ta >= 0) & (ta <= 1)).all()):
            raise RuntimeError("all elements of target should be between 0 and 1")
        ctx.save_for_backward(x, t, weight)
        ctx.reduction = reduction
        log_x, log_1mx = _clamped_logs(xp, xa)
        loss = wrap(((ta - 1) * log_1mx - ta * log_x).astype(xa.dtype, copy=False), x.device)  # torch's order
        if weight is not None:
            loss.mul_(weight)  # in place, as torch: the loss keeps its shape and dtype (float64 weights too)
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        x, t, weight = ctx.saved_tensors
        if ctx.reduction == "mean":
            grad = grad / x.numel()
        if weight is not None:
            grad = grad * weight
        grad_x = grad * (x - t) / (x * (1 - x)).clamp(min=1e-12) if ctx.needs_input_grad[0] else None
        grad_t = grad * ((1 - x).log() - x.log()) if ctx.needs_input_grad[1] else None  # unclamped, as in torch
        return grad_x, grad_t, None, None


def _clamped_logs(xp, x):
    """``max(log(x), -100)`` and ``max(log1p(-x), -100)`` as torch computes them (``log1p``: exact
    for small ``x``, where ``log(1 - x)`` would round ``1 - x`` first); neither log is evaluated
    where it would be ``-inf`` (no divide-by-zero warning): the clamp gives -100 there anyway."""
    log_x = xp.where(x > 0, xp.maximum(xp.log(xp.where(x > 0, x, 1)), -100), -100)
    log_1mx = xp.where(x < 1, xp.maximum(xp.log1p(-xp.where(x < 1, x, 0)), -100), -100)
    return log_x.astype(x.dtype, copy=False), log_1mx.astype(x.dtype, copy=False)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """Cross entropy of probabilities ``input`` (in [0, 1]) against targets in [0, 1]."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.size()}) that is different to the input size "
                         f"({input.size()}) is deprecated. Please ensure they have the same size.")
    _check_reduction(reduction)
    if target.dtype is not input.dtype:
        raise RuntimeError(f"Found dtype {target.dtype.legacy_name} but expected {input.dtype.legacy_name}")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"binary_cross_entropy" not implemented for \'{input.dtype.legacy_name}\'')
    if weight is not None:  # torch's check: the weight broadcasts to the target (never the other way)
        weight = weight.expand(broadcast_shapes(target.shape, weight.shape))
    return BinaryCrossEntropy.apply(input, target, weight, reduction)


class BinaryCrossEntropyWithLogits(Function):
    """``-(pos_weight t logsigmoid(x) + (1 - t) logsigmoid(-x))`` per element, times ``weight``, then
    reduced. With ``p = pos_weight`` (1 if None), the derivatives of one element are
    ``(p t + 1 - t) sigmoid(x) - p t`` for x, ``-(p logsigmoid(x) - logsigmoid(-x))`` for t, the
    unweighted loss for ``weight`` and ``-t logsigmoid(x)`` for ``pos_weight``."""

    @staticmethod
    def forward(ctx, x, t, weight, pos_weight, reduction):
        ctx.save_for_backward(x, t, weight, pos_weight)
        ctx.reduction = reduction
        loss = _bce_logits_terms(x, t, pos_weight)
        if weight is not None:
            loss.mul_(weight)  # in place, as torch: the loss keeps its shape and dtype
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        x, t, weight, pos_weight = ctx.saved_tensors
        needs = ctx.needs_input_grad
        if ctx.reduction == "mean":
            grad = grad / x.numel()
        weighted = grad if weight is None else grad * weight
        p = 1 if pos_weight is None else pos_weight
        grad_x = weighted * ((p * t + 1 - t) * x.sigmoid() - p * t) if needs[0] else None
        grad_t = -weighted * (p * logsigmoid(x) - logsigmoid(-x)) if needs[1] else None
        grad_w = grad * _bce_logits_terms(x, t, pos_weight) if needs[2] else None
        grad_p = -weighted * t * logsigmoid(x) if needs[3] else None
        return grad_x, grad_t, grad_w, grad_p, None


def _bce_logits_terms(x, t, pos_weight):
    """The unweighted loss as torch writes it, ``(1 - t) x - (1 + (pos_weight - 1) t) logsigmoid(x)``
    (the same as the docstring's form: ``logsigmoid(-x) = logsigmoid(x) - x``). torch computes it with
    in-place steps on ``1 - t``, so the loss has the target's dtype whatever ``x``'s is."""
    log_sigmoid = logsigmoid(x)
    if pos_weight is not None:
        log_sigmoid = log_sigmoid * ((pos_weight - 1) * t + 1)
    return ((1 - t) * x - log_sigmoid).to(t.dtype)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction="mean",
                                     pos_weight=None):
    """``binary_cross_entropy(sigmoid(input), target)`` computed stably from logits:
    ``-(pos_weight * t * logsigmoid(x) + (1 - t) * logsigmoid(-x))``."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.size()}) must be the same as input size ({input.size()})")
    if not target.dtype.is_floating_point:
        raise RuntimeError(f"result type {input.dtype.legacy_name} can't be cast to the desired output type "
                           f"{target.dtype.legacy_name}")
    _check_reduction(reduction)
    return BinaryCrossEntropyWithLogits.apply(input, target, weight, pos_weight, reduction)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """KL divergence ``sum t (log t - input)`` with ``input`` given as log-probabilities (and ``target``
    too if ``log_target``). ``'batchmean'`` divides by the batch size (the mathematical KL)."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if not (input.dtype.is_floating_point and target.dtype.is_floating_point):
        raise RuntimeError("kl_div: Integral inputs not supported.")
    if reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                      "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                      "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                      stacklevel=2)
    if log_target:
        loss = target.exp() * (target - input)
    else:  # t log t is 0 at t = 0: log of 1 there instead of log 0
        loss = target * where(target > 0, target, 1.0).log() - target * input
    if reduction == "batchmean":
        return loss.sum() / (input.shape[0] if input.dim() else 1)
    return _reduce(loss, reduction)


__all__ = """mse_loss l1_loss smooth_l1_loss huber_loss nll_loss cross_entropy binary_cross_entropy
    binary_cross_entropy_with_logits kl_div""".split()
