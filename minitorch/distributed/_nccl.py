"""The GPU backend: collectives on CuPy arrays through NCCL (``cupy.cuda.nccl``), one GPU per rank.

NCCL needs every rank to agree on one id before it can talk; MPI (which started the ranks)
carries that id from rank 0 to the others, then all data moves GPU to GPU through NCCL. NCCL calls
are queued on the current CUDA stream and return at once: a "request" here is a CUDA event
recorded after the call, and waiting for it waits for the data. Same methods as ``_mpi.MPIBackend``.

Unverified on hardware in this repository's CI (no GPU there): the tests are marked ``cuda``.
"""

from __future__ import annotations

import os

from .._optional import require
from ._mpi import MPI

cupy = require("cupy", extra="gpu", feature='minitorch.distributed\'s "nccl" backend')
nccl = require("cupy.cuda.nccl", extra="gpu", feature='minitorch.distributed\'s "nccl" backend')

_TYPES = {"float16": nccl.NCCL_FLOAT16, "float32": nccl.NCCL_FLOAT32, "float64": nccl.NCCL_FLOAT64,
          "int8": nccl.NCCL_INT8, "uint8": nccl.NCCL_UINT8, "int32": nccl.NCCL_INT32, "int64": nccl.NCCL_INT64,
          "bool": nccl.NCCL_UINT8}
_OPS = {"SUM": nccl.NCCL_SUM, "AVG": nccl.NCCL_SUM, "PRODUCT": nccl.NCCL_PROD, "MIN": nccl.NCCL_MIN,
        "MAX": nccl.NCCL_MAX}
_BOOL_OPS = {"SUM": "MAX", "PRODUCT": "MIN"}  # on 0/1 bytes: or = max, and = min


def _type(array):
    try:
        return _TYPES[array.dtype.name]
    except KeyError:
        raise RuntimeError(f"NCCL has no type for {array.dtype.name} tensors") from None


def _op(op, array):
    op = _BOOL_OPS.get(op, op) if array.dtype.name == "bool" else op
    if op not in _OPS:
        raise RuntimeError(f"ReduceOp.{op} is not supported by the NCCL backend")
    return _OPS[op]


class NCCLBackend:
    """An NCCL communicator over the GPUs of some ranks (plus the MPI one that set it up)."""

    name = "nccl"

    def __init__(self, mpi_comm):
        self.mpi = mpi_comm
        unique_id = mpi_comm.bcast(nccl.get_unique_id() if mpi_comm.Get_rank() == 0 else None, root=0)
        self.comm = nccl.NcclCommunicator(mpi_comm.Get_size(), unique_id, mpi_comm.Get_rank())

    @classmethod
    def world(cls):
        local_rank = int(os.environ.get("LOCAL_RANK", MPI.COMM_WORLD.Get_rank() % cupy.cuda.runtime.getDeviceCount()))
        cupy.cuda.Device(local_rank).use()  # one GPU per rank
        return cls(MPI.COMM_WORLD)

    def rank(self):
        return self.comm.rank_id()

    def size(self):
        return self.comm.size()

    def subgroup(self, ranks):
        me = self.mpi.Get_rank()
        sub = self.mpi.Split(0 if me in ranks else MPI.UNDEFINED, ranks.index(me) if me in ranks else 0)
        return None if sub == MPI.COMM_NULL else NCCLBackend(sub)

    def _queued(self, nonblocking):
        """The event to wait on (nonblocking) or None after waiting now."""
        event = cupy.cuda.Event()
        event.record()
        if nonblocking:
            return event
        event.synchronize()
        return None

    @staticmethod
    def _stream():
        return cupy.cuda.get_current_stream().ptr

    def allreduce(self, buf, op, nonblocking=False):
        self.comm.allReduce(buf.data.ptr, buf.data.ptr, buf.size, _type(buf), _op(op, buf), self._stream())
        return self._queued(nonblocking)

    def broadcast(self, buf, root, nonblocking=False):
        self.comm.broadcast(buf.data.ptr, buf.data.ptr, buf.size, _type(buf), root, self._stream())
        return self._queued(nonblocking)

    def reduce(self, buf, root, op, nonblocking=False):
        self.comm.reduce(buf.data.ptr, buf.data.ptr, buf.size, _type(buf), _op(op, buf), root, self._stream())
        return self._queued(nonblocking)

    def allgather(self, send, recv, nonblocking=False):
        self.comm.allGather(send.data.ptr, recv.data.ptr, send.size, _type(send), self._stream())
        return self._queued(nonblocking)

    def reduce_scatter(self, send, recv, op, nonblocking=False):
        self.comm.reduceScatter(send.data.ptr, recv.data.ptr, recv.size, _type(send), _op(op, send), self._stream())
        return self._queued(nonblocking)

    def gather(self, send, recv, root, nonblocking=False):
        """NCCL has no gather: the root receives a block from every rank in one NCCL group call."""
        nccl.groupStart()
        if self.rank() == root:
            for r in range(self.size()):
                if r == root:
                    recv[r] = send
                else:
                    self.comm.recv(recv[r].data.ptr, send.size, _type(send), r, self._stream())
        else:
            self.comm.send(send.data.ptr, send.size, _type(send), root, self._stream())
        nccl.groupEnd()
        return self._queued(nonblocking)

    def scatter(self, send, recv, root, nonblocking=False):
        nccl.groupStart()
        if self.rank() == root:
            for r in range(self.size()):
                if r == root:
                    recv[...] = send[r]
                else:
                    self.comm.send(send[r].data.ptr, recv.size, _type(recv), r, self._stream())
        else:
            self.comm.recv(recv.data.ptr, recv.size, _type(recv), root, self._stream())
        nccl.groupEnd()
        return self._queued(nonblocking)

    def barrier(self, nonblocking=False):
        return self.allreduce(cupy.zeros(1, cupy.float32), "SUM", nonblocking)

    def send(self, buf, dst, tag, nonblocking=False):
        self.comm.send(buf.data.ptr, buf.size, _type(buf), dst, self._stream())
        return self._queued(nonblocking)

    def recv(self, buf, src, tag, nonblocking=False):
        if src is None:
            raise RuntimeError("the NCCL backend cannot receive from any source: give src")
        self.comm.recv(buf.data.ptr, buf.size, _type(buf), src, self._stream())
        request = self._queued(nonblocking)
        return request if nonblocking else src

    @staticmethod
    def wait(event):
        event.synchronize()
        return -1

    @staticmethod
    def test(event):
        return event.done

    def close(self):
        self.comm.destroy()
