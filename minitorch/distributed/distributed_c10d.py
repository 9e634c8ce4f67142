"""``torch.distributed``'s process groups and collectives, on MPI (CPU) or NCCL (GPU).

Every rank runs the same script; a *collective* is a call that every rank of a group makes, and
that returns once the ranks have exchanged data:

    all_reduce   every rank ends with the sum (or max, ...) of all ranks' tensors
    broadcast    every rank ends with rank ``src``'s tensor
    all_gather   every rank ends with a list of all ranks' tensors
    reduce / gather / scatter / reduce_scatter_tensor: the same with one root, or split in blocks

Tensors are changed in place, as in torch. ``async_op=True`` returns a ``Work`` at once: the data
moves while Python goes on, and ``work.wait()`` finishes the call (DDP starts its gradient
all-reduces this way during backward).

Run under ``mpiexec -n 2 python ...``; before the all-reduce rank 0 holds 1. and rank 1 holds 2.,
after it both hold 3.:

>>> import minitorch as torch, minitorch.distributed as dist     # doctest: +SKIP
>>> dist.init_process_group("mpi")                                 # doctest: +SKIP
>>> t = torch.tensor([dist.get_rank() + 1.0])                      # doctest: +SKIP
>>> dist.all_reduce(t)                                             # doctest: +SKIP
>>> t                                                              # doctest: +SKIP
tensor([3.])
"""

from __future__ import annotations

import enum
import os
import warnings

from .._tensor import Tensor


class RedOpType(enum.Enum):
    """How a reduction combines the ranks' values (``ReduceOp.SUM`` ...)."""

    SUM = 0
    AVG = 1
    PRODUCT = 2
    MIN = 3
    MAX = 4
    BAND = 5
    BOR = 6
    BXOR = 7


class ReduceOp:
    """``dist.ReduceOp.SUM`` / ``AVG`` / ``PRODUCT`` / ``MIN`` / ``MAX`` / ``BAND`` / ``BOR`` / ``BXOR``.

    ``AVG`` is the sum divided by the group's size (floor division for integer tensors).
    On boolean tensors ``SUM`` and ``MAX`` are a logical or, ``PRODUCT`` and ``MIN`` a logical and.
    """

    RedOpType = RedOpType


for _op in RedOpType:
    setattr(ReduceOp, _op.name, _op)


class ProcessGroup:
    """A set of ranks that make collectives together: the world, or one made by ``new_group``."""

    def __init__(self, backend, ranks, name):
        self._backend, self._ranks, self.group_name = backend, list(ranks), name

    def rank(self):
        """This process's rank inside the group."""
        return self._backend.rank()

    def size(self):
        return len(self._ranks)

    def name(self):
        return self._backend.name

    def _group_rank(self, global_rank, what):
        """The group rank of a world rank given as ``src``/``dst`` (torch takes world ranks)."""
        if not isinstance(global_rank, int) or isinstance(global_rank, bool):
            raise TypeError(f"{what} must be an int, got {type(global_rank).__name__}")
        if global_rank not in self._ranks:
            raise ValueError(f"Global rank {global_rank} is not part of group {self}")
        return self._ranks.index(global_rank)

    def __repr__(self):
        return f"<minitorch.distributed.ProcessGroup '{self.group_name}' ranks={self._ranks}>"


class GroupMember:
    """``GroupMember.WORLD``: the default group (None before ``init_process_group``);
    ``new_group`` returns ``GroupMember.NON_GROUP_MEMBER`` on the ranks it does not contain."""

    WORLD = None
    NON_GROUP_MEMBER = -100


group = GroupMember  # torch.distributed.group.WORLD is the same object
_groups = []  # every ProcessGroup made since init (destroyed together)


class Work:
    """A collective or send/recv started with ``async_op=True``: ``wait()`` finishes it."""

    def __init__(self, backend, request, finish, tensors):
        self._backend, self._request, self._finish, self._tensors = backend, request, finish, tensors
        self._done, self._source = request is None, -1
        if self._done:
            finish()

    def wait(self, timeout=None):
        """Block until the data has arrived (and is in the tensors); returns True."""
        if not self._done:
            self._source = self._backend.wait(self._request)
            self._done = True
            self._finish()
        return True

    def is_completed(self):
        if not self._done and self._backend.test(self._request):
            self.wait()
        return self._done

    def result(self):
        """The tensors this call wrote into."""
        self.wait()
        return list(self._tensors)

    def _source_rank(self):
        """The sender of a finished ``irecv``."""
        return self._source


