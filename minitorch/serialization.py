"""``minitorch.save`` / ``minitorch.load``: checkpoints without pickle.

``torch.save`` pickles, and unpickling a file can run any code its author chose. minitorch
stores *data only*, so loading an untrusted checkpoint is safe. A file is a zip archive::

    data.json       {"format": "minitorch", "version": 1, "root": <node>}
    arrays/0.npy    one array per distinct tensor (numpy's .npy format, read with allow_pickle=False)

where each node describes one value::

    {"type": "none"}                            {"type": "bool" | "int" | "str", "value": ...}
    {"type": "float", "value": 0.5}             (non-finite floats as "inf", "-inf", "nan")
    {"type": "list" | "tuple", "items": [<node>, ...]}
    {"type": "dict" | "OrderedDict" | "Counter", "keys": [<node>, ...], "values": [<node>, ...]}
    {"type": "tensor", "array": 0, "dtype": "float32", "shape": [2, 3], "device": "cpu",
     "requires_grad": false, "parameter": false}
    {"type": "ndarray", "array": 1}             {"type": "dtype" | "device", "value": "float32"}

Saving to a path is atomic: the archive is written to a temporary file next to it, flushed to
disk, then renamed over the target - a crash mid-save leaves the previous checkpoint intact.

>>> import io, minitorch as torch
>>> buffer = io.BytesIO()
>>> torch.save({"w": torch.tensor([1.0, 2.0]), "epoch": 3}, buffer)
>>> torch.load(io.BytesIO(buffer.getvalue()))
{'w': tensor([1., 2.]), 'epoch': 3}
"""

from __future__ import annotations

import io
import json
import math
import os
import secrets
import zipfile
from collections import Counter, OrderedDict, defaultdict

import numpy as np

from . import _dtypes
from ._device import device as _device_class
from ._tensor import Tensor
from .ops import creation

FORMAT, VERSION = "minitorch", 1
_MAPPINGS = {"dict": dict, "OrderedDict": OrderedDict, "Counter": Counter}
_LEAVES = (type(None), bool, int, float, str)


# ---- saving ---------------------------------------------------------------------------------------

def save(obj, f, pickle_module=None, pickle_protocol=2, _use_new_zipfile_serialization=True):
    """Save ``obj`` - tensors, numbers, strings, None, dtypes, devices, numpy arrays, and lists,
    tuples and dicts of them (state dicts, optimizer states, checkpoints) - to ``f``, a path or a
    writable binary file object. ``pickle_module`` and the other torch options are accepted and
    ignored: nothing is ever pickled.

    >>> import minitorch as torch, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "ckpt.pt")
    >>> torch.save({"step": 10, "weights": [torch.zeros(2)]}, path)
    >>> torch.load(path)["weights"]
    [tensor([0., 0.])]
    """
    arrays = []
    root = _Encoder(arrays).encode(obj, "obj")
    if isinstance(f, (str, os.PathLike)):
        _atomic_write(os.fspath(f), lambda file: _write_archive(file, root, arrays))
    else:
        buffer = io.BytesIO()  # build it completely first: a failure must not leave half an archive in f
        _write_archive(buffer, root, arrays)
        f.write(buffer.getvalue())


