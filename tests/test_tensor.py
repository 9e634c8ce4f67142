"""The Tensor object: storage, metadata, conversions, printing, devices, copying and errors.

Expected strings were printed by PyTorch 2.13 for the same code.
"""

import copy
import pickle

import numpy as np
import pytest

import minitorch as torch


def raises(kind, message):
    """pytest.raises that checks the whole message, not a pattern."""
    class Check:
        def __enter__(self):
            self.ctx = pytest.raises(kind)
            self.info = self.ctx.__enter__()

        def __exit__(self, *exc):
            handled = self.ctx.__exit__(*exc)
            assert str(self.info.value) == message
            return handled

    return Check()


# ---- storage, shape, strides, offset ------------------------------------------------------------

def test_metadata_of_a_matrix():
    x = torch.tensor([[1, 2, 3], [4, 5, 6]])
    assert x.shape == torch.Size([2, 3]) and x.size() == (2, 3) and x.size(1) == 3 and x.size(-1) == 3
    assert (x.dim(), x.ndim, x.numel(), x.nelement()) == (2, 2, 6, 6)
    assert x.stride() == (3, 1) and x.stride(0) == 3 and x.stride(-1) == 1 and x.storage_offset() == 0
    assert x.is_contiguous() and x.element_size() == 8 and x.itemsize == 8 and x.nbytes == 48
    assert x.dtype is torch.int64 and x.device == torch.device("cpu") and x.type() == "torch.LongTensor"
    assert x.layout is torch.strided and not x.is_cuda and x.get_device() == -1
    assert repr(x.shape) == "torch.Size([2, 3])"


def test_views_share_storage_and_writes_are_seen():
    base = torch.arange(12)
    view = base.view(3, 4)[1:, ::2]
    assert view.storage_offset() == 4 and view.stride() == (4, 2) and not view.is_contiguous()
    assert view.data_ptr() == base.data_ptr() + 4 * 8
    assert view.untyped_storage().data_ptr() == base.untyped_storage().data_ptr()
    view[0, 1] = 100
    assert base[6].item() == 100 and list(view.storage())[6] == 100
    base[8] = -1
    assert view.tolist() == [[4, 100], [-1, 10]]


def test_storage_is_the_flat_shared_values():
    x = torch.arange(6).view(2, 3).t()
    s = x.storage()
    assert list(s) == [0, 1, 2, 3, 4, 5] and len(s) == 6 and s.size() == 6 and s[4] == 4
    assert s.tolist() == [0, 1, 2, 3, 4, 5] and s.dtype is torch.int64 and s.element_size() == 8 and s.nbytes() == 48
    s[0] = 9
    assert x[0, 0].item() == 9
    assert list(torch.arange(6)[2:].storage()) == [0, 1, 2, 3, 4, 5]  # the whole storage, offset aside


def test_storage_printing_matches_torch():
    assert str(torch.arange(3).storage()) == (
        " 0\n 1\n 2\n[torch.storage.TypedStorage(dtype=torch.int64, device=cpu) of size 3]")
    assert repr(torch.arange(3.0).view(3, 1).t().storage()) == (
        " 0.0\n 1.0\n 2.0\n[torch.storage.TypedStorage(dtype=torch.float32, device=cpu) of size 3]")
    assert str(torch.tensor([True]).storage()) == (
        " True\n[torch.storage.TypedStorage(dtype=torch.bool, device=cpu) of size 1]")
    assert str(torch.zeros(0).storage()) == " \n[torch.storage.TypedStorage(dtype=torch.float32, device=cpu) of size 0]"
    assert str(torch.tensor([1, 2], dtype=torch.int16).untyped_storage()) == (
        " 1\n 0\n 2\n 0\n[torch.storage.UntypedStorage(device=cpu) of size 4]")


def test_untyped_storage_counts_bytes():
    u = torch.arange(6).untyped_storage()
    assert u.nbytes() == 48 and u.size() == 48 and len(u) == 48 and u[8] == 1