# ---- the process group -------------------------------------------------------------------------

def is_available():
    """True: this package is here (its backends may still need their extras)."""
    return True


def is_mpi_available():
    try:
        import mpi4py  # noqa: F401
    except ImportError:
        return False
    return True


def is_nccl_available():
    try:
        from cupy.cuda import nccl  # noqa: F401
    except ImportError:
        return False
    return True


def is_initialized():
    """Whether ``init_process_group`` has been called (and not destroyed)."""
    return GroupMember.WORLD is not None


def _backend_class(backend):
    name = "mpi" if backend is None else str(backend).lower()
    if name in ("mpi", "gloo"):  # gloo is torch's CPU backend: scripts that name it run on MPI here
        from ._mpi import MPIBackend
        return MPIBackend
    if name == "nccl":
        from ._nccl import NCCLBackend
        return NCCLBackend
    raise ValueError(f"Invalid backend: '{backend}' (minitorch.distributed has 'mpi' (alias 'gloo') and 'nccl')")


def init_process_group(backend=None, init_method=None, timeout=None, world_size=-1, rank=-1, store=None,
                       group_name="", pg_options=None, device_id=None):
    """Join the world of processes started together (``minitorch.distributed.run`` or ``mpiexec``).

    The ranks and the world size come from MPI, which started the processes; ``rank`` and
    ``world_size`` (or the ``RANK``/``WORLD_SIZE`` variables torchrun sets) are checked against
    it. ``backend``: ``"mpi"`` (CPU tensors; ``"gloo"`` is accepted as its alias) or ``"nccl"``
    (CUDA tensors, one GPU per rank, bootstrapped over MPI).
    """
    if is_initialized():
        raise ValueError("trying to initialize the default process group twice!")
    world = _backend_class(backend).world()
    for name, given in (("world_size", world_size), ("rank", rank),
                        ("WORLD_SIZE", os.environ.get("WORLD_SIZE")), ("RANK", os.environ.get("RANK"))):
        actual = world.size() if name.lower() == "world_size" else world.rank()
        if given not in (None, -1) and int(given) != actual:
            raise ValueError(
                f"init_process_group: {name}={given} but MPI started this process as rank {world.rank()} of "
                f"{world.size()}: start the ranks with `python -m minitorch.distributed.run --nproc-per-node N "
                f"script.py` or `mpiexec -n N python script.py`")
    GroupMember.WORLD = ProcessGroup(world, range(world.size()), group_name or "0")
    _groups.append(GroupMember.WORLD)


def destroy_process_group(group=None):
    """Leave ``group``, or (None) every group and the world: ``init_process_group`` may run again."""
    if group is None or group is GroupMember.WORLD:
        if not is_initialized():
            raise AssertionError("Process group cannot be None")
        for pg in _groups:
            pg._backend.close()
        _groups.clear()
        GroupMember.WORLD = None
    elif group in _groups:
        group._backend.close()
        _groups.remove(group)
    else:
        raise ValueError("Invalid process group specified")


def _world():
    if not is_initialized():
        raise ValueError("Default process group has not been initialized, please make sure to call init_process_group.")
    return GroupMember.WORLD


def _resolve(group):
    """The ProcessGroup to use (the world for None); None when this rank is not a member."""
    if group is GroupMember.NON_GROUP_MEMBER:
        return None
    return _world() if group is None else group


def new_group(ranks=None, timeout=None, backend=None, pg_options=None, use_local_synchronization=False,
              group_desc=None, device_id=None, sort_ranks=True):
    """A group of some world ranks (all of them for None). Every rank must call it, members or not;
    non-members get ``GroupMember.NON_GROUP_MEMBER``."""
    world = _world()
    ranks = list(range(world.size())) if ranks is None else [int(r) for r in ranks]
    if sort_ranks:
        ranks = sorted(ranks)
    for r in ranks:
        if not 0 <= r < world.size():
            raise ValueError(f"new_group: rank {r} is not in the world of size {world.size()}")
    sub = world._backend.subgroup(ranks)
    if sub is None:
        return GroupMember.NON_GROUP_MEMBER
    pg = ProcessGroup(sub, ranks, group_desc or str(len(_groups)))
    _groups.append(pg)
    return pg


def get_rank(group=None):
    """This process's rank in ``group`` (the world by default); -1 if it is not a member."""
    pg = _resolve(group)
    return -1 if pg is None else pg.rank()


def get_world_size(group=None):
    """How many ranks ``group`` has (the world by default); -1 if this rank is not a member."""
    pg = _resolve(group)
    return -1 if pg is None else pg.size()