class _Encoder:
    """Turns a Python object into JSON nodes, collecting the arrays of its tensors."""

    def __init__(self, arrays):
        self.arrays = arrays
        self.seen = {}  # id(tensor) -> array index: a tensor saved twice is loaded as one tensor

    def encode(self, obj, where):
        if obj is None:
            return {"type": "none"}
        if isinstance(obj, (bool, np.bool_)):
            return {"type": "bool", "value": bool(obj)}
        if isinstance(obj, (int, np.integer)):
            return {"type": "int", "value": int(obj)}
        if isinstance(obj, (float, np.floating)):
            value = float(obj)
            return {"type": "float", "value": value if math.isfinite(value) else repr(value)}
        if isinstance(obj, str):
            return {"type": "str", "value": obj}
        if isinstance(obj, Tensor):
            return self.tensor(obj)
        if isinstance(obj, np.ndarray):
            return {"type": "ndarray", "array": self.add_array(obj, where)}
        if isinstance(obj, _dtypes.dtype):
            return {"type": "dtype", "value": obj.name}
        if isinstance(obj, _device_class):
            return {"type": "device", "value": str(obj)}
        if type(obj) in (list, tuple):
            return {"type": type(obj).__name__,
                    "items": [self.encode(item, f"{where}[{i}]") for i, item in enumerate(obj)]}
        if type(obj) in (*_MAPPINGS.values(), defaultdict):
            kind = "dict" if type(obj) is defaultdict else type(obj).__name__  # a default factory is code
            return {"type": kind, "keys": [self.key(k, where) for k in obj],
                    "values": [self.encode(v, f"{where}[{k!r}]") for k, v in obj.items()]}
        if callable(getattr(obj, "state_dict", None)):
            kind = type(obj).__name__
            raise TypeError(
                f"minitorch.save cannot save a whole {kind} object ({where}): minitorch never pickles, so it saves "
                f"only data, not classes or code. Save its state dict instead - minitorch.save(model.state_dict(), "
                f"PATH) - and restore it into a newly built {kind} with "
                f"model.load_state_dict(minitorch.load(PATH)).")
        raise TypeError(
            f"minitorch.save cannot save an object of type {type(obj).__module__}.{type(obj).__qualname__} "
            f"({where}). It saves tensors, numpy arrays, numbers, strings, None, dtypes, devices, and lists, "
            f"tuples and dicts of them.")

    def key(self, key, where):
        if not isinstance(key, (*_LEAVES, tuple)) or (isinstance(key, tuple) and
                                                       not all(isinstance(k, _LEAVES) for k in key)):
            raise TypeError(f"minitorch.save cannot save the dict key {key!r} ({where}): keys must be strings, "
                            "numbers, None, or tuples of them.")
        return self.encode(key, where)

    def add_array(self, array, where):
        if array.dtype.hasobject:
            raise TypeError(f"minitorch.save cannot save a numpy array of Python objects ({where})")
        self.arrays.append(array)
        return len(self.arrays) - 1

    def tensor(self, t):
        from .nn.parameter import Parameter

        if id(t) not in self.seen:
            self.seen[id(t)] = self.add_array(t.detach().cpu().numpy(), "")
        return {"type": "tensor", "array": self.seen[id(t)], "dtype": t.dtype.name, "shape": list(t.shape),
                "device": str(t.device), "requires_grad": t.requires_grad, "parameter": isinstance(t, Parameter)}


def _entry(name):
    # A fixed timestamp: saving the same object twice gives the same bytes (checksums stay stable).
    return zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))


def _write_archive(file, root, arrays):
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(_entry("data.json"), json.dumps({"format": FORMAT, "version": VERSION, "root": root},
                                                         allow_nan=False))
        for i, array in enumerate(arrays):
            with archive.open(_entry(f"arrays/{i}.npy"), "w", force_zip64=True) as entry:
                np.save(entry, array, allow_pickle=False)


def _atomic_write(path, write):
    """Write through a temporary file in the same directory, then rename it over ``path``."""
    directory, name = os.path.split(os.path.abspath(path))
    tmp = os.path.join(directory, f".{name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "xb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())  # the bytes are on disk before the rename makes them visible
        os.replace(tmp, path)  # atomic: readers see the old file or the new one, never a mix
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# ---- loading --------------------------------------------------------------------------------------

def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None, **pickle_load_args):
    """Load what ``minitorch.save`` wrote, from a path or a readable binary file object.

    ``map_location`` moves tensors: a device or string (``'cpu'``), a dict from saved to wanted
    location (``{'cuda:0': 'cpu'}``), or a callable ``(tensor, saved_location) -> tensor or None``.
    Loading never executes code from the file; a truncated, corrupted or foreign file (including
    pickles written by ``torch.save``) raises a RuntimeError that says what is wrong.
    """
    name = f"'{os.fspath(f)}'" if isinstance(f, (str, os.PathLike)) else "the file"
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as file:
            data = file.read()
    else:
        data = f.read()
    try:
        return _Decoder(_open_archive(data), map_location).decode_file()
    except _BadFile as error:
        raise RuntimeError(f"minitorch.load: {name} {error}") from None
    except RecursionError:
        raise RuntimeError(f"minitorch.load: {name} is corrupted: data.json is nested too deeply.") from None


