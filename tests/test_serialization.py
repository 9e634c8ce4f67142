"""minitorch.save / minitorch.load: round trips, atomic writes, and clear refusals of truncated,
corrupted, foreign and pickle files (tests/data holds two files written by torch.save)."""

import io
import json
import math
import os
import pickle
import zipfile
from collections import Counter, OrderedDict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minitorch
from minitorch import optim
from minitorch.serialization import load, save

DATA = os.path.join(os.path.dirname(__file__), "data")


def round_trip(obj, **load_kwargs):
    buffer = io.BytesIO()
    save(obj, buffer)
    return load(io.BytesIO(buffer.getvalue()), **load_kwargs)


def saved_bytes(obj):
    buffer = io.BytesIO()
    save(obj, buffer)
    return buffer.getvalue()


def assert_same_tensor(a, b):
    assert type(a) is type(b) and a.dtype is b.dtype and a.shape == b.shape and a.requires_grad == b.requires_grad
    np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


# ---- round trips ------------------------------------------------------------------------------------

DTYPES = [minitorch.float32, minitorch.float64, minitorch.float16, minitorch.int64, minitorch.int32,
          minitorch.int16, minitorch.int8, minitorch.uint8, minitorch.bool]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_tensors_of_every_dtype(dtype):
    t = (minitorch.arange(12) % 3).to(dtype).view(3, 4)
    assert_same_tensor(round_trip(t), t)


@settings(max_examples=30, deadline=None)
@given(hnp.arrays(st.sampled_from([np.float32, np.float64, np.int64]),
                  hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)))
def test_any_shape_round_trips(array):
    t = minitorch.tensor(array)
    back = round_trip(t)
    assert back.shape == t.shape and back.dtype is t.dtype
    np.testing.assert_array_equal(back.numpy(), array)


def test_non_contiguous_views_keep_their_values():
    base = minitorch.arange(24.0).view(4, 6)
    for view in [base.t(), base[::2, 1::3], base.permute(1, 0)[2:]]:
        back = round_trip(view)
        assert back.tolist() == view.tolist() and back.shape == view.shape


leaves = st.none() | st.booleans() | st.integers(-2 ** 70, 2 ** 70) | st.floats(allow_nan=False) | st.text(max_size=5)
keys = st.text(max_size=5) | st.integers(-5, 5)
nested = st.recursive(leaves, lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner)
                      | st.dictionaries(keys, inner, max_size=3), max_leaves=12)


@settings(max_examples=40, deadline=None)
@given(nested)
def test_nested_python_data_round_trips_exactly(obj):
    back = round_trip(obj)
    assert back == obj and repr(back) == repr(obj)  # same types (tuple vs list, int vs float, key order)


def test_special_floats_and_container_types():
    obj = OrderedDict([("b", [math.inf, -math.inf, math.nan, -0.0]), ("a", Counter({3: 2, 1: 1})),
                       (7, (None, True, "s")), ((1, "k"), {2: minitorch.float64}), ("dev", minitorch.device("cpu")),
                       ("np", np.arange(3.0))])
    back = round_trip(obj)
    assert type(back) is OrderedDict and list(back) == ["b", "a", 7, (1, "k"), "dev", "np"]
    assert back["b"][:2] == [math.inf, -math.inf] and math.isnan(back["b"][2]) and math.copysign(1, back["b"][3]) < 0
    assert type(back["a"]) is Counter and back["a"] == Counter({3: 2, 1: 1})
    assert back[7] == (None, True, "s") and back[(1, "k")][2] is minitorch.float64
    assert back["dev"] == minitorch.device("cpu")
    np.testing.assert_array_equal(back["np"], np.arange(3.0))


def test_a_tensor_saved_twice_is_loaded_as_one_tensor():
    w = minitorch.ones(3)
    back = round_trip({"encoder": w, "decoder": w, "other": w.clone()})
    assert back["encoder"] is back["decoder"] and back["other"] is not back["encoder"]


