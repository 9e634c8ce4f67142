"""A seeded mutation fuzzer for ``minitorch.load``: thousands of damaged and forged checkpoints.

Every mutant must either load or raise the one documented error, ``RuntimeError("minitorch.load: the
file ...")``; while loading it, minitorch may not run code from the file (no exec, no unpickling, no
process), may not write anything, and may read and allocate only a bounded multiple of the file's
size. Time is bounded through the bytes read (tests never assert a timing).

The mutants mix the three layers of the format: raw bytes (flips, cuts, insertions, splices, overwrites
with boundary values), the zip structure (compression methods, flags, repeated or extra entries) and
the contents (data.json nodes of the wrong type or size, .npy headers that lie about shape or dtype).
"""

import copy
import io
import json
import random
import re
import sys
import tracemalloc
import warnings
import zipfile

import numpy as np
import pytest

import minitorch
from minitorch.nn.parameter import Parameter

MUTANTS = 4000
SEED = 15


def saved(obj):
    buffer = io.BytesIO()
    minitorch.save(obj, buffer)
    return buffer.getvalue()


SEEDS = [
    saved({"weight": minitorch.randn(4, 3, generator=minitorch.Generator().manual_seed(0)),
           "bias": Parameter(minitorch.zeros(4)), "steps": minitorch.tensor(7), "mask": minitorch.ones(3, dtype=minitorch.bool)}),
    saved({"state": {0: {"step": minitorch.tensor(3.0), "exp_avg": minitorch.zeros(2, 2, dtype=minitorch.float64)}},
           "param_groups": [{"lr": 0.1, "betas": (0.9, 0.999), "params": [0], "nesterov": False, "name": None}],
           "best": float("inf"), "dtype": minitorch.float16, "device": minitorch.device("cpu")}),
    saved([np.arange(6, dtype=np.int16).reshape(2, 3), np.asfortranarray(np.ones((2, 2))), "text", -5, 2.5]),
]

# ---- mutations: each takes (rng, data) and returns new bytes ----------------------------------------------

INTERESTING = [0, 1, 0x7F, 0x80, 0xFF, 0xFFFF, 0xFFFFFFFF, 0x7FFFFFFF, 2 ** 32 - 46, 2 ** 63]


def flip_bytes(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def cut_range(rng, data):
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, 200):]


def insert_bytes(rng, data):
    start = rng.randrange(len(data))
    return data[:start] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 50))) + data[start:]


def duplicate_range(rng, data):
    start = rng.randrange(len(data))
    return data[:start] + data[start:start + rng.randint(1, 300)] * rng.randint(2, 4) + data[start:]


def truncate(rng, data):
    return data[:rng.randrange(len(data))]


def overwrite_number(rng, data):
    """A boundary value written over a random 2-, 4- or 8-byte field (sizes, offsets, counts)."""
    width = rng.choice([2, 4, 8])
    start = rng.randrange(max(1, len(data) - width))
    value = rng.choice(INTERESTING) % (1 << (8 * width))
    return data[:start] + value.to_bytes(width, "little") + data[start + width:]


def overwrite_zip_field(rng, data):
    """A boundary value over a field of a zip record (the bytes after a PK signature)."""
    starts = [match.start() for match in re.finditer(rb"PK[\x01\x03\x05\x06]", data)] or [0]
    start = rng.choice(starts) + rng.randrange(4, 44)
    width = rng.choice([2, 4])
    value = rng.choice(INTERESTING) % (1 << (8 * width))
    return data[:start] + value.to_bytes(width, "little") + data[start + width:]


def splice(rng, data):
    other = rng.choice(SEEDS)
    return data[:rng.randrange(len(data))] + other[rng.randrange(len(other)):]


# Structure-aware mutations rebuild a valid zip around damaged contents, so they reach the JSON and
# .npy checks (byte flips inside an entry are mostly caught by the zip's CRC).