def test_size_is_a_tuple_of_ints():
    s = torch.Size([2, 3])
    assert s == (2, 3) and s.numel() == 6 and isinstance(s, tuple)
    assert repr(s + (4,)) == "torch.Size([2, 3, 4])" and repr((4,) + s) == "torch.Size([4, 2, 3])"
    assert repr(s[::-1]) == "torch.Size([3, 2])" and repr(s * 2) == "torch.Size([2, 3, 2, 3])" and s[1] == 3
    assert torch.Size([torch.tensor(2)]) == (2,) and torch.Size() == ()
    with raises(TypeError, "torch.Size() takes an iterable of 'int' (item 0 is 'float')"):
        torch.Size([2.5])


def test_dim_errors():
    x = torch.zeros(2, 3)
    with raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)"):
        x.size(2)
    with raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got -3)"):
        x.stride(-3)
    with raises(TypeError, "size(): argument 'dim' (position 1) must be int, not float"):
        x.size(1.0)
    with raises(TypeError, "stride(): argument 'dim' (position 1) must be int, not str"):
        x.stride("a")
    with raises(IndexError, "Dimension specified as 0 but tensor has no dimensions"):
        torch.tensor(3).size(0)
    with raises(IndexError, "Dimension specified as -1 but tensor has no dimensions"):
        torch.tensor(3).stride(-1)
    assert torch.tensor(3).size() == () and torch.tensor(3).stride() == ()


def test_dim_order():
    assert torch.zeros(2, 3).dim_order() == (0, 1) and torch.zeros(2, 3).t().dim_order() == (1, 0)
    assert torch.zeros(2, 1, 3).permute(2, 1, 0).dim_order() == (2, 1, 0)


# ---- python numbers, lists, numpy ---------------------------------------------------------------

def test_item_tolist_and_python_conversions():
    assert torch.tensor([1.5]).item() == 1.5 and torch.tensor([[2]]).item() == 2 and torch.tensor(True).item() is True
    assert torch.tensor([[1.5, 2]]).tolist() == [[1.5, 2.0]] and torch.tensor(3.5).tolist() == 3.5
    assert torch.tensor([1.0], dtype=torch.float16).item() == 1.0
    assert int(torch.tensor(2.7)) == 2 and float(torch.tensor([3])) == 3.0 and bool(torch.tensor([0])) is False
    assert [10, 20, 30][torch.tensor(1)] == 20 and f"{torch.tensor(2.5):.2f}" == "2.50"
    assert len(torch.zeros(3, 2)) == 3 and [t.item() for t in torch.arange(3)] == [0, 1, 2]
    assert 3 in torch.tensor([1, 2, 3]) and torch.tensor(2) in torch.tensor([1, 2]) and 5 not in torch.tensor([[1, 2]])
    assert reversed(torch.tensor([1, 2])).tolist() == [2, 1]


def test_python_conversion_errors():
    with raises(RuntimeError, "a Tensor with 2 elements cannot be converted to Scalar"):
        torch.tensor([1, 2]).item()
    with raises(ValueError, "only one element tensors can be converted to Python scalars"):
        int(torch.tensor([1.0, 2.0]))
    with raises(ValueError, "only one element tensors can be converted to Python scalars"):
        float(torch.tensor([]))
    with raises(RuntimeError, "Boolean value of Tensor with more than one value is ambiguous"):
        bool(torch.tensor([1, 2]))
    with raises(TypeError, "only integer tensors of a single element can be converted to an index"):
        [10, 20][torch.tensor(1.0)]
    with raises(TypeError, "len() of a 0-d tensor"):
        len(torch.tensor(2))
    with raises(TypeError, "iteration over a 0-d tensor"):
        iter(torch.tensor(2))
    with raises(TypeError, "unsupported format string passed to Tensor.__format__"):
        f"{torch.tensor([1.5]):.2f}"


def test_numpy_shares_memory():
    a = torch.arange(6.0)
    n = a.numpy()
    n[0] = 100
    m = a[1:].view(1, 5).numpy()
    m[0, 0] = 50
    assert a.tolist() == [100.0, 50.0, 2.0, 3.0, 4.0, 5.0] and n.dtype == np.float32
    assert a.t().numpy().base is not None and torch.ones(2, 3).T.numpy().strides == (4, 12)
    assert np.array(torch.tensor([1.0, 2.0])).tolist() == [1.0, 2.0]
    assert np.asarray(torch.tensor([[1, 2]]), dtype=np.float64).dtype == np.float64


def test_numpy_of_a_tensor_that_requires_grad():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with raises(RuntimeError, "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."):
        x.numpy()
    assert x.numpy(force=True).tolist() == [1.0, 2.0] and x.detach().numpy().tolist() == [1.0, 2.0]