def get_backend(group=None):
    pg = _resolve(group)
    if pg is None:
        raise ValueError("Invalid process group specified")
    return pg.name()


def get_process_group_ranks(group):
    """The world ranks of ``group``, in group order."""
    return list(_resolve(group)._ranks)


# ---- tensors as buffers --------------------------------------------------------------------------

def _check_tensor(tensor, name):
    if not isinstance(tensor, Tensor):
        raise TypeError(f"Invalid function argument. Expected parameter `{name}` of type torch.Tensor\n"
                        f"             but got {type(tensor)} instead.")


def _check_list(tensors, name):
    if not isinstance(tensors, list) or not all(isinstance(t, Tensor) for t in tensors):
        raise TypeError(f"Invalid function argument. Expected parameter `{name}` of type List[torch.Tensor]\n"
                        f"             but got {type(tensors)} instead.")


def _check_device(pg, *tensors):
    wanted = "cuda" if pg.name() == "nccl" else "cpu"
    for t in tensors:
        if t.device.type != wanted:
            raise RuntimeError(f"No backend type associated with device type {t.device.type}")


def _fmt(shape):
    return "(" + ", ".join(map(str, shape)) + ")"


def _check_like(op, pg, tensors, like, what):
    """Every tensor of ``tensors`` has ``like``'s shape and dtype (torch's messages)."""
    for i, t in enumerate(tensors):
        if t.dtype is not like.dtype:
            raise ValueError(f"Invalid usage of tensors with different dtypesFound {t.dtype} and  {like.dtype}")
        if tuple(t.shape) != tuple(like.shape):
            raise RuntimeError(f"ProcessGroup{pg.name().upper()}::{op}: invalid tensor size at index {i} "
                               f"(expected {_fmt(like.shape)}, got {_fmt(t.shape)}) in {what}")


def _readable(tensor):
    """The tensor's elements as a contiguous array (its own memory when it is contiguous)."""
    return tensor._backend.xp.ascontiguousarray(tensor._array)


def _writable(tensor):
    """``(array, write_back)``: a contiguous array to receive into, and what copies it into the
    tensor afterwards. A contiguous tensor lends its own memory, so nothing is copied."""
    array = tensor._array
    if array.flags.c_contiguous and array.flags.writeable:
        return array, tensor._bump_version
    copy = tensor._backend.xp.ascontiguousarray(array)

    def write_back():
        tensor._array[...] = copy
        tensor._bump_version()
    return copy, write_back


def _into(tensors, blocks):
    """Copy ``blocks[i]`` into ``tensors[i]`` (a gather's output list)."""
    def finish():
        for t, block in zip(tensors, blocks):
            t._array[...] = block.reshape(t._array.shape)
            t._bump_version()
    return finish


def _run(pg, start, finish, tensors, async_op):
    """Start a call (``start(nonblocking)`` returns a request or None) and finish it now, or
    later through the returned ``Work``."""
    work = Work(pg._backend, start(async_op), finish, tensors)
    return work if async_op else None


def _group_for(name, group, devices=(), **tensors):
    """The group that call ``name`` runs on, once its ``tensors`` (argument name: value) are tensors
    and they and ``devices`` are on the group's device; None, after torch's warning, when this rank
    is not a member of ``group``."""
    for argument, tensor in tensors.items():
        _check_tensor(tensor, argument)
    pg = _resolve(group)
    if pg is None:
        warnings.warn(f"Running {name} on global rank {get_rank()} which does not belong to the given group.",
                      stacklevel=3)
        return None
    _check_device(pg, *tensors.values(), *devices)
    return pg


def _avg(buf, pg, op):
    """AVG is SUM divided by the group's size, done once the sum is there."""
    if op is RedOpType.AVG:
        if buf.dtype.kind == "f":
            buf /= pg.size()
        else:
            buf //= pg.size()


def _root(pg, rank, group_rank, what, op):
    if rank is not None and group_rank is not None:
        raise ValueError(f"Can't specify both {what} and group_{what}")
    if group_rank is not None:
        root = group_rank
    else:
        root = pg._group_rank(0 if rank is None else rank, what)
    if not 0 <= root < pg.size():
        raise RuntimeError(f"ProcessGroup{pg.name().upper()}::{op}: invalid root rank: {root}")
    return root


# ---- collectives -------------------------------------------------------------------------------