class _BadFile(Exception):
    """Why a file is not a readable minitorch checkpoint (becomes a RuntimeError naming the file)."""


_NEVER_UNPICKLE = ("minitorch never unpickles, because loading a pickle can run arbitrary code. Load it with "
                   "PyTorch and re-save the tensors you need with minitorch.save (for a state dict: "
                   "minitorch.save({k: minitorch.tensor(v.numpy()) for k, v in sd.items()}, PATH)).")


def _open_archive(data):
    if len(data) == 0:
        raise _BadFile("is empty (0 bytes): was the save interrupted?")
    if data[:1] == b"\x80":  # the PROTO opcode that starts every pickle of protocol 2 and later
        raise _BadFile("is a pickle file (as written by torch.save(..., _use_new_zipfile_serialization=False) or "
                       "pickle.dump), not a minitorch checkpoint. " + _NEVER_UNPICKLE)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data[:4] == b"PK\x03\x04":
            raise _BadFile("is a truncated or corrupted zip archive: the checkpoint is incomplete.")
        raise _BadFile("is not a minitorch checkpoint (it is not a zip archive; it starts with "
                       f"{data[:8]!r}).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise _BadFile(f"is a corrupted zip archive ({error}).") from None
    names = archive.namelist()
    if "data.json" not in names:
        if any(n == "data.pkl" or n.endswith("/data.pkl") for n in names):
            raise _BadFile("was written by torch.save: its contents are a pickle (data.pkl). " + _NEVER_UNPICKLE)
        raise _BadFile("is a zip archive but not a minitorch checkpoint (it has no data.json).")
    return archive


def _read_entry(archive, name):
    try:
        return archive.read(name)
    except KeyError:
        raise _BadFile(f"is corrupted: the archive has no entry {name!r}.") from None
    except (zipfile.BadZipFile, OSError, EOFError) as error:  # CRC mismatch, bad header...
        raise _BadFile(f"is corrupted: entry {name!r} cannot be read ({error}).") from None


class _Decoder:
    """Rebuilds the saved object, checking every node against the format described above."""

    FIELDS = {"none": set(), "bool": {"value"}, "int": {"value"}, "float": {"value"}, "str": {"value"},
              "list": {"items"}, "tuple": {"items"}, "dict": {"keys", "values"}, "OrderedDict": {"keys", "values"},
              "Counter": {"keys", "values"}, "ndarray": {"array"}, "dtype": {"value"}, "device": {"value"},
              "tensor": {"array", "dtype", "shape", "device", "requires_grad", "parameter"}}

    def __init__(self, archive, map_location):
        self.archive, self.map_location = archive, map_location
        self.tensors = {}  # array index -> tensor, so a tensor saved twice is one tensor again

    def decode_file(self):
        try:
            header = json.loads(_read_entry(self.archive, "data.json"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise _BadFile(f"is corrupted: data.json is not valid JSON ({error}).") from None
        if not isinstance(header, dict) or set(header) != {"format", "version", "root"} \
                or header["format"] != FORMAT:
            raise _BadFile("is not a minitorch checkpoint (data.json lacks the minitorch header).")
        if header["version"] != VERSION:
            raise _BadFile(f"uses format version {header['version']!r}; this minitorch reads version {VERSION}.")
        return self.decode(header["root"])

    def decode(self, node):
        kind = node.get("type") if isinstance(node, dict) else None
        if kind not in self.FIELDS or set(node) != {"type"} | self.FIELDS[kind]:
            raise _BadFile(f"is corrupted: unexpected entry {_short(node)} in data.json.")
        return getattr(self, "_" + kind.lower())(node)

    def _check(self, ok, node):
        if not ok:
            raise _BadFile(f"is corrupted: invalid entry {_short(node)} in data.json.")

    def _none(self, node):
        return None

    def _bool(self, node):
        self._check(isinstance(node["value"], bool), node)
        return node["value"]

    def _int(self, node):
        self._check(type(node["value"]) is int, node)
        return node["value"]

    def _float(self, node):
        value = node["value"]
        self._check(type(value) in (int, float) or value in ("inf", "-inf", "nan"), node)
        return float(value)

    def _str(self, node):
        self._check(isinstance(node["value"], str), node)
        return node["value"]

    def _list(self, node):
        self._check(isinstance(node["items"], list), node)
        return [self.decode(item) for item in node["items"]]

    def _tuple(self, node):
        return tuple(self._list(node))

    def _dict(self, node):
        keys, values = node["keys"], node["values"]
        self._check(isinstance(keys, list) and isinstance(values, list) and len(keys) == len(values), node)
        keys = [self.decode(k) for k in keys]
        try:
            mapping = dict(zip(keys, (self.decode(v) for v in values)))
        except TypeError:  # a key that cannot be hashed (a list inside a tuple...)
            raise _BadFile(f"is corrupted: invalid dict key in {_short(node)}.") from None
        return _MAPPINGS[node["type"]](mapping)

    _ordereddict = _counter = _dict

    def _dtype(self, node):
        self._check(node["value"] in {d.name for d in _dtypes.ALL}, node)
        return _dtypes.to_dtype(node["value"])

    def _device(self, node):
        return self.device_of(node)

    def device_of(self, node):
        try:  # only parse: a cuda device is a valid value even where there is no GPU
            return _device_class(node["value"] if "value" in node else node["device"])
        except (RuntimeError, TypeError, ValueError, AttributeError):
            raise _BadFile(f"is corrupted: invalid device in {_short(node)}.") from None

    def _ndarray(self, node):
        return self.array(node)

    def array(self, node):
        index = node["array"]
        self._check(type(index) is int, node)
        raw = _read_entry(self.archive, f"arrays/{index}.npy")
        try:
            return np.load(io.BytesIO(raw), allow_pickle=False)
        except ValueError as error:  # includes numpy's refusal to unpickle object arrays
            raise _BadFile(f"is corrupted: arrays/{index}.npy is not a valid array ({error}).") from None

    def _tensor(self, node):
        self._check(node["dtype"] in {d.name for d in _dtypes.ALL} and isinstance(node["shape"], list)
                    and isinstance(node["requires_grad"], bool) and isinstance(node["parameter"], bool), node)
        if node["array"] in self.tensors:
            return self.tensors[node["array"]]
        array, dtype = self.array(node), _dtypes.to_dtype(node["dtype"])
        self._check(array.dtype == dtype.np and list(array.shape) == node["shape"], node)
        tensor = self.place(creation.from_numpy(array), self.device_of(node))
        if node["parameter"]:
            from .nn.parameter import Parameter

            tensor = Parameter(tensor, node["requires_grad"])
        elif node["requires_grad"]:
            tensor.requires_grad_()
        self.tensors[node["array"]] = tensor
        return tensor

    def place(self, tensor, saved):
        """Move a loaded (CPU) tensor saved on device ``saved`` where ``map_location`` says, as torch.load does."""
        location = self.map_location
        if callable(location) and not isinstance(location, (str, _device_class)):
            moved = location(tensor, str(saved))  # torch passes (storage, location); here it is a tensor
            return moved if isinstance(moved, Tensor) else tensor.to(saved)
        if isinstance(location, dict):
            target = _device_class(location.get(str(saved), saved))
        else:
            target = saved if location is None else _device_class(location)
        if target.type == "cuda":
            from . import cuda

            if not cuda.is_available():
                raise RuntimeError(
                    "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. If "
                    "you are running on a CPU-only machine, please use torch.load with "
                    "map_location=torch.device('cpu') to map your storages to the CPU.")
        return tensor.to(target)


def _short(node):
    """The start of a node's JSON, to show in an error message."""
    text = json.dumps(node)
    return text if len(text) <= 80 else text[:77] + "..."


__all__ = ["save", "load"]