def test_numpy_functions_return_tensors():
    y = np.exp(torch.tensor([0.0, 1.0]))
    assert isinstance(y, torch.Tensor) and repr(y) == "tensor([1.0000, 2.7183])"
    assert np.greater(torch.tensor([1, 3]), 2).dtype is torch.uint8  # torch turns bool results into uint8


# ---- clone, detach, copies ------------------------------------------------------------------------

def test_clone_and_detach():
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert x.detach().data_ptr() == x.data_ptr() and x.clone().data_ptr() != x.data_ptr()
    assert x.t().clone().stride() == (1, 2)  # clone keeps the memory layout (preserve_format)
    assert x.t().clone(memory_format=torch.contiguous_format).stride() == (2, 1)
    g = torch.tensor([1.0, 2.0], requires_grad=True)
    d = g.detach()
    d[0] = 10
    assert g.tolist() == [10.0, 2.0] and not d.requires_grad and d._version == g._version == 1


def test_deepcopy_copies_storage_and_keeps_views_together():
    a = torch.arange(6.0).view(2, 3)
    b = copy.deepcopy(a)
    b[0, 0] = 100
    assert a[0, 0].item() == 0 and b.stride() == (3, 1)
    base = torch.arange(6.0)
    c_base, c_view = copy.deepcopy((base, base[2:]))
    c_view[0] = 100
    assert c_base[2].item() == 100 and c_view.storage_offset() == 2 and base[2].item() == 2
    w = torch.ones(2, requires_grad=True)
    w.grad = torch.ones(2)
    w2 = copy.deepcopy(w)
    assert w2.requires_grad and w2.is_leaf and w2.grad.tolist() == [1.0, 1.0] and w2.grad is not w.grad
    with pytest.raises(RuntimeError, match="Only Tensors created explicitly by the user"):
        copy.deepcopy(w * 2)


def test_pickle_round_trip():
    a = torch.arange(6.0).view(2, 3).t()
    b = pickle.loads(pickle.dumps(a))
    assert b.tolist() == a.tolist() and b.stride() == (1, 3) and b.dtype is torch.float32
    r = pickle.loads(pickle.dumps(torch.ones(2, dtype=torch.float64, requires_grad=True)))
    assert r.requires_grad and r.dtype is torch.float64
    base, view = pickle.loads(pickle.dumps((torch.arange(4.0), torch.arange(4.0)[1:])))
    assert view.tolist() == [1.0, 2.0, 3.0]


# ---- printing ---------------------------------------------------------------------------------------

def test_repr_suffixes():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    assert repr(x) == "tensor([1., 2.], requires_grad=True)"
    assert repr(x * 2) == "tensor([2., 4.], grad_fn=<MulBackward0>)"
    assert repr(x.double() + 1) == "tensor([2., 3.], dtype=torch.float64, grad_fn=<AddBackward0>)"
    assert repr(torch.tensor([1, 2], dtype=torch.int32)) == "tensor([1, 2], dtype=torch.int32)"
    assert repr(torch.zeros(0, 3)) == "tensor([], size=(0, 3))"
    assert str(torch.tensor(3.0)) == "tensor(3.)" and repr(x.sum()) == "tensor(3., grad_fn=<SumBackward0>)"
    with torch.no_grad():
        assert repr(x * 2) == "tensor([2., 4.])"


def test_repr_follows_the_default_dtype():
    torch.set_default_dtype(torch.float64)
    try:
        assert repr(torch.tensor([1.5])) == "tensor([1.5000])"
        assert repr(torch.tensor([1.5], dtype=torch.float32)) == "tensor([1.5000], dtype=torch.float32)"
    finally:
        torch.set_default_dtype(torch.float32)


# ---- devices --------------------------------------------------------------------------------------

def test_device_objects():
    assert repr(torch.device("cuda:1")) == "device(type='cuda', index=1)" and str(torch.device("cuda:1")) == "cuda:1"
    assert torch.device("cuda", 0) == torch.device("cuda:0") and torch.device(0) == torch.device("cuda:0")
    assert repr(torch.device("cpu")) == "device(type='cpu')" and torch.device(torch.device("cpu")).type == "cpu"
    assert torch.device("cpu") != "cpu"  # like torch, a device never equals a string
    assert torch.zeros(2, device="cpu:0").device == torch.device("cpu")
    assert torch.tensor([1, 2]).to(torch.device("cpu")).device.type == "cpu"
    with raises(RuntimeError, "Invalid device string: 'cuda:x'"):
        torch.device("cuda:x")
    with pytest.raises(RuntimeError, match="Expected one of cpu, cuda, .* device type at start of device string: gpu"):
        torch.device("gpu")