def all_reduce(tensor, op=ReduceOp.SUM, group=None, async_op=False):
    """Every rank's ``tensor`` becomes the reduction (``op``) of all ranks' tensors, in place."""
    pg = _group_for("all_reduce", group, tensor=tensor)
    if pg is None:
        return None
    buf, write_back = _writable(tensor)

    def finish():
        _avg(buf, pg, op)
        write_back()
    return _run(pg, lambda nb: pg._backend.allreduce(buf, op.name, nb), finish, [tensor], async_op)


def broadcast(tensor, src=None, group=None, async_op=False, group_src=None):
    """Every rank's ``tensor`` becomes rank ``src``'s (``src`` is a world rank)."""
    pg = _group_for("broadcast", group, tensor=tensor)
    if pg is None:
        return None
    root = _root(pg, src, group_src, "src", "broadcast")
    buf, write_back = _writable(tensor)
    return _run(pg, lambda nb: pg._backend.broadcast(buf, root, nb), write_back, [tensor], async_op)


def reduce(tensor, dst=None, op=ReduceOp.SUM, group=None, async_op=False, group_dst=None):
    """Rank ``dst``'s ``tensor`` becomes the reduction of all ranks' tensors (the others keep theirs)."""
    pg = _group_for("reduce", group, tensor=tensor)
    if pg is None:
        return None
    root = _root(pg, dst, group_dst, "dst", "reduce")
    buf, write_back = _writable(tensor)

    def finish():
        if pg.rank() == root:
            _avg(buf, pg, op)
            write_back()
    return _run(pg, lambda nb: pg._backend.reduce(buf, root, op.name, nb), finish, [tensor], async_op)


def all_gather(tensor_list, tensor, group=None, async_op=False):
    """``tensor_list[r]`` becomes rank r's ``tensor``, on every rank."""
    _check_list(tensor_list, "tensor_list")
    pg = _group_for("all_gather", group, devices=tensor_list, tensor=tensor)
    if pg is None:
        return None
    if len(tensor_list) != pg.size():
        raise RuntimeError(f"ProcessGroup{pg.name().upper()}::allgather: invalid output tensor list at index 0 "
                           f"(expected length {pg.size()}, got {len(tensor_list)})")
    _check_like("allgather", pg, tensor_list, tensor, "tensor_list")
    send = _readable(tensor)
    recv = tensor._backend.xp.empty((pg.size(),) + send.shape, send.dtype)
    return _run(pg, lambda nb: pg._backend.allgather(send, recv, nb), _into(tensor_list, recv), tensor_list,
                async_op)


def all_gather_into_tensor(output_tensor, input_tensor, group=None, async_op=False):
    """``output_tensor`` (``world_size`` times ``input_tensor``'s elements, concatenated along dim 0
    or stacked) becomes every rank's ``input_tensor`` in rank order."""
    pg = _group_for("all_gather_into_tensor", group, output_tensor=output_tensor, input_tensor=input_tensor)
    if pg is None:
        return None
    _check_blocks("all_gather_into_tensor", pg, big=output_tensor, small=input_tensor)
    send = _readable(input_tensor)
    recv, write_back = _writable(output_tensor)
    return _run(pg, lambda nb: pg._backend.allgather(send, recv, nb), write_back, [output_tensor], async_op)


def reduce_scatter_tensor(output, input, op=ReduceOp.SUM, group=None, async_op=False):
    """Reduce ``input`` over the ranks; rank r's ``output`` becomes block r of the result."""
    pg = _group_for("reduce_scatter_tensor", group, output=output, input=input)
    if pg is None:
        return None
    _check_blocks("reduce_scatter_tensor", pg, big=input, small=output)
    send = _readable(input)
    recv, write_back = _writable(output)

    def finish():
        _avg(recv, pg, op)
        write_back()
    return _run(pg, lambda nb: pg._backend.reduce_scatter(send, recv, op.name, nb), finish, [output], async_op)


def _check_blocks(op, pg, big, small):
    if big.dtype is not small.dtype:
        raise ValueError(f"Invalid usage of tensors with different dtypesFound {big.dtype} and  {small.dtype}")
    if big.numel() != pg.size() * small.numel():
        raise RuntimeError(f"{op}: the tensor of size {_fmt(big.shape)} must have world_size ({pg.size()}) times as "
                           f"many elements as the tensor of size {_fmt(small.shape)}")


