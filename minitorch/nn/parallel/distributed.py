"""``DistributedDataParallel``: the same model on every rank, gradients averaged during backward.

Each rank runs forward and backward on its own slice of the batch. Averaging the gradients over
the ranks then gives every rank the gradient of the whole batch, so one optimizer step keeps the
copies identical: synchronous data parallelism is large-batch SGD spread over processes.

The averaging overlaps with backward. Parameters are grouped into *buckets* (in reverse order,
roughly the order their gradients are ready); when the last gradient of a bucket has been
accumulated (``register_post_accumulate_grad_hook``), the bucket's all-reduce starts
asynchronously while backward goes on with the earlier layers. Buckets start in the same order on
every rank (collectives must match), and when the last one has started, the wrapper waits for all
of them and writes the averages into ``.grad``.
"""

from __future__ import annotations

from contextlib import contextmanager

from ... import ops
from ..._dtypes import int64
from ..._tensor import Tensor
from ...autograd import grad_mode, no_grad
from ..modules.module import Module

_UNFINISHED = (
    "Expected to have finished reduction in the prior iteration before starting a new one. This error indicates that "
    "your module has parameters that were not used in producing loss. You can enable unused parameter detection by "
    "passing the keyword argument `find_unused_parameters=True` to `torch.nn.parallel.DistributedDataParallel`, and "
    "by making sure all `forward` function outputs participate in calculating loss. Parameters that did not receive "
    "gradient on this rank: {names}")