def entries_of(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def zip_of(entries, methods=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": wanted here
        for name, content in entries:
            archive.writestr(name, content, compress_type=(methods or {}).get(name, zipfile.ZIP_STORED))
    return buffer.getvalue()


WEIRD_VALUES = [None, True, -1, 0, 2 ** 40, 10 ** 30, 1.5, float("nan"), "", "cuda:1", "float32", "x" * 300,
                [], [0], [[1, 2]], {}, {"type": "none"}, {"type": ["int"]}, [1, 1] * 50]


def random_node_path(rng, node):
    """A random path of keys/indices into a JSON value, and the parent holding the final key."""
    parent, key = None, None
    while isinstance(node, (dict, list)) and node and rng.random() < 0.8:
        parent, key = node, rng.choice(list(node) if isinstance(node, dict) else range(len(node)))
        node = parent[key]
    return parent, key


def mutate_json(rng, data):
    entries = dict(entries_of(data))
    document = json.loads(entries["data.json"])
    for _ in range(rng.randint(1, 3)):
        parent, key = random_node_path(rng, document)
        if parent is None:
            document = copy.deepcopy(rng.choice(WEIRD_VALUES))
            break
        choice = rng.random()
        if choice < 0.6:
            parent[key] = copy.deepcopy(rng.choice(WEIRD_VALUES))
        elif choice < 0.8 and isinstance(parent, dict):
            del parent[key]
        elif isinstance(parent, dict):
            parent[rng.choice(["type", "value", "items", "array", "dtype", "shape", "extra"])] = \
                copy.deepcopy(rng.choice(WEIRD_VALUES))
        else:
            parent.extend(parent[:1] * rng.randint(1, 100))
    if rng.random() < 0.1:
        text = json.dumps(document)
        entries["data.json"] = "[" * rng.choice([10, 3000, 100_000]) + text
    else:
        entries["data.json"] = json.dumps(document)
    return zip_of(entries.items())


NPY_HEADERS = [
    "{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape}, }}",
    "{{'descr': {descr!r}, 'shape': {shape}}}",
    "{descr}",
    "{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape}",
]
DESCRS = ["<f4", "<f8", "|b1", "<i8", ">f4", "|O", "V0", "<U0", "<U3", "S5", "[('a', '<f4')]", "<f4)", "garbage", "<c16"]
SHAPES = ["()", "(0,)", "(3,)", "(2, 2)", "(1099511627776,)", "(-1,)", "(2, -2)", "(True,)", "(1.5,)", "[3]",
          "(" + "9" * 5000 + ",)", "(65536, 65536, 65536)", "(" + "1, " * 40 + ")"]


def mutate_npy(rng, data):
    entries = dict(entries_of(data))
    arrays = [name for name in entries if name.startswith("arrays/")]
    if not arrays:
        return flip_bytes(rng, data)
    name = rng.choice(arrays)
    text = rng.choice(NPY_HEADERS).format(descr=rng.choice(DESCRS), fortran=rng.choice(["True", "False", "1"]),
                                          shape=rng.choice(SHAPES))
    text += " " * (-(len(text) + 11) % 64) + "\n"
    version, size_field = rng.choice([(b"\x01\x00", 2), (b"\x02\x00", 4), (b"\x03\x00", 4), (b"\x09\x09", 2)])
    header = b"\x93NUMPY" + version + len(text).to_bytes(size_field, "little") + text.encode("utf8")
    payload = entries[name][rng.choice([64, 128]):] if rng.random() < 0.2 else bytes(rng.choice([0, 4, 8, 16, 64]))
    entries[name] = header + payload
    if rng.random() < 0.1:  # an .npz (itself a zip) where an .npy belongs
        buffer = io.BytesIO()
        np.savez(buffer, a=np.zeros(3))
        entries[name] = buffer.getvalue()
    return zip_of(entries.items())


def mutate_zip_structure(rng, data):
    entries = entries_of(data)
    choice = rng.random()
    if choice < 0.3:  # another compression method on one entry (a zip bomb, an lzma stream...)
        name = rng.choice(entries)[0]
        return zip_of(entries, {name: rng.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])})
    if choice < 0.5:  # many extra entries
        count = 10_001 if rng.random() < 0.05 else rng.choice([10, 500])  # 10,001: over max_entries
        return zip_of(entries + [(f"arrays/{1000 + i}.npy", b"") for i in range(count)])
    if choice < 0.7:  # entries renamed, dropped or doubled
        name, content = rng.choice(entries)
        return zip_of(entries + [(rng.choice([name, "data.pkl", "x/data.pkl", "arrays/0.npy"]), content)])
    data = bytearray(data)  # flag bits of a central record: encrypted (0x1), data descriptor (0x8), UTF-8 (0x800)
    records = [match.start() for match in re.finditer(b"PK\x01\x02", data)]
    record = rng.choice(records)
    data[record + 8] |= rng.choice([0x01, 0x08])
    data[record + 9] |= rng.choice([0x00, 0x08])
    data[record + 46] = rng.choice([0xFF, 0xC3, ord("a")])
    return bytes(data)


BYTE_MUTATIONS = [flip_bytes, cut_range, insert_bytes, duplicate_range, truncate, overwrite_number,
                  overwrite_zip_field, splice]