def gather(tensor, gather_list=None, dst=None, group=None, async_op=False, group_dst=None):
    """On rank ``dst``, ``gather_list[r]`` becomes rank r's ``tensor``; the others pass no list."""
    pg = _group_for("gather", group, tensor=tensor)
    if pg is None:
        return None
    root = _root(pg, dst, group_dst, "dst", "gather")
    outputs = _root_list(pg, root, gather_list, "gather_list", "destination", tensor, "gather")
    send = _readable(tensor)
    recv = tensor._backend.xp.empty((pg.size(),) + send.shape, send.dtype) if outputs else None
    finish = _into(outputs, recv) if outputs else (lambda: None)
    return _run(pg, lambda nb: pg._backend.gather(send, recv, root, nb), finish, outputs, async_op)


def scatter(tensor, scatter_list=None, src=None, group=None, async_op=False, group_src=None):
    """Rank r's ``tensor`` becomes ``scatter_list[r]`` of rank ``src``; the others pass no list."""
    pg = _group_for("scatter", group, tensor=tensor)
    if pg is None:
        return None
    root = _root(pg, src, group_src, "src", "scatter")
    inputs = _root_list(pg, root, scatter_list, "scatter_list", "source", tensor, "scatter")
    send = tensor._backend.xp.stack([_readable(t) for t in inputs]) if inputs else None
    recv, write_back = _writable(tensor)
    return _run(pg, lambda nb: pg._backend.scatter(send, recv, root, nb), write_back, [tensor], async_op)


def _root_list(pg, root, tensors, name, role, like, op):
    """The list argument of gather/scatter: required (and checked) on the root, absent elsewhere."""
    if pg.rank() == root:
        if not tensors:
            raise ValueError(f"Argument ``{name}`` must be specified on {role} rank.")
        _check_list(tensors, name)
        _check_device(pg, *tensors)
        if len(tensors) != pg.size():
            raise RuntimeError(f"ProcessGroup{pg.name().upper()}::{op}: incorrect {name} size {len(tensors)}, "
                               f"must be the group size {pg.size()}")
        _check_like(op, pg, tensors, like, name)
        return tensors
    if tensors:
        raise ValueError(f"Argument ``{name}`` must NOT be specified on non-{role} ranks.")
    return []


def barrier(group=None, async_op=False, device_ids=None, timeout=None):
    """Wait until every rank of the group has reached this call."""
    pg = _group_for("barrier", group)
    if pg is None:
        return None
    return _run(pg, pg._backend.barrier, lambda: None, [], async_op)


# ---- point to point ------------------------------------------------------------------------------

def _peer(pg, rank, group_rank, what):
    if rank is not None and group_rank is not None:
        raise ValueError(f"Can't specify both {what} and group_{what}")
    peer = group_rank if group_rank is not None else pg._group_rank(rank, what)
    if not 0 <= peer < pg.size():
        raise ValueError(f"Group rank {peer} is not part of group {pg}")
    return peer


def isend(tensor, dst=None, group=None, tag=0, group_dst=None):
    """Start sending ``tensor`` to rank ``dst``; returns a ``Work`` (don't change ``tensor`` before ``wait``)."""
    pg = _group_for("isend", group, tensor=tensor)
    if pg is None:
        return None
    peer, buf = _peer(pg, dst, group_dst, "dst"), _readable(tensor)
    return Work(pg._backend, pg._backend.send(buf, peer, tag, True), lambda: None, [tensor])


def irecv(tensor, src=None, group=None, tag=0, group_src=None):
    """Start receiving into ``tensor`` from rank ``src`` (None: any rank); returns a ``Work``."""
    pg = _group_for("irecv", group, tensor=tensor)
    if pg is None:
        return None
    peer = None if src is None and group_src is None else _peer(pg, src, group_src, "src")
    buf, write_back = _writable(tensor)
    return Work(pg._backend, pg._backend.recv(buf, peer, tag, True), write_back, [tensor])


def send(tensor, dst=None, group=None, tag=0, group_dst=None):
    """Send ``tensor`` to rank ``dst``; returns when it may be changed again."""
    pg = _resolve(group)
    if pg is not None and dst is not None and dst == get_rank():
        raise ValueError("Invalid destination rank: destination rank should not be the same as the rank of the "
                         "current process.")
    work = isend(tensor, dst, group, tag, group_dst)
    if work is not None:
        work.wait()


def recv(tensor, src=None, group=None, tag=0, group_src=None):
    """Receive into ``tensor`` from rank ``src`` (None: any rank); returns the sender's world rank."""
    work = irecv(tensor, src, group, tag, group_src)
    if work is None:
        return -1
    work.wait()
    pg = _resolve(group)
    if src is not None:
        return src
    return pg._ranks[group_src if group_src is not None else work._source_rank()]
