"""The CPU backend: collectives on numpy arrays through MPI (mpi4py with the ``mpich`` wheel).

Every method takes contiguous numpy arrays (the tensors' own memory where it can, see
``distributed_c10d._Buffer``) and calls the MPI routine of the same name with upper-case
buffers (``Allreduce``, not ``allreduce``): those send the raw bytes, never pickles. With
``nonblocking=True`` a collective starts and returns MPI's request (``Iallreduce`` ...), which
``Work.wait()`` finishes later; this is how DDP overlaps gradient averaging with backward.
"""

from __future__ import annotations

import numpy as np

from .._optional import require

MPI = require("mpi4py.MPI", extra="distributed", feature="minitorch.distributed (the mpi backend)")


class MPIBackend:
    """One MPI communicator: the world, or the ranks of a ``new_group``."""

    name = "mpi"

    def __init__(self, comm):
        self.comm = comm

    @classmethod
    def world(cls):
        return cls(MPI.COMM_WORLD)

    def rank(self):
        return self.comm.Get_rank()

    def size(self):
        return self.comm.Get_size()

    def subgroup(self, ranks):
        """The communicator of ``ranks`` (world ranks, in the group's order); None on the others.
        Every rank of this communicator must call it (MPI_Comm_split is collective)."""
        me = self.rank()
        color = 0 if me in ranks else MPI.UNDEFINED
        comm = self.comm.Split(color, ranks.index(me) if me in ranks else 0)
        return None if comm == MPI.COMM_NULL else MPIBackend(comm)

    # MPI has no SUM/PRODUCT on booleans; torch's bool reductions are logical or / and.
    _BOOL_OPS = {"SUM": "LOR", "MAX": "LOR", "PRODUCT": "LAND", "MIN": "LAND"}

    def _op(self, op, dtype):
        name = self._BOOL_OPS.get(op, op) if dtype == np.bool_ else op
        return {"SUM": MPI.SUM, "AVG": MPI.SUM, "PRODUCT": MPI.PROD, "MIN": MPI.MIN, "MAX": MPI.MAX,
                "BAND": MPI.BAND, "BOR": MPI.BOR, "BXOR": MPI.BXOR, "LOR": MPI.LOR, "LAND": MPI.LAND}[name]

    # ---- collectives: each returns an MPI request when nonblocking, else None ----------------
    def allreduce(self, buf, op, nonblocking=False):
        call = self.comm.Iallreduce if nonblocking else self.comm.Allreduce
        return call(MPI.IN_PLACE, buf, op=self._op(op, buf.dtype))

    def broadcast(self, buf, root, nonblocking=False):
        return (self.comm.Ibcast if nonblocking else self.comm.Bcast)(buf, root=root)

    def reduce(self, buf, root, op, nonblocking=False):
        call = self.comm.Ireduce if nonblocking else self.comm.Reduce
        send = MPI.IN_PLACE if self.rank() == root else buf
        return call(send, buf if self.rank() == root else None, op=self._op(op, buf.dtype), root=root)

    def allgather(self, send, recv, nonblocking=False):
        """``recv`` (world size x send's elements) receives every rank's ``send`` in rank order."""
        return (self.comm.Iallgather if nonblocking else self.comm.Allgather)(send, recv)

    def reduce_scatter(self, send, recv, op, nonblocking=False):
        """Reduce ``send`` over ranks; rank r keeps block r (``recv``'s size) of the result."""
        call = self.comm.Ireduce_scatter_block if nonblocking else self.comm.Reduce_scatter_block
        return call(send, recv, op=self._op(op, send.dtype))

    def gather(self, send, recv, root, nonblocking=False):
        """``recv`` (only used at ``root``) receives every rank's ``send`` in rank order."""
        return (self.comm.Igather if nonblocking else self.comm.Gather)(send, recv, root=root)

    def scatter(self, send, recv, root, nonblocking=False):
        """Rank r receives block r of ``send`` (only read at ``root``) into ``recv``."""
        return (self.comm.Iscatter if nonblocking else self.comm.Scatter)(send, recv, root=root)

    def barrier(self, nonblocking=False):
        return self.comm.Ibarrier() if nonblocking else self.comm.Barrier()

    # ---- point to point ----------------------------------------------------------------------
    def send(self, buf, dst, tag, nonblocking=False):
        return (self.comm.Isend if nonblocking else self.comm.Send)(buf, dest=dst, tag=tag)

    def recv(self, buf, src, tag, nonblocking=False):
        """Receive into ``buf`` from ``src`` (None: any rank). Blocking: returns the sender's rank."""
        src = MPI.ANY_SOURCE if src is None else src
        if nonblocking:
            return self.comm.Irecv(buf, source=src, tag=tag)
        status = MPI.Status()
        self.comm.Recv(buf, source=src, tag=tag, status=status)
        return status.Get_source()

    @staticmethod
    def wait(request):
        """Finish a nonblocking call; returns the sender's rank for a receive."""
        status = MPI.Status()
        request.Wait(status)
        return status.Get_source()

    @staticmethod
    def test(request):
        return request.Test()

    def close(self):
        if self.comm not in (MPI.COMM_WORLD, MPI.COMM_NULL):
            self.comm.Free()
