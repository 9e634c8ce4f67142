"""``minitorch.device``: where a tensor's storage lives ("cpu" or "cuda:N")."""

from __future__ import annotations


class device:
    """A device, parsed like PyTorch's: ``device("cuda:0")``, ``device("cuda", 0)``, ``device("cpu")``.

    >>> device("cuda:1").index, device("cpu")
    (1, device(type='cpu'))
    """

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        elif isinstance(type, int):
            type, index = "cuda", type
        elif ":" in type:
            type, idx = type.split(":", 1)
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}:{idx}'")
            index = int(idx)
        if type not in ("cpu", "cuda"):
            raise RuntimeError(f"Expected one of {_TORCH_DEVICE_TYPES} device type at start of device string: {type}")
        self.type, self.index = type, index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):  # like torch, a device never equals a string: device("cpu") != "cpu"
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))


# The list torch's message names (minitorch itself has only cpu and cuda).
_TORCH_DEVICE_TYPES = ("cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, "
                       "vulkan, mps, meta, hpu, mtia, privateuseone")

CPU = device("cpu")
_default_device = [CPU]  # where factory functions put tensors when no device is given


def set_default_device(d):
    """Make factory functions (``zeros``, ``rand``, ``tensor``...) create tensors on ``d`` by default."""
    _default_device[0] = CPU if d is None else as_device(d)


def get_default_device():
    """The device factory functions use when none is given (``cpu`` unless set)."""
    return _default_device[0]


def as_device(d):
    """Normalise user input (None, str, int, device) to a device with a concrete cuda index.

    Asking for cuda where there is none raises the RuntimeError that says how to install it.
    """
    if d is None:
        return _default_device[0]
    if d is CPU:
        return CPU
    d = d if isinstance(d, device) else device(d)
    if d.type == "cpu":  # there is one CPU: "cpu:0" is just "cpu"
        return CPU
    if d.type == "cuda":
        from . import cuda

        if not cuda.is_available():
            raise RuntimeError(cuda._GPU_HELP)
        if d.index is None:
            return device("cuda", cuda.current_device())
    return d