def test_requires_grad_and_parameters_are_kept():
    from minitorch.nn.parameter import Parameter

    obj = {"t": minitorch.tensor([1.0], requires_grad=True), "p": Parameter(minitorch.ones(2)),
           "frozen": Parameter(minitorch.ones(1), requires_grad=False), "nonleaf": minitorch.ones(1, requires_grad=True) * 2}
    back = round_trip(obj)
    assert back["t"].requires_grad and back["t"].is_leaf
    assert type(back["p"]) is Parameter and back["p"].requires_grad
    assert type(back["frozen"]) is Parameter and not back["frozen"].requires_grad
    assert back["nonleaf"].requires_grad and back["nonleaf"].is_leaf and back["nonleaf"].item() == 2.0


def test_loaded_tensors_own_their_memory():
    t = minitorch.zeros(3)
    back = round_trip(t)
    back.add_(1)
    assert t.tolist() == [0.0, 0.0, 0.0] and back.tolist() == [1.0, 1.0, 1.0]


def test_optimizer_checkpoint_resumes_training(tmp_path):
    def train(w, opt, sched, steps):
        for _ in range(steps):
            opt.zero_grad()
            ((w - 3.0) ** 2).sum().backward()
            opt.step()
            sched.step()

    w = minitorch.tensor([0.0, 1.0], requires_grad=True)
    opt = optim.Adam([w], lr=0.1)
    sched = optim.lr_scheduler.MultiStepLR(opt, milestones=[2, 4], gamma=0.5)
    train(w, opt, sched, 3)
    path = tmp_path / "ckpt.pt"
    save({"w": w.detach(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict(), "epoch": 3}, path)
    train(w, opt, sched, 3)

    ckpt = load(path)
    assert list(ckpt["optimizer"]["state"]) == [0] and ckpt["optimizer"]["state"][0]["step"].item() == 3.0
    assert ckpt["scheduler"]["milestones"] == Counter([2, 4]) and ckpt["epoch"] == 3
    w2 = ckpt["w"].requires_grad_()
    opt2 = optim.Adam([w2], lr=0.1)
    sched2 = optim.lr_scheduler.MultiStepLR(opt2, milestones=[2, 4], gamma=0.5)
    opt2.load_state_dict(ckpt["optimizer"])
    sched2.load_state_dict(ckpt["scheduler"])
    train(w2, opt2, sched2, 3)
    assert w2.tolist() == w.tolist() and sched2.get_last_lr() == sched.get_last_lr()


def test_reduce_on_plateau_state_with_infinite_best_round_trips():
    opt = optim.SGD([minitorch.zeros(1, requires_grad=True)], lr=0.1)
    state = optim.lr_scheduler.ReduceLROnPlateau(opt).state_dict()
    assert round_trip(state) == state and state["best"] == math.inf


# ---- paths, files and atomic writes ---------------------------------------------------------------------

def test_save_to_a_path_and_file_objects(tmp_path):
    obj = {"x": minitorch.arange(4)}
    save(obj, str(tmp_path / "a.pt"))
    save(obj, tmp_path / "b.pt")
    with open(tmp_path / "c.pt", "wb") as f:
        save(obj, f)
    for name in "abc":
        with open(tmp_path / f"{name}.pt", "rb") as f:
            assert load(f)["x"].tolist() == [0, 1, 2, 3]
        assert load(tmp_path / f"{name}.pt")["x"].tolist() == [0, 1, 2, 3]
    assert sorted(os.listdir(tmp_path)) == ["a.pt", "b.pt", "c.pt"]


def test_the_file_is_a_zip_of_npy_arrays_and_json():
    with zipfile.ZipFile(io.BytesIO(saved_bytes({"w": minitorch.ones(2)}))) as archive:
        assert archive.namelist() == ["data.json", "arrays/0.npy"]
        header = json.loads(archive.read("data.json"))
        assert header["format"] == "minitorch" and header["version"] == 1
        assert header["root"]["values"][0] == {"type": "tensor", "array": 0, "dtype": "float32", "shape": [2],
                                               "device": "cpu", "requires_grad": False, "parameter": False}
        assert np.load(io.BytesIO(archive.read("arrays/0.npy")), allow_pickle=False).tolist() == [1.0, 1.0]


def test_a_crash_mid_save_leaves_the_previous_checkpoint_intact(tmp_path, monkeypatch):
    path = tmp_path / "model.pt"
    save({"version": 1, "w": minitorch.zeros(1000)}, path)
    before = path.read_bytes()
    real_save = np.save

    def crash_after_some_bytes(file, array, allow_pickle=True):
        real_save(file, array[:10], allow_pickle=allow_pickle)  # part of the data reaches the file...
        raise OSError("No space left on device")  # ...then the disk fills up

    monkeypatch.setattr(np, "save", crash_after_some_bytes)
    with pytest.raises(OSError, match="No space left on device"):
        save({"version": 2, "w": minitorch.ones(1000)}, path)
    monkeypatch.undo()
    assert path.read_bytes() == before and load(path)["version"] == 1
    assert os.listdir(tmp_path) == ["model.pt"]  # no temporary file left behind


def test_an_interrupted_save_to_a_file_object_writes_nothing(monkeypatch):
    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "save", crash)
    buffer = io.BytesIO()
    with pytest.raises(KeyboardInterrupt):
        save({"w": minitorch.ones(2)}, buffer)
    assert buffer.getvalue() == b""


