"""``minitorch.save`` / ``minitorch.load``: checkpoints without pickle.

``torch.save`` pickles, and unpickling a file can run any code its author chose. minitorch
stores *data only*, so loading an untrusted checkpoint is safe. A file is a zip archive::

    data.json       {"format": "minitorch", "version": 1, "root": <node>}
    arrays/0.npy    one array per distinct tensor (numpy's .npy format, never with Python objects)

with every entry stored uncompressed. ``load`` checks all of it before it trusts any of it (see its
docstring): a damaged or hostile file raises one RuntimeError and never runs code.

where each node describes one value::

    {"type": "none"}                            {"type": "bool" | "int" | "str", "value": ...}
    {"type": "float", "value": 0.5}             (non-finite floats as "inf", "-inf", "nan")
    {"type": "list" | "tuple", "items": [<node>, ...]}
    {"type": "dict" | "OrderedDict" | "Counter", "keys": [<node>, ...], "values": [<node>, ...]}
    {"type": "tensor", "array": 0, "dtype": "float32", "shape": [2, 3], "device": "cpu",
     "requires_grad": false, "parameter": false}
    {"type": "ndarray", "array": 1}             {"type": "dtype" | "device", "value": "float32"}

Saving to a path is atomic: the archive is written to a temporary file next to it, flushed to
disk, then renamed over the target - a crash mid-save leaves the previous checkpoint intact, and
the next save to that path removes the crashed save's temporary file.

>>> import io, minitorch as torch
>>> buffer = io.BytesIO()
>>> torch.save({"w": torch.tensor([1.0, 2.0]), "epoch": 3}, buffer)
>>> torch.load(io.BytesIO(buffer.getvalue()))
{'w': tensor([1., 2.]), 'epoch': 3}
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import math
import os
import re
import secrets
import stat
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
    """Write through a temporary file in the same directory, then rename it over ``path``.

    As with torch.save (which opens the path for writing), a symlink is written through rather than
    replaced, and an existing file keeps its permission bits. A temporary file's name carries the id of
    the process writing it, so the next save to the same path removes those that killed saves left.
    """
    path = os.path.realpath(path)  # the file a symlink points to is the one to replace
    directory, name = os.path.split(path)
    _remove_stale_temporaries(directory, name)
    tmp = os.path.join(directory, f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = None  # a new file gets the usual 0o666 minus the umask, as open() would give it
    if mode is not None and not os.access(path, os.W_OK):  # open(path, "wb") would refuse: so do we
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o666 if mode is None else 0o600)
        with open(fd, "wb") as file:
            if mode is not None:  # before any byte is written: a private checkpoint never becomes readable
                with contextlib.suppress(OSError):  # some mounts (FUSE drives) refuse chmod: the file stays 0o600
                    os.chmod(tmp, mode)
            write(file)
            file.flush()
            os.fsync(file.fileno())  # the bytes are on disk before the rename makes them visible
        os.replace(tmp, path)  # atomic: readers see the old file or the new one, never a mix
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_stale_temporaries(directory, name):
    """Delete the temporary files of earlier saves to ``directory/name`` whose process no longer runs
    (a save killed by kill -9 or a power cut cannot clean up after itself)."""
    pattern = re.compile(rf"\.{re.escape(name)}\.(\d{{1,10}})\.[0-9a-f]{{8}}\.tmp")
    try:
        entries = os.listdir(directory)
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry)
        if match and not _process_is_running(int(match[1])):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(directory, entry))


def _process_is_running(pid):
    if pid == os.getpid() or os.name != "posix":  # on Windows os.kill would terminate the process: keep its files
        return True
    try:
        os.kill(pid, 0)  # signal 0 delivers nothing: it only asks whether the process exists
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):  # it exists but is another user's (or the id is not a real one)
        return True
    return True


# ---- loading --------------------------------------------------------------------------------------

MAX_ENTRIES = 10_000  # one archive entry per tensor; a checkpoint with more needs an explicit max_entries=


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None, max_entries=MAX_ENTRIES,
         **pickle_load_args):
    """Load what ``minitorch.save`` wrote, from a path or a readable binary file object.

    ``map_location`` moves tensors: a device or string (``'cpu'``), a dict from saved to wanted
    location (``{'cuda:0': 'cpu'}``), or a callable ``(tensor, saved_location) -> tensor or None``.

    Loading never executes code from the file and never writes. Every file that is not a valid
    checkpoint - truncated, corrupted, forged, foreign, or a pickle written by ``torch.save`` - raises
    one error, ``RuntimeError("minitorch.load: <file> <what is wrong>")``. The file is checked before
    anything is allocated for it, so a small malicious file cannot claim much memory or time:

    - entries must be stored uncompressed, as ``save`` writes them (so no entry can expand: a "zip
      bomb" is refused), and together they must fit inside the file;
    - each array's declared shape times its item size must equal the bytes stored for it;
    - the archive may hold at most ``max_entries`` entries (10,000; pass a larger number for a
      checkpoint with more tensors than that).
    """
    name = f"'{os.fspath(f)}'" if isinstance(f, (str, os.PathLike)) else "the file"
    try:
        if isinstance(f, (str, os.PathLike)):
            with open(f, "rb") as file:  # zipfile reads only the parts it needs: no copy of a huge file
                return _Decoder(_open_archive(file, max_entries), map_location).decode_file()
        return _Decoder(_open_archive(io.BytesIO(f.read()), max_entries), map_location).decode_file()
    except _BadFile as error:
        raise RuntimeError(f"minitorch.load: {name} {error}") from None
    except RecursionError:
        raise RuntimeError(f"minitorch.load: {name} is corrupted: data.json is nested too deeply.") from None


class _BadFile(Exception):
    """Why a file is not a readable minitorch checkpoint (becomes a RuntimeError naming the file)."""


@contextlib.contextmanager
def _parsing(what):
    """Turn any error that zipfile or numpy's header parser raises on malformed bytes into a _BadFile.

    Those parsers raise many types on bad input (BadZipFile, ValueError, UnicodeDecodeError,
    struct.error, OverflowError, ...); to a user they all mean the same: this file is damaged.
    """
    try:
        yield
    except (_BadFile, MemoryError):  # MemoryError is not damage: the checks below exist to prevent it
        raise
    except Exception as error:
        raise _BadFile(f"is corrupted: {what} ({type(error).__name__}: {_clip(str(error))}).") from None


_NEVER_UNPICKLE = ("minitorch never unpickles, because loading a pickle can run arbitrary code. Load it with "
                   "PyTorch and re-save the tensors you need with minitorch.save (for a state dict: "
                   "minitorch.save({k: minitorch.tensor(v.numpy()) for k, v in sd.items()}, PATH)).")


def _open_archive(file, max_entries):
    """Open ``file`` as a zip archive and check its directory before any entry is read."""
    size = file.seek(0, os.SEEK_END)
    file.seek(0)
    start = file.read(8)
    file.seek(0)
    if size == 0:
        raise _BadFile("is empty (0 bytes): was the save interrupted?")
    if start[:1] == b"\x80":  # the PROTO opcode that starts every pickle of protocol 2 and later
        raise _BadFile("is a pickle file (as written by torch.save(..., _use_new_zipfile_serialization=False) or "
                       "pickle.dump), not a minitorch checkpoint. " + _NEVER_UNPICKLE)
    with _parsing("its zip directory cannot be read"):
        if not zipfile.is_zipfile(file):
            if start[:4] == b"PK\x03\x04":
                raise _BadFile("is a truncated or corrupted zip archive: the checkpoint is incomplete.")
            raise _BadFile(f"is not a minitorch checkpoint (it is not a zip archive; it starts with {start!r}).")
        archive = zipfile.ZipFile(file)  # parses the directory only: time and memory linear in the file size
    entries = archive.infolist()
    names = {info.filename for info in entries}
    if "data.json" not in names:
        if any(n == "data.pkl" or n.endswith("/data.pkl") for n in names):
            raise _BadFile("was written by torch.save: its contents are a pickle (data.pkl). " + _NEVER_UNPICKLE)
        raise _BadFile("is a zip archive but not a minitorch checkpoint (it has no data.json).")
    if len(entries) > max_entries:
        raise _BadFile(f"has {len(entries)} archive entries, more than max_entries={max_entries} (a checkpoint has "
                       "one per tensor). If you trust this file, load it with "
                       f"minitorch.load(..., max_entries={len(entries)}).")
    total = 0
    for info in entries:
        if info.compress_type != zipfile.ZIP_STORED:
            raise _BadFile(f"has a compressed entry {_clip(repr(info.filename))} (zip method {info.compress_type}): "
                           "minitorch.save stores entries uncompressed, so something else made or changed this file.")
        if info.file_size != info.compress_size or info.header_offset + info.compress_size > size:
            raise _BadFile(f"is corrupted: entry {_clip(repr(info.filename))} declares {info.file_size} bytes, "
                           f"which do not fit in the file ({size} bytes).")
        total += info.file_size
    if total > size:  # entries that share bytes: reading each would multiply the file's size
        raise _BadFile(f"is corrupted: its entries declare {total} bytes in all, more than the file's {size} bytes.")
    return archive


def _read_entry(archive, name):
    if name not in archive.NameToInfo:
        raise _BadFile(f"is corrupted: the archive has no entry {name!r}.")
    with _parsing(f"entry {name!r} cannot be read"):  # CRC mismatch, bad local header...
        return archive.read(name)


_NPY_HEADER_READERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}


def _parse_npy(raw, where):
    """An array from the bytes of a ``.npy`` file (numpy's format: magic, a header giving dtype, order and
    shape, then the raw elements), refusing headers whose shape and dtype do not match the bytes stored."""
    stream = io.BytesIO(raw)
    with _parsing(f"{where} is not a valid .npy array"):
        version = np.lib.format.read_magic(stream)
        if version not in _NPY_HEADER_READERS:
            raise _BadFile(f"is corrupted: {where} has .npy format version {version}; minitorch reads 1.0 and 2.0.")
        shape, fortran_order, dtype = _NPY_HEADER_READERS[version](stream)  # a literal parser: runs no code
    if dtype.hasobject:
        raise _BadFile(f"is corrupted: {where} holds Python objects, which only unpickling could load.")
    stored = len(raw) - stream.tell()
    if dtype.itemsize == 0 or not all(type(n) is int and n >= 0 for n in shape) \
            or math.prod(shape) * dtype.itemsize != stored:
        raise _BadFile(f"is corrupted: {where} declares shape {_clip(str(shape))} of {dtype} but stores {stored} "
                       "bytes of data.")
    array = np.frombuffer(raw, dtype, math.prod(shape), stream.tell())
    return array.reshape(shape, order="F" if fortran_order else "C").copy(order="K")  # writable, owns its memory


class _Decoder:
    """Rebuilds the saved object, checking every node against the format described above."""

    FIELDS = {"none": set(), "bool": {"value"}, "int": {"value"}, "float": {"value"}, "str": {"value"},
              "list": {"items"}, "tuple": {"items"}, "dict": {"keys", "values"}, "OrderedDict": {"keys", "values"},
              "Counter": {"keys", "values"}, "ndarray": {"array"}, "dtype": {"value"}, "device": {"value"},
              "tensor": {"array", "dtype", "shape", "device", "requires_grad", "parameter"}}
    DTYPES = {d.name: d for d in _dtypes.ALL}

    def __init__(self, archive, map_location):
        self.archive, self.map_location = archive, map_location
        self.arrays = {}  # array index -> ndarray: each entry is read once, however often data.json names it
        self.tensors = {}  # array index -> tensor, so a tensor saved twice is one tensor again

    def decode_file(self):
        raw = _read_entry(self.archive, "data.json")
        with _parsing("data.json is not valid JSON"):
            header = json.loads(raw)
        if not isinstance(header, dict) or set(header) != {"format", "version", "root"} \
                or header["format"] != FORMAT:
            raise _BadFile("is not a minitorch checkpoint (data.json lacks the minitorch header).")
        if type(header["version"]) is not int or header["version"] != VERSION:
            raise _BadFile(f"uses format version {_short(header['version'])}; this minitorch reads version {VERSION}.")
        return self.decode(header["root"])

    def decode(self, node):
        kind = node.get("type") if isinstance(node, dict) else None
        if not isinstance(kind, str) or kind not in self.FIELDS or set(node) != {"type"} | self.FIELDS[kind]:
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
        value = node["value"]  # save writes finite floats as JSON floats, the others as strings
        self._check(type(value) is float or value in ("inf", "-inf", "nan"), node)
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
        self._check(isinstance(node["value"], str) and node["value"] in self.DTYPES, node)
        return self.DTYPES[node["value"]]

    def _device(self, node):
        return self.device_of(node, node["value"])

    def device_of(self, node, value):
        try:  # only parse: a cuda device is a valid value even where there is no GPU
            if isinstance(value, str):
                return _device_class(value)
        except (RuntimeError, ValueError):  # ValueError: an index of more digits than int() reads
            pass
        raise _BadFile(f"is corrupted: invalid device in {_short(node)}.")

    def _ndarray(self, node):
        return self.array(node)

    def array(self, node):
        index = node["array"]
        self._check(type(index) is int, node)
        if index not in self.arrays:
            where = f"arrays/{index}.npy"
            self.arrays[index] = _parse_npy(_read_entry(self.archive, where), where)
        return self.arrays[index]

    def _tensor(self, node):
        dtype = self.DTYPES.get(node["dtype"]) if isinstance(node["dtype"], str) else None
        self._check(dtype is not None and type(node["array"]) is int and isinstance(node["shape"], list)
                    and isinstance(node["requires_grad"], bool) and isinstance(node["parameter"], bool)
                    and (dtype.is_floating_point or not node["requires_grad"]), node)
        if node["array"] in self.tensors:
            return self.tensors[node["array"]]
        array, device = self.array(node), self.device_of(node, node["device"])
        self._check(array.dtype == dtype.np and list(array.shape) == node["shape"], node)
        tensor = self.place(creation.from_numpy(array), device)
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


def _clip(text, limit=80):
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _short(node):
    """The start of a node's JSON, to show in an error message."""
    return _clip(json.dumps(node))


__all__ = ["save", "load"]