def test_cpu_is_a_no_op_on_the_cpu():
    x = torch.tensor([1.0])
    assert x.cpu() is x and x.to("cpu") is x


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the message shown without a GPU")
def test_cuda_without_a_gpu_says_how_to_get_one():
    assert torch.cuda.is_available() is False
    for make in (lambda: torch.tensor([1.0]).cuda(), lambda: torch.zeros(2, device="cuda"),
                 lambda: torch.tensor([1.0]).to("cuda"), lambda: torch.ones(1).type("torch.cuda.FloatTensor")):
        with pytest.raises(RuntimeError, match=r'pip install "minitorch-kit\[gpu\]"'):
            make()
    with pytest.raises(TypeError, match=r'^type torch.cuda.FloatTensor not available\. .*"minitorch-kit\[gpu\]"'):
        torch.cuda.FloatTensor(2, 3)  # torch's error type for its legacy GPU constructors
    assert torch.version.cuda is None


def test_version_module():
    assert torch.version.__version__ == torch.__version__ and torch.version.debug is False
    with pytest.raises(AttributeError):
        torch.version.no_such_thing


@pytest.mark.cuda
def test_cuda_tensors():
    legacy = torch.cuda.LongTensor([1, 2])
    assert legacy.is_cuda and legacy.dtype is torch.int64 and torch.cuda.FloatTensor(2, 3).shape == (2, 3)
    assert isinstance(torch.version.cuda, str)
    x = torch.tensor([[1.0, 2.0]], device="cuda")
    assert x.is_cuda and x.device == torch.device("cuda:0") and x.get_device() == 0
    assert repr(x) == "tensor([[1., 2.]], device='cuda:0')" and x.type() == "torch.cuda.FloatTensor"
    assert repr((x * 2).t()) == "tensor([[2.],\n        [4.]], device='cuda:0')"
    assert x.cpu().device.type == "cpu" and x.cpu().tolist() == [[1.0, 2.0]] and x.item is not None
    assert repr(x.erf()) == "tensor([[0.8427, 0.9953]], device='cuda:0')"
    with pytest.raises(TypeError, match="can't convert cuda:0 device type tensor to numpy"):
        x.numpy()
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        x + torch.ones(1, 2)
    assert (x + torch.tensor(1.0)).device.type == "cuda"  # a 0-d CPU tensor is fine
    assert torch.zeros(2, 3, device="cuda").t().contiguous().stride() == (2, 1)


def test_top_level_copies_of_functional_ops():
    # torch has these at the top level too (checked with hasattr(torch, name) in torch 2.13)
    for name in ["relu", "relu_", "selu", "selu_", "celu", "celu_", "threshold", "threshold_", "sigmoid", "tanh",
                 "softmax", "log_softmax", "dropout", "conv2d", "max_pool2d", "batch_norm", "layer_norm",
                 "embedding", "cosine_similarity"]:
        assert callable(getattr(torch, name)), name
    x = torch.tensor([[-1.0, 2.0, 3.0]])
    assert torch.relu_(x.clone()).tolist() == [[0.0, 2.0, 3.0]] and torch.threshold(x, 2.5, 0.0).tolist() == [[0, 0, 3.0]]
    assert torch.dropout(x, 0.5, False).tolist() == x.tolist() and torch.dropout(x, p=1.0, train=True).sum().item() == 0
    table = torch.arange(6.0).view(3, 2)
    assert torch.embedding(table, torch.tensor([2, 0])).tolist() == [[4.0, 5.0], [0.0, 1.0]]  # aten's order
    out = torch.batch_norm(torch.tensor([[1.0], [3.0]]), None, None, None, None, True, 0.1, 0.0, False)
    assert out.tolist() == [[-1.0], [1.0]]
    assert torch.cosine_similarity(x, x).shape == (1,) and torch.layer_norm(x, (3,)).shape == (1, 3)