class DistributedDataParallel(Module):
    """Wrap ``module`` so that ``backward`` leaves the gradient averaged over the ranks.

    >>> model = DistributedDataParallel(nn.Linear(4, 2))   # doctest: +SKIP
    >>> model(x).sum().backward()                          # doctest: +SKIP

    ``model.module.weight.grad`` is then the average over the ranks.

    At construction rank 0's parameters and buffers are copied to every rank; with
    ``broadcast_buffers`` its buffers again before each forward. ``no_sync()`` skips the averaging
    (to accumulate gradients locally over several batches). ``find_unused_parameters=True`` lets a
    forward leave some parameters out of the loss. ``device_ids``, ``gradient_as_bucket_view`` and
    ``static_graph`` are accepted for compatibility and change nothing here.
    """

    def __init__(self, module, device_ids=None, output_device=None, dim=0, broadcast_buffers=True, init_sync=True,
                 process_group=None, bucket_cap_mb=None, find_unused_parameters=False, check_reduction=False,
                 gradient_as_bucket_view=False, static_graph=False):
        super().__init__()
        from ... import distributed as dist

        self._dist = dist
        self.module = module
        self.process_group = process_group
        self.broadcast_buffers = broadcast_buffers
        self.find_unused_parameters = find_unused_parameters
        self.require_backward_grad_sync = True
        self.bucket_bytes_cap = int((25 if bucket_cap_mb is None else bucket_cap_mb) * 2 ** 20)
        self._params = [p for p in module.parameters() if p.requires_grad]
        if not self._params:
            raise RuntimeError("DistributedDataParallel is not needed when a module doesn't have any parameter that "
                               "requires a gradient.")
        self._names = {id(p): n for n, p in module.named_parameters()}
        if init_sync:
            self._broadcast(list(module.parameters()) + list(module.buffers()))
        self._buckets = self._make_buckets()
        self._grad_hooks = [p.register_post_accumulate_grad_hook(self._grad_ready) for p in self._params]
        self._iteration = None  # the reduction in progress: see _prepare_for_backward

    def _make_buckets(self):
        """Parameters in reverse order, cut into lists of at most ``bucket_bytes_cap`` bytes of one dtype."""
        buckets, size = [[]], 0
        for p in reversed(self._params):
            nbytes = p.numel() * p.element_size()
            if buckets[-1] and (size + nbytes > self.bucket_bytes_cap or p.dtype is not buckets[-1][0].dtype):
                buckets.append([])
                size = 0
            buckets[-1].append(p)
            size += nbytes
        return buckets

    def _broadcast(self, tensors):
        """Overwrite ``tensors`` with rank 0's values (the parameters start identical)."""
        src = self._dist.get_process_group_ranks(self.process_group)[0]
        with no_grad():
            for t in tensors:
                self._dist.broadcast(t.data, src, self.process_group)

    @contextmanager
    def no_sync(self):
        """Inside, backward only accumulates local gradients; the next synced backward averages them all."""
        old, self.require_backward_grad_sync = self.require_backward_grad_sync, False
        try:
            yield
        finally:
            self.require_backward_grad_sync = old

    def forward(self, *inputs, **kwargs):
        if self._iteration is not None and self._iteration["next"] < len(self._buckets):
            missing = [self._names[id(p)] for p in self._params if id(p) not in self._iteration["ready"]]
            raise RuntimeError(_UNFINISHED.format(names=", ".join(missing)))
        if self.broadcast_buffers:
            self._broadcast(list(self.module.buffers()))
        output = self.module(*inputs, **kwargs)
        self._iteration = None
        if grad_mode.is_grad_enabled() and self.require_backward_grad_sync:
            self._prepare_for_backward(output)
        return output

    # ---- the reduction, driven by backward -----------------------------------------------------
    def _prepare_for_backward(self, output):
        """Start an iteration: no gradient ready yet; unused parameters (if looked for) are ready now."""
        self._iteration = {"ready": set(), "used": set(), "next": 0, "works": []}
        if self.find_unused_parameters:
            used = _parameters_reached_from(output)
            for p in self._params:
                if id(p) not in used:
                    self._mark_ready(p, used=False)

    def _grad_ready(self, param):
        """Called by backward once ``param.grad`` has this iteration's gradient."""
        it = self._iteration
        if it is not None and self.require_backward_grad_sync and it["next"] < len(self._buckets):
            self._mark_ready(param, used=True)

    def _mark_ready(self, param, used):
        it = self._iteration
        it["ready"].add(id(param))
        if used:
            it["used"].add(id(param))
        # start every complete bucket whose predecessors have started (same order on every rank)
        while it["next"] < len(self._buckets) and all(id(p) in it["ready"] for p in self._buckets[it["next"]]):
            bucket = self._buckets[it["next"]]
            flat = ops.cat([(p.grad if p.grad is not None else ops.zeros_like(p)).reshape(-1) for p in bucket])
            it["works"].append((bucket, flat, self._dist.all_reduce(flat, group=self.process_group, async_op=True)))
            it["next"] += 1
        if it["next"] == len(self._buckets):
            self._finish()

    def _finish(self):
        """Wait for every bucket and write the averaged gradients into ``.grad``."""
        it, world = self._iteration, self._dist.get_world_size(self.process_group)
        used_anywhere = self._used_on_some_rank() if self.find_unused_parameters else None
        with no_grad():
            for bucket, flat, work in it["works"]:
                work.wait()
                flat.div_(world)
                offset = 0
                for p in bucket:
                    n = p.numel()
                    if used_anywhere is None or used_anywhere[id(p)]:  # a parameter no rank used keeps grad None
                        average = flat[offset:offset + n].view(p.shape)
                        if p.grad is None:
                            p.grad = average.clone()
                        else:
                            p.grad.copy_(average)
                    offset += n
        it["works"] = []

    def _used_on_some_rank(self):
        """``{id(param): bool}``: whether any rank's loss used the parameter (one small all-reduce)."""
        mask = ops.tensor([id(p) in self._iteration["used"] for p in self._params], dtype=int64)
        self._dist.all_reduce(mask, group=self.process_group)
        return {id(p): bool(m) for p, m in zip(self._params, mask.tolist())}


def _parameters_reached_from(output):
    """The ids of the leaf tensors whose gradient backward from ``output`` will compute."""
    nodes = [t.grad_fn for t in _tensors_in(output) if t.grad_fn is not None]
    leaves = {id(t) for t in _tensors_in(output) if t.grad_fn is None and t.requires_grad}
    seen = set()
    while nodes:
        node = nodes.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if hasattr(node, "variable"):  # AccumulateGrad: the sink of one leaf
            leaves.add(id(node.variable))
        nodes.extend(n for n, _ in node.next_functions if n is not None)
    return leaves


def _tensors_in(value):
    """The tensors inside a forward's output (a tensor, or lists/tuples/dicts of them)."""
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _tensors_in(v)]
    return []