# ---- what cannot be saved ----------------------------------------------------------------------------------

def test_saving_a_whole_model_explains_to_save_its_state_dict():
    class Net:  # anything with a state_dict(): a Module, an optimizer...
        def state_dict(self):
            return {}

    with pytest.raises(TypeError, match=r"cannot save a whole Net object \(obj\['model'\]\): minitorch never "
                                        r"pickles.*minitorch.save\(model.state_dict\(\), PATH\)"):
        save({"model": Net()}, io.BytesIO())


def test_saving_an_nn_module_explains_to_save_its_state_dict():
    linear = getattr(minitorch.nn, "Linear", None)
    if linear is None:
        pytest.skip("minitorch.nn.Linear is not there yet")
    with pytest.raises(TypeError, match=r"cannot save a whole Linear object \(obj\)"):
        save(linear(2, 3), io.BytesIO())


@pytest.mark.parametrize("obj,message", [
    ({1, 2}, r"cannot save an object of type builtins.set \(obj\)"),
    ([lambda x: x], r"cannot save an object of type builtins.function \(obj\[0\]\)"),
    ({"a": {"b": object()}}, r"builtins.object \(obj\['a'\]\['b'\]\)"),
    ({(1, (2,)): 0}, r"cannot save the dict key \(1, \(2,\)\) \(obj\): keys must be strings, numbers"),
    ({"x": np.array([{}], dtype=object)}, r"cannot save a numpy array of Python objects \(obj\['x'\]\)"),
])
def test_unsupported_objects_raise_type_error_naming_where(obj, message):
    with pytest.raises(TypeError, match=message):
        save(obj, io.BytesIO())


# ---- what cannot be loaded ---------------------------------------------------------------------------------

def load_bytes(data):
    return load(io.BytesIO(data))


def test_pickle_files_are_refused_without_being_unpickled():
    class Boom:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    with pytest.raises(RuntimeError, match="is a pickle file .*minitorch never unpickles, because loading a "
                                           "pickle can run arbitrary code"):
        load_bytes(pickle.dumps(Boom()))


def test_files_written_by_torch_save_are_refused():
    with pytest.raises(RuntimeError, match="torch_save_state_dict.pt' was written by torch.save: its contents are a "
                                           "pickle.*minitorch never unpickles"):
        load(os.path.join(DATA, "torch_save_state_dict.pt"))
    with pytest.raises(RuntimeError, match="torch_save_legacy.pt' is a pickle file"):
        load(os.path.join(DATA, "torch_save_legacy.pt"))