STRUCTURE_MUTATIONS = [mutate_json, mutate_json, mutate_npy, mutate_zip_structure]


def mutant(rng):
    data = rng.choice(SEEDS)
    if rng.random() < 0.5:
        data = rng.choice(STRUCTURE_MUTATIONS)(rng, data)
    if rng.random() < 0.6:
        for _ in range(rng.randint(1, 3)):
            data = rng.choice(BYTE_MUTATIONS)(rng, data) if data else data
    return data


# ---- the watchers -----------------------------------------------------------------------------------------

class CountingReader(io.BytesIO):
    """A file whose reads are counted: a proxy for the time a load takes that never depends on the machine."""

    bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


FORBIDDEN_EVENTS = {"exec", "pickle.find_class", "os.system", "subprocess.Popen", "os.exec", "os.posix_spawn",
                    "os.spawn", "os.fork", "os.startfile", "ctypes.dlopen", "os.remove", "os.rename", "os.mkdir",
                    "os.rmdir", "os.chmod", "os.truncate", "os.link", "os.symlink", "shutil.rmtree", "socket.connect"}
WRITE_FLAGS = 0o1 | 0o2 | 0o100 | 0o1000 | 0o2000  # O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND (Linux values)
seen_events = []
watching = False


def audit(event, args):
    """Record what the interpreter reports while a load runs: code execution, processes, file writes."""
    if not watching:
        return
    if event in FORBIDDEN_EVENTS:
        seen_events.append(event)
    elif event == "open" and ((isinstance(args[1], str) and set(args[1]) & set("wax+"))
                              or (isinstance(args[2], int) and args[2] & WRITE_FLAGS)):
        seen_events.append(f"open for writing {args[0]!r}")


sys.addaudithook(audit)  # hooks cannot be removed; this one does nothing outside the loop below


def load_and_classify(data):
    """Load ``data``; return (outcome, bytes read, peak bytes allocated)."""
    global watching
    reader = CountingReader(data)
    tracemalloc.start()
    watching = True
    try:
        minitorch.load(reader, map_location="cpu")
        outcome = "loaded"
    except RuntimeError as error:
        outcome = "refused" if str(error).startswith("minitorch.load: the file ") else f"RuntimeError: {error}"
    except Exception as error:  # anything else is a bug the fuzzer found
        outcome = f"{type(error).__name__}: {str(error)[:200]}"
    finally:
        watching = False
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return outcome, reader.bytes_read, peak


@pytest.mark.slow  # 10-30 s on 2 busy cores; CI runs it
def test_mutated_checkpoints_load_or_raise_the_documented_error():
    for data in SEEDS:  # warm up: imports the first load does are not the file's doing
        minitorch.load(io.BytesIO(data))
    rng = random.Random(SEED)
    failures, outcomes = [], {"loaded": 0, "refused": 0}
    for i in range(MUTANTS):
        data = mutant(rng)
        seen_events.clear()
        outcome, bytes_read, peak = load_and_classify(data)
        if outcome in outcomes:
            outcomes[outcome] += 1
        else:
            failures.append(f"mutant {i}: {outcome}")
        if seen_events:
            failures.append(f"mutant {i}: {sorted(set(seen_events))}")
        # Bounds: each byte of the file is read a few times at most (directory, header, entry), and
        # memory is the file's bytes plus the decoded arrays plus the JSON's Python objects.
        if bytes_read > 4 * len(data) + 65_536:
            failures.append(f"mutant {i}: read {bytes_read} bytes of a {len(data)}-byte file")
        if peak > 40 * len(data) + 4_000_000:
            failures.append(f"mutant {i}: allocated {peak} bytes for a {len(data)}-byte file")
    assert not failures, f"{len(failures)} failures, the first: " + "\n".join(failures[:10])
    assert outcomes["refused"] > MUTANTS // 2 and outcomes["loaded"] > 0  # the mutants reach both outcomes


def test_mutants_loaded_from_paths_leave_the_directory_untouched(tmp_path):
    """The path branch of ``load`` (it reads the file in place): same outcomes, no file written or changed."""
    rng = random.Random(SEED + 1)
    folder = tmp_path / "checkpoints"
    folder.mkdir()
    for i in range(200):
        path = folder / f"{i}.pt"
        path.write_bytes(mutant(rng))
        before = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir())
        try:
            minitorch.load(path, map_location="cpu")
        except RuntimeError as error:
            assert str(error).startswith(f"minitorch.load: '{path}' "), str(error)
        assert sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()) == before
