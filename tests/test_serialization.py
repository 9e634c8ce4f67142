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
     "arrays/0.npy is not a valid array \\(Object arrays cannot be loaded when allow_pickle=False\\)"),
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