def test_truncated_files(tmp_path):
    data = saved_bytes({"w": minitorch.ones(100)})
    for cut in [len(data) // 2, len(data) - 10, 30]:
        with pytest.raises(RuntimeError, match="is a truncated or corrupted zip archive"):
            load_bytes(data[:cut])
    (tmp_path / "empty.pt").write_bytes(b"")
    with pytest.raises(RuntimeError, match="empty.pt' is empty \\(0 bytes\\)"):
        load(tmp_path / "empty.pt")


def test_corrupted_bytes_are_detected_by_the_zip_checksums():
    data = bytearray(saved_bytes({"w": minitorch.ones(100)}))
    start = data.index(b"\x93NUMPY")  # inside the stored array entry
    data[start + 200] ^= 0xFF
    with pytest.raises(RuntimeError, match="is corrupted: entry 'arrays/0.npy' cannot be read"):
        load_bytes(bytes(data))


def test_foreign_files():
    with pytest.raises(RuntimeError, match="is not a minitorch checkpoint \\(it is not a zip archive; it starts with "
                                           "b'hello wo'\\)"):
        load_bytes(b"hello world")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hi")
    with pytest.raises(RuntimeError, match="is a zip archive but not a minitorch checkpoint \\(it has no data.json\\)"):
        load_bytes(buffer.getvalue())


def forged(root, arrays=(), header=None, extra=()):
    """A zip in minitorch's layout with the given (possibly invalid) contents."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.json", header if header is not None else
                         json.dumps({"format": "minitorch", "version": 1, "root": root}))
        for i, array in enumerate(arrays):
            entry = io.BytesIO()
            np.save(entry, array, allow_pickle=True)
            archive.writestr(f"arrays/{i}.npy", entry.getvalue())
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


TENSOR = {"type": "tensor", "array": 0, "dtype": "float32", "shape": [2], "device": "cpu", "requires_grad": False,
          "parameter": False}


@pytest.mark.parametrize("data,message", [
    (forged(None, header="{not json"), "data.json is not valid JSON"),
    (forged(None, header=json.dumps({"format": "other", "version": 1, "root": None})), "lacks the minitorch header"),
    (forged(None, header=json.dumps({"format": "minitorch", "version": 2, "root": {"type": "none"}})),
     "uses format version 2; this minitorch reads version 1"),
    (forged({"type": "pickle", "value": "..."}), 'unexpected entry {"type": "pickle"'),
    (forged({"type": "int", "value": 1, "extra": 0}), "unexpected entry"),
    (forged({"type": "int", "value": "1"}), 'invalid entry {"type": "int", "value": "1"}'),
    (forged({"type": "float", "value": "pi"}), "invalid entry"),
    (forged({"type": "list", "items": {}}), "invalid entry"),
    (forged({"type": "dict", "keys": [{"type": "int", "value": 1}], "values": []}), "invalid entry"),
    (forged({"type": "dict", "keys": [{"type": "list", "items": []}], "values": [{"type": "none"}]}),
     "invalid dict key"),
    (forged({"type": "dtype", "value": "object"}), "invalid entry"),
    (forged(TENSOR), "the archive has no entry 'arrays/0.npy'"),
    (forged(TENSOR, [np.zeros(3, np.float32)]), "invalid entry"),  # shape mismatch
    (forged(TENSOR, [np.zeros(2, np.float64)]), "invalid entry"),  # dtype mismatch
    (forged(dict(TENSOR, device="tpu:0"), [np.zeros(2, np.float32)]), "invalid device"),
    (forged({"type": "ndarray", "array": 0}, [np.array([{}], dtype=object)]),
     "arrays/0.npy holds Python objects, which only unpickling could load"),
    (forged({"type": "none"}, extra=[("arrays/0.npy", b"garbage")]), None),
])
def test_invalid_contents_are_refused_with_a_clear_message(data, message):
    if message is None:  # an unused extra entry is harmless
        assert load_bytes(data) is None
        return
    with pytest.raises(RuntimeError, match="minitorch.load: the file .*" + message):
        load_bytes(data)


def test_deeply_nested_json_is_refused():
    header = '{"format": "minitorch", "version": 1, "root": ' + '{"type": "list", "items": [' * 5000 + \
        '{"type": "none"}' + "]}" * 5000 + "}"
    with pytest.raises(RuntimeError, match="nested too deeply|not valid JSON"):
        load_bytes(forged(None, header=header))


# ---- map_location ------------------------------------------------------------------------------------------

def test_map_location_forms():
    t = minitorch.arange(3.0)
    cpu = minitorch.device("cpu")
    assert round_trip(t, map_location="cpu").device == cpu
    assert round_trip(t, map_location=cpu).device == cpu
    assert round_trip(t, map_location={"cuda:0": "cpu"}).device == cpu
    seen = []

    def location(tensor, saved):
        seen.append(saved)
        return tensor * 10

    assert round_trip(t, map_location=location).tolist() == [0.0, 10.0, 20.0] and seen == ["cpu"]
    assert round_trip(t, map_location=lambda storage, loc: None).device == cpu


def test_a_cuda_checkpoint_on_a_cpu_only_machine():
    data = forged(dict(TENSOR, device="cuda:0"), [np.zeros(2, np.float32)])
    assert load(io.BytesIO(data), map_location="cpu").device == minitorch.device("cpu")
    assert load(io.BytesIO(data), map_location={"cuda:0": "cpu"}).tolist() == [0.0, 0.0]
    if not minitorch.cuda.is_available():
        with pytest.raises(RuntimeError, match="Attempting to deserialize object on a CUDA device but "
                                               "torch.cuda.is_available\\(\\) is False"):
            load_bytes(data)


@pytest.mark.cuda
def test_cuda_tensors_round_trip():
    t = minitorch.arange(4.0, device="cuda")
    back = round_trip(t)
    assert back.is_cuda and back.tolist() == [0.0, 1.0, 2.0, 3.0]
    assert not round_trip(t, map_location="cpu").is_cuda


# ---- hostile and damaged archives: each class the mutation fuzzer found (tests/test_load_fuzz.py) ----------

def zip_of(entries, compression=zipfile.ZIP_STORED):
    """A zip of (name, bytes) entries; the last entry is compressed with ``compression``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i, (name, data) in enumerate(entries):
            archive.writestr(name, data, compress_type=compression if i == len(entries) - 1 else zipfile.ZIP_STORED)
    return buffer.getvalue()


def header(root):
    return json.dumps({"format": "minitorch", "version": 1, "root": root})


def npy_with_header(text, data=b""):
    """A .npy file (format 1.0) with the given header text and payload."""
    text = text + " " * (-(len(text) + 11) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text.encode("latin1") + data


def set_utf8_flag_on_bad_name(data, name):
    """Rename ``name`` in the central directory to a byte string that is not UTF-8 and flag it as UTF-8."""
    data = bytearray(data)
    record = data.index(b"PK\x01\x02")  # the first central-directory record
    while data[record + 46:record + 46 + len(name)] != name.encode():
        record = data.index(b"PK\x01\x02", record + 1)
    data[record + 8] |= 0x08  # general-purpose flag bit 11 (0x800): "the name is UTF-8"
    data[record + 46] = 0xFF  # ...but 0xFF never occurs in UTF-8
    return bytes(data)


def with_repeated_central_record(data, times):
    """Repeat the last central-directory record: many entries whose bytes are one and the same."""
    data = bytearray(data)
    eocd = data.rindex(b"PK\x05\x06")
    last = data.rindex(b"PK\x01\x02", 0, eocd)
    record = bytes(data[last:eocd])
    count, size = int.from_bytes(data[eocd + 10:eocd + 12], "little"), int.from_bytes(data[eocd + 12:eocd + 16], "little")
    tail = bytearray(data[eocd:])
    tail[8:10] = tail[10:12] = (count + times).to_bytes(2, "little")
    tail[12:16] = (size + times * len(record)).to_bytes(4, "little")
    return bytes(data[:eocd]) + record * times + bytes(tail)


BIG_ARRAY = np.zeros(5000, np.float32)
DAMAGED = {
    "bytes removed mid-file": lambda good: good[:len(good) // 3] + good[len(good) // 3 + 40:],
    "a name flagged UTF-8 that is not": lambda good: set_utf8_flag_on_bad_name(good, "data.json"),
    "an npz where an npy belongs": lambda good: zip_of([("data.json", header({"type": "ndarray", "array": 0})),
                                                         ("arrays/0.npy", saved_npz())]),
    "a 5000-digit integer": lambda good: zip_of([("data.json", '{"format": "minitorch", "version": 1, "root": '
                                                  '{"type": "int", "value": 1' + "0" * 5000 + "}}")]),
    "an int where a float belongs, too big for a float": lambda good: zip_of([("data.json", header(
        {"type": "float", "value": 10 ** 400}))]),
    "a list as a type": lambda good: zip_of([("data.json", header({"type": ["int"], "value": 1}))]),
    "a list as a dtype name": lambda good: zip_of([("data.json", header({"type": "dtype", "value": ["x"]}))]),
    "a list as an array index": lambda good: zip_of([("data.json", header(dict(TENSOR, array=[0])))]),
    "a list as a tensor dtype": lambda good: zip_of([("data.json", header(dict(TENSOR, dtype=[0])))]),
    "a huge device index": lambda good: zip_of([("data.json", header({"type": "device", "value": "cuda:" + "9" * 5000}))]),
    "a device given as a number": lambda good: zip_of([("data.json", header({"type": "device", "value": 3}))]),
    "version true": lambda good: zip_of([("data.json", '{"format": "minitorch", "version": true, "root": null}')]),
    "an integer tensor that requires grad": lambda good: forged(dict(TENSOR, dtype="int64", requires_grad=True),
                                                                [np.zeros(2, np.int64)]),
    "an npy header declaring shape (2**40,)": lambda good: zip_of([
        ("data.json", header({"type": "ndarray", "array": 0})),
        ("arrays/0.npy", npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776,), }",
                                         b"\0" * 64))]),
    "an npy header with a negative dimension": lambda good: zip_of([
        ("data.json", header({"type": "ndarray", "array": 0})),
        ("arrays/0.npy", npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (-1, -8), }", b"\0" * 64))]),
    "an npy header that does not parse": lambda good: zip_of([
        ("data.json", header({"type": "ndarray", "array": 0})),
        ("arrays/0.npy", npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (3,"))]),
    "an npy header with a 5000-digit dimension": lambda good: zip_of([
        ("data.json", header({"type": "ndarray", "array": 0})),
        ("arrays/0.npy", npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (1" + "0" * 5000 + ",), }"))]),
    "an lzma-compressed entry": lambda good: zip_of([("data.json", header({"type": "none"}))], zipfile.ZIP_LZMA),
    "a bzip2-compressed entry": lambda good: zip_of([("data.json", header({"type": "none"}))], zipfile.ZIP_BZIP2),
    "a zip bomb": lambda good: zip_of([("data.json", header({"type": "ndarray", "array": 0})),
                                       ("arrays/0.npy", b"\0" * 50_000_000)], zipfile.ZIP_DEFLATED),
    "overlapping entries": lambda good: with_repeated_central_record(good, 50),
}


def saved_npz():
    buffer = io.BytesIO()
    np.savez(buffer, a=np.zeros(3))
    return buffer.getvalue()


@pytest.mark.parametrize("damage", list(DAMAGED), ids=list(DAMAGED))
def test_every_kind_of_damage_raises_the_one_documented_error(damage):
    good = saved_bytes({"w": minitorch.tensor(BIG_ARRAY), "step": 3})
    with pytest.raises(RuntimeError, match=r"^minitorch.load: the file (is|has|uses) "):
        load_bytes(DAMAGED[damage](good))


def test_what_the_size_checks_say():
    bomb = DAMAGED["a zip bomb"](None)
    assert len(bomb) < 100_000
    with pytest.raises(RuntimeError, match=r"has a compressed entry 'arrays/0.npy' \(zip method 8\): minitorch.save "
                                           r"stores entries uncompressed"):
        load_bytes(bomb)
    with pytest.raises(RuntimeError, match=r"arrays/0.npy declares shape \(1099511627776,\) of float64 but stores "
                                           r"64 bytes of data"):
        load_bytes(DAMAGED["an npy header declaring shape (2**40,)"](None))
    good = saved_bytes({"w": minitorch.tensor(BIG_ARRAY)})
    with pytest.raises(RuntimeError, match=r"is corrupted: its entries declare \d+ bytes in all, more than the "
                                           r"file's \d+ bytes"):
        load_bytes(with_repeated_central_record(good, 50))


def test_the_number_of_entries_is_bounded_with_an_explicit_override():
    many = zip_of([("data.json", header({"type": "none"}))] + [(f"arrays/{i}.npy", b"") for i in range(10_001)])
    with pytest.raises(RuntimeError, match=r"has 10002 archive entries, more than max_entries=10000 \(a checkpoint has "
                                           r"one per tensor\). If you trust this file, load it with "
                                           r"minitorch.load\(..., max_entries=10002\)"):
        load_bytes(many)
    assert load(io.BytesIO(many), max_entries=10_002) is None
    tensors = [minitorch.full((1,), float(i)) for i in range(5)]
    with pytest.raises(RuntimeError, match="max_entries=3"):
        load(io.BytesIO(saved_bytes(tensors)), max_entries=3)
    assert [t.item() for t in load(io.BytesIO(saved_bytes(tensors)), max_entries=6)] == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_an_array_named_many_times_is_read_once():
    data = forged({"type": "list", "items": [{"type": "ndarray", "array": 0}] * 1000}, [np.arange(3.0)])
    back = load_bytes(data)
    assert len(back) == 1000 and all(a is back[0] for a in back) and back[0].tolist() == [0.0, 1.0, 2.0]


def test_fortran_ordered_and_big_endian_arrays_load_exactly():
    f_order, big_endian = np.asfortranarray(np.arange(6.0).reshape(2, 3)), np.arange(4, dtype=">i4")
    back = load_bytes(forged({"type": "list", "items": [{"type": "ndarray", "array": 0},
                                                        {"type": "ndarray", "array": 1}]}, [f_order, big_endian]))
    np.testing.assert_array_equal(back[0], f_order)
    np.testing.assert_array_equal(back[1], big_endian)
    assert back[0].flags.writeable and back[0].flags.f_contiguous and back[1].dtype == np.dtype(">i4")


# ---- save hygiene: modes, symlinks, failures and killed saves ------------------------------------------------

def test_a_resaved_checkpoint_keeps_its_mode(tmp_path):
    path = tmp_path / "private.pt"
    save({"w": minitorch.ones(2)}, path)
    os.chmod(path, 0o600)
    save({"w": minitorch.zeros(2)}, path)
    assert os.stat(path).st_mode & 0o777 == 0o600 and load(path)["w"].tolist() == [0.0, 0.0]
    os.chmod(path, 0o640)
    save({"w": minitorch.ones(2)}, path)
    assert os.stat(path).st_mode & 0o777 == 0o640


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anything")
def test_a_read_only_checkpoint_is_not_replaced(tmp_path):
    path = tmp_path / "frozen.pt"
    save({"epoch": 1}, path)
    os.chmod(path, 0o444)
    with pytest.raises(PermissionError):  # as open(path, "wb") in torch.save
        save({"epoch": 2}, path)
    assert load(path) == {"epoch": 1} and os.listdir(tmp_path) == ["frozen.pt"]


def test_a_new_checkpoint_gets_the_mode_open_would_give_it(tmp_path):
    save(1, tmp_path / "new.pt")
    (tmp_path / "plain").write_bytes(b"")
    assert os.stat(tmp_path / "new.pt").st_mode & 0o777 == os.stat(tmp_path / "plain").st_mode & 0o777


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name != "posix", reason="needs POSIX symlinks")
def test_saving_to_a_symlink_writes_through_it(tmp_path):
    (tmp_path / "real").mkdir()
    target, link = tmp_path / "real" / "model.pt", tmp_path / "latest.pt"
    save({"epoch": 1}, target)
    os.symlink(target, link)
    save({"epoch": 2}, link)
    assert os.path.islink(link) and os.readlink(link) == str(target)
    assert load(target) == {"epoch": 2} and load(link) == {"epoch": 2}
    assert os.listdir(tmp_path / "real") == ["model.pt"] and sorted(os.listdir(tmp_path)) == ["latest.pt", "real"]
    dangling = tmp_path / "dangling.pt"
    os.symlink(tmp_path / "real" / "new.pt", dangling)
    save({"epoch": 3}, dangling)  # like open(path, "wb"): creates the file the link names
    assert os.path.islink(dangling) and load(tmp_path / "real" / "new.pt") == {"epoch": 3}


def test_no_temporary_file_survives_a_failed_rename(tmp_path):
    (tmp_path / "model.pt").mkdir()  # a directory where the checkpoint should go: the final rename fails
    with pytest.raises(OSError):
        save({"w": minitorch.ones(2)}, tmp_path / "model.pt")
    assert os.listdir(tmp_path) == ["model.pt"] and os.listdir(tmp_path / "model.pt") == []


def test_an_unsavable_object_creates_no_file(tmp_path):
    with pytest.raises(TypeError):
        save({"f": print}, tmp_path / "model.pt")
    assert os.listdir(tmp_path) == []


KILLED_SAVE = """
import sys, time
import numpy as np
import minitorch
real_save = np.save

def write_half_then_hang(file, array, allow_pickle=True):
    real_save(file, array[: len(array) // 2], allow_pickle=allow_pickle)
    file.flush()
    print("writing", flush=True)
    time.sleep(600)  # the parent kills this process here, mid-save

np.save = write_half_then_hang
minitorch.save({"version": 2, "w": minitorch.ones(200_000)}, sys.argv[1])
"""


@pytest.mark.skipif(os.name != "posix", reason="kill -9 is POSIX")
def test_a_save_killed_with_sigkill_leaves_no_stray_files_after_the_next_save(tmp_path):
    import signal
    import subprocess
    import sys

    path = tmp_path / "model.pt"
    save({"version": 1, "w": minitorch.zeros(200_000)}, path)
    before = path.read_bytes()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.dirname(os.path.dirname(minitorch.__file__)),
                                                       os.environ.get("PYTHONPATH", "")]))
    child = subprocess.Popen([sys.executable, "-c", KILLED_SAVE, str(path)], stdout=subprocess.PIPE, env=env)
    try:
        assert child.stdout.readline() == b"writing\n"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
    stray = [name for name in os.listdir(tmp_path) if name != "model.pt"]
    assert len(stray) == 1 and stray[0].startswith(".model.pt.") and os.path.getsize(tmp_path / stray[0]) > 100_000
    assert path.read_bytes() == before  # the previous checkpoint survived the kill

    (tmp_path / "other.pt").write_bytes(b"x")  # files of other names are never touched
    (tmp_path / ".other.pt.1.abcdef12.tmp").write_bytes(b"x")
    save({"version": 3}, path)
    assert sorted(os.listdir(tmp_path)) == [".other.pt.1.abcdef12.tmp", "model.pt", "other.pt"]
    assert load(path) == {"version": 3}


def test_the_temporary_files_of_running_saves_are_kept(tmp_path):
    mine = tmp_path / f".model.pt.{os.getpid()}.0123abcd.tmp"  # as if another thread of this process were saving
    mine.write_bytes(b"partial")
    save(1, tmp_path / "model.pt")
    assert mine.exists()
