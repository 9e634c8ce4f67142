"""``minitorch.distributed``: ``torch.distributed``'s API for data-parallel training on several processes.

Start N processes of one script with the launcher (or a plain ``mpiexec -n N python script.py``)::

    python -m minitorch.distributed.run --nproc-per-node 2 train.py

and in the script::

    import minitorch as torch, minitorch.distributed as dist
    dist.init_process_group("mpi")             # "nccl" for one GPU per rank
    model = torch.nn.parallel.DistributedDataParallel(model)

CPU tensors travel through MPI (``pip install "minitorch-kit[distributed]"``: mpi4py and the
mpich wheel), CUDA tensors through NCCL (CuPy). Importing this package needs neither: the first
``init_process_group`` loads its backend.
"""

from .distributed_c10d import (GroupMember, ProcessGroup, RedOpType, ReduceOp, Work, all_gather,
                               all_gather_into_tensor, all_reduce, barrier, broadcast, destroy_process_group, gather,
                               get_backend, get_process_group_ranks, get_rank, get_world_size, group,
                               init_process_group, irecv, is_available, is_initialized, is_mpi_available,
                               is_nccl_available, isend, new_group, recv, reduce, reduce_scatter_tensor, scatter,
                               send)

__all__ = ["GroupMember", "ProcessGroup", "RedOpType", "ReduceOp", "Work", "all_gather", "all_gather_into_tensor",
           "all_reduce", "barrier", "broadcast", "destroy_process_group", "gather", "get_backend",
           "get_process_group_ranks", "get_rank", "get_world_size", "group", "init_process_group", "irecv",
           "is_available", "is_initialized", "is_mpi_available", "is_nccl_available", "isend", "new_group", "recv",
           "reduce", "reduce_scatter_tensor", "scatter", "send"]
