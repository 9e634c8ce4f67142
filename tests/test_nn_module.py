"""nn.Module, Parameter and the containers: registration, traversal, state dicts, modes, hooks,
devices and torch's printed reprs and error messages."""

import copy
import sys
from collections import OrderedDict

import numpy as np
import pytest

import minitorch as torch
from minitorch import nn
import minitorch.nn.functional as F


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(20, 256)
        self.output = nn.Linear(256, 10)

    def forward(self, X):
        return self.output(F.relu(self.hidden(X)))


# ---- Parameter ----------------------------------------------------------------------------------------

def test_parameter_repr_and_flags():
    p = nn.Parameter(torch.tensor([[-0.1357, -0.0438]]))
    assert repr(p) == "Parameter containing:\ntensor([[-0.1357, -0.0438]], requires_grad=True)"
    assert p.requires_grad and p.is_leaf and isinstance(p, torch.Tensor)
    frozen = nn.Parameter(torch.ones(2), requires_grad=False)
    assert repr(frozen) == "Parameter containing:\ntensor([1., 1.])"


def test_parameter_shares_storage_and_ops_give_plain_tensors():
    t = torch.zeros(3)
    p = nn.Parameter(t)
    t[0] = 5
    assert p[0].item() == 5
    assert type(p * 2) is torch.Tensor and type(p.detach()) is torch.Tensor


def test_parameter_deepcopy_is_independent():
    p = nn.Parameter(torch.ones(2))
    q = copy.deepcopy(p)
    q.data.add_(1)
    assert isinstance(q, nn.Parameter) and q.requires_grad and p.tolist() == [1.0, 1.0]


# ---- registration ---------------------------------------------------------------------------------------

def test_attribute_assignment_registers():
    net = MLP()
    assert [n for n, _ in net.named_parameters()] == ["hidden.weight", "hidden.bias", "output.weight", "output.bias"]
    assert [n for n, _ in net.named_children()] == ["hidden", "output"]
    assert [n for n, _ in net.named_modules()] == ["", "hidden", "output"]
    assert len(list(net.parameters())) == 4 and len(list(net.modules())) == 3
    assert net.hidden.weight.shape == (256, 20)


def test_register_buffer_and_persistence():
    m = nn.Module()
    m.register_buffer("a", torch.zeros(2))
    m.register_buffer("b", torch.ones(1), persistent=False)
    assert [n for n, _ in m.named_buffers()] == ["a", "b"]
    assert list(m.state_dict()) == ["a"]
    m.a = torch.ones(2)  # assigning a tensor to a buffer name replaces the buffer
    assert m._buffers["a"].tolist() == [1.0, 1.0]
    m.a = None
    assert list(m.named_buffers()) == [("b", m.b)]


def test_add_module_with_spaces_in_name_and_parameters_reassignment():
    net = nn.Sequential(OrderedDict([("hidden linear", nn.Linear(10, 5)), ("act", nn.ReLU())]))
    assert repr(net) == ("Sequential(\n  (hidden linear): Linear(in_features=10, out_features=5, bias=True)\n"
                         "  (act): ReLU()\n)")
    assert list(net.state_dict()) == ["hidden linear.weight", "hidden linear.bias"]
    net.add_module("out", nn.Linear(5, 1))
    assert net(torch.ones(3, 10)).shape == (3, 1)
    lin = nn.Linear(3, 2)
    lin.bias = None
    assert [n for n, _ in lin.named_parameters()] == ["weight"] and lin(torch.ones(1, 3)).shape == (1, 2)


@pytest.mark.parametrize("call, error, message", [
    (lambda m: m.add_module("a.b", nn.ReLU()), KeyError, 'module name can\'t contain ".", got: a.b'),
    (lambda m: m.add_module("", nn.ReLU()), KeyError, 'module name can\'t be empty string ""'),
    (lambda m: m.add_module(3, nn.ReLU()), TypeError, "module name should be a string. Got int"),
    (lambda m: m.add_module("x", 3), TypeError, "int is not a Module subclass"),
    (lambda m: m.register_buffer("weight", torch.ones(1)), KeyError, "attribute 'weight' already exists"),
    (lambda m: m.register_buffer("a.b", torch.ones(1)), KeyError, 'buffer name can\'t contain "."'),
    (lambda m: m.register_buffer("b", 3), TypeError,
     "cannot assign 'int' object to buffer 'b' (torch Tensor or None required)"),
    (lambda m: m.register_parameter("p", torch.ones(1)), TypeError,
     "cannot assign 'torch.FloatTensor' object to parameter 'p' (torch.nn.Parameter or None required)"),
    (lambda m: setattr(m, "weight", torch.ones(2, 3)), TypeError,
     "cannot assign 'torch.FloatTensor' as parameter 'weight' (torch.nn.Parameter or None expected)"),
    (lambda m: m.foo, AttributeError, "'Linear' object has no attribute 'foo'"),
])
def test_registration_errors(call, error, message):
    with pytest.raises(error) as info:
        call(nn.Linear(3, 2))
    assert (info.value.args[0] if error is KeyError else str(info.value)) == message


def test_assign_before_init_and_nonleaf_parameter():
    class Broken(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(torch.ones(1))

    with pytest.raises(AttributeError, match=r"cannot assign parameters before Module.__init__\(\) call"):
        Broken()
    m = nn.Module()
    with pytest.raises(ValueError, match="Cannot assign non-leaf Tensor to parameter 'w'"):
        m.register_parameter("w", _nonleaf_parameter())


def _nonleaf_parameter():
    computed = nn.Parameter(torch.ones(1)) * 2
    computed.__class__ = nn.Parameter  # a Parameter object with history (only a hack makes one)
    return computed


def test_shared_parameters_listed_once_and_delattr():
    shared = nn.Linear(4, 4)
    net = nn.Sequential(shared, nn.ReLU(), shared)
    assert len(list(net.parameters())) == 2
    assert [n for n, _ in net.named_parameters()] == ["0.weight", "0.bias"]
    assert len(list(net.named_parameters(remove_duplicate=False))) == 4
    del shared.bias
    assert [n for n, _ in shared.named_parameters()] == ["weight"]


def test_forward_missing_and_init_arguments():
    with pytest.raises(NotImplementedError, match=r'Module \[Module\] is missing the required "forward" function'):
        nn.Module()(1)
    with pytest.raises(TypeError):
        nn.Module(3)


def test_get_submodule_and_parameter():
    net = nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.ReLU(), nn.Linear(3, 1)))
    assert net.get_submodule("1.1") is net[1][1]
    assert net.get_parameter("1.1.bias") is net[1][1].bias
    with pytest.raises(AttributeError, match="Linear has no attribute `foo`"):
        net.get_submodule("0.foo")


# ---- state_dict -----------------------------------------------------------------------------------------

def test_state_dict_keys_values_and_round_trip():
    net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(8, 3))
    sd = net.state_dict()
    assert isinstance(sd, OrderedDict)
    assert list(sd) == ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                        "1.num_batches_tracked", "3.weight", "3.bias"]
    assert not sd["0.weight"].requires_grad and sd["1.num_batches_tracked"].dtype == torch.int64
    assert sd["0.weight"].data_ptr() == net[0].weight.data_ptr()  # detached views, not copies
    other = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(8, 3))
    weight_object = other[3].weight
    result = other.load_state_dict({k: v.clone() for k, v in sd.items()})
    assert repr(result) == "<All keys matched successfully>"
    assert other[3].weight is weight_object  # copied in place: optimizers stay valid
    x = torch.randn(2, 1, 4, 4)
    net.eval(), other.eval()
    assert np.array_equal(net(x).detach().numpy(), other(x).detach().numpy())


def test_state_dict_keep_vars_and_printing():
    lin = nn.Linear(1, 1)
    assert lin.state_dict(keep_vars=True)["weight"] is lin.weight
    with torch.no_grad():
        lin.weight.fill_(0.5)
        lin.bias.fill_(-1.0)
    # torch's state_dict is an OrderedDict, so torch prints it the way the running python prints one
    if sys.version_info >= (3, 12):
        expected = "OrderedDict({'weight': tensor([[0.5000]]), 'bias': tensor([-1.])})"
    else:
        expected = "OrderedDict([('weight', tensor([[0.5000]])), ('bias', tensor([-1.]))])"
    assert repr(lin.state_dict()) == expected


def test_load_state_dict_errors():
    lin = nn.Linear(3, 2)
    with pytest.raises(RuntimeError) as info:
        lin.load_state_dict({"weight": torch.ones(2, 3), "foo": torch.ones(1)})
    assert str(info.value) == ('Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: "bias". '
                               '\n\tUnexpected key(s) in state_dict: "foo". ')
    with pytest.raises(RuntimeError) as info:
        nn.Sequential(lin).load_state_dict({"0.weight": torch.ones(3, 3), "0.bias": torch.ones(2), "x": 1})
    assert str(info.value) == (
        'Error(s) in loading state_dict for Sequential:\n\tUnexpected key(s) in state_dict: "x". \n\tsize mismatch '
        "for 0.weight: copying a param with shape torch.Size([3, 3]) from checkpoint, the shape in current model is "
        "torch.Size([2, 3]).")
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like, got <class 'list'>."):
        lin.load_state_dict([1])
    result = lin.load_state_dict({"weight": torch.full((2, 3), 7.0)}, strict=False)
    assert result.missing_keys == ["bias"] and result.unexpected_keys == []
    assert repr(result) == "_IncompatibleKeys(missing_keys=['bias'], unexpected_keys=[])"
    assert lin.weight.tolist() == [[7.0] * 3] * 2


def test_load_state_dict_assign_and_old_batchnorm_checkpoints():
    lin = nn.Linear(2, 2)
    new_weight = torch.zeros(2, 2)
    lin.load_state_dict({"weight": new_weight, "bias": torch.zeros(2)}, assign=True)
    assert isinstance(lin.weight, nn.Parameter) and lin.weight.data_ptr() == new_weight.data_ptr()
    bn = nn.BatchNorm1d(2)
    old = {k: v for k, v in bn.state_dict().items() if k != "num_batches_tracked"}
    assert repr(bn.load_state_dict(old)) == "<All keys matched successfully>"


# ---- modes, gradients, apply, devices -------------------------------------------------------------------

def test_train_eval_propagate():
    net = nn.Sequential(nn.Linear(2, 2), nn.Dropout(), nn.Sequential(nn.BatchNorm1d(2)))
    assert net.eval() is net and not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        net.train("yes")


def test_zero_grad_requires_grad_and_freezing():
    net = MLP()
    net(torch.rand(2, 20)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad(set_to_none=False)
    assert all(float(p.grad.abs().sum()) == 0 for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    net.hidden.weight.requires_grad = False  # freezing one tensor
    net(torch.rand(2, 20)).sum().backward()
    assert net.hidden.weight.grad is None and net.hidden.bias.grad is not None
    assert net.requires_grad_(False) is net and not any(p.requires_grad for p in net.parameters())


def test_apply_initialises_with_type_check():
    def init_normal(m):
        if type(m) == nn.Linear:  # noqa: E721  (the lecture code, verbatim)
            nn.init.normal_(m.weight, mean=0, std=0.01)
            nn.init.zeros_(m.bias)

    net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
    visited = []
    assert net.apply(lambda m: visited.append(type(m).__name__)) is net
    assert visited == ["Linear", "ReLU", "Linear", "Sequential"]  # children first
    net.apply(init_normal)
    assert float(net[0].weight.data.abs().max()) < 0.1 and net[0].bias.data.tolist() == [0.0] * 8
    assert net[0].weight.data[0].shape == (4,)


def test_to_keeps_parameter_objects_and_converts_floats_only():
    bn = nn.BatchNorm1d(3)
    weight = bn.weight
    assert bn.to(torch.float64) is bn and bn.weight is weight
    assert bn.weight.dtype == torch.float64 and bn.running_mean.dtype == torch.float64
    assert bn.num_batches_tracked.dtype == torch.int64
    assert bn.to("cpu") is bn and bn.cpu().weight.device == torch.device("cpu")
    bn.float()
    assert bn.weight.dtype == torch.float32 and bn.double().running_var.dtype == torch.float64
    with pytest.raises(TypeError, match="nn.Module.to only accepts floating point or complex dtypes, but got desired "
                                        "dtype=torch.int64"):
        bn.to(torch.int64)


def test_to_moves_grads_too():
    lin = nn.Linear(2, 1)
    lin(torch.ones(1, 2)).sum().backward()
    lin.to(torch.float64)
    assert lin.weight.grad.dtype == torch.float64 and lin.weight.requires_grad


def test_deepcopy_of_a_model():
    net = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    twin = copy.deepcopy(net)
    with torch.no_grad():
        twin[0].weight.fill_(0)
    assert float(net[0].weight.abs().sum()) > 0 and isinstance(twin[0].weight, nn.Parameter)


# ---- hooks ---------------------------------------------------------------------------------------------

def test_forward_hooks_and_pre_hooks():
    lin = nn.Linear(2, 2)
    seen = []
    h1 = lin.register_forward_pre_hook(lambda m, args: (args[0] * 0,))
    h2 = lin.register_forward_hook(lambda m, args, out: seen.append((m, out.shape)))
    out = lin(torch.ones(3, 2))
    assert seen == [(lin, (3, 2))]
    assert np.allclose(out.detach().numpy(), lin.bias.detach().numpy())  # the pre-hook zeroed the input
    h1.remove()
    h2.remove()
    lin(torch.ones(1, 2))
    assert len(seen) == 1
    with lin.register_forward_hook(lambda m, args, out: out * 0):
        assert float(lin(torch.ones(1, 2)).abs().sum()) == 0
    assert float(lin(torch.ones(1, 2)).abs().sum()) != 0


def test_forward_hooks_with_kwargs_prepend_and_always_call():
    lin = nn.Linear(2, 2)
    order = []
    lin.register_forward_hook(lambda m, a, o: order.append("second"))
    lin.register_forward_hook(lambda m, a, o: order.append("first"), prepend=True)
    lin.register_forward_hook(lambda m, a, kw, o: order.append(sorted(kw)), with_kwargs=True)
    lin(input=torch.ones(1, 2))
    assert order == ["first", "second", ["input"]]
    failed = []
    lin.register_forward_hook(lambda m, a, o: failed.append(o), always_call=True)
    with pytest.raises(RuntimeError):
        lin(torch.ones(1, 3))
    assert failed == [None]


def test_full_backward_hook_sees_and_replaces_grad_input():
    lin = nn.Linear(3, 2)
    calls = []

    def hook(module, grad_input, grad_output):
        calls.append((module, [g.shape for g in grad_input], [g.shape for g in grad_output]))
        return (grad_input[0] * 0,)

    lin.register_full_backward_hook(hook)
    x = torch.randn(4, 3, requires_grad=True)
    lin(x).sum().backward()
    assert calls == [(lin, [(4, 3)], [(4, 2)])]
    assert float(x.grad.abs().sum()) == 0 and lin.weight.grad is not None


def test_full_backward_pre_hook_and_no_input_grad():
    lin = nn.Linear(3, 2)
    grads = []
    lin.register_full_backward_pre_hook(lambda m, go: grads.append(go[0].shape))
    lin.register_full_backward_hook(lambda m, gi, go: grads.append(gi))
    with pytest.warns(UserWarning, match="Full backward hook is firing"):
        lin(torch.randn(4, 3)).sum().backward()
    assert grads == [(4, 2), (None,)]


# ---- containers -------------------------------------------------------------------------------------------

def test_sequential_indexing_slicing_len_append():
    net = nn.Sequential(nn.Linear(10, 5), nn.ReLU(), nn.Linear(5, 2))
    assert len(net) == 3 and isinstance(net[-1], nn.Linear) and net[1] is list(net)[1]
    head = net[:2]
    assert isinstance(head, nn.Sequential) and len(head) == 2 and head[0] is net[0]
    assert net.append(nn.Softmax(dim=1)) is net and len(net) == 4
    assert np.allclose(net(torch.randn(3, 10)).sum(1).detach().numpy(), 1, atol=1e-6)
    with pytest.raises(IndexError, match="index 4 is out of range"):
        net[4]
    del net[1]
    assert list(net._modules) == ["0", "1", "2"]
    net[0] = nn.Identity()
    assert isinstance(net[0], nn.Identity)
    named = nn.Sequential(OrderedDict([("a", nn.ReLU()), ("b", nn.Tanh())]))
    assert list(named[1:]._modules) == ["b"]
    assert len(net + named) == 5


def test_sequential_repr_matches_torch():
    net = nn.Sequential(nn.Linear(10, 5), nn.ReLU(), nn.Sequential(nn.Linear(5, 5), nn.Tanh()))
    assert repr(net) == ("Sequential(\n  (0): Linear(in_features=10, out_features=5, bias=True)\n  (1): ReLU()\n"
                         "  (2): Sequential(\n    (0): Linear(in_features=5, out_features=5, bias=True)\n"
                         "    (1): Tanh()\n  )\n)")
    assert repr(nn.Sequential()) == "Sequential()"


def test_module_list_and_repr_groups_repeats():
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    layers.append(nn.ReLU())
    assert repr(layers) == ("ModuleList(\n  (0-2): 3 x Linear(in_features=2, out_features=2, bias=True)\n"
                            "  (3): ReLU()\n)")
    assert len(layers) == 4 and len(list(layers.parameters())) == 6
    assert isinstance(layers[1:3], nn.ModuleList) and len(layers[1:3]) == 2
    layers.insert(0, nn.Tanh())
    assert isinstance(layers[0], nn.Tanh) and list(layers._modules) == [str(i) for i in range(5)]
    layers += [nn.Sigmoid()]
    assert isinstance(layers[-1], nn.Sigmoid) and isinstance(layers.pop(0), nn.Tanh)
    assert repr(nn.ModuleList()) == "ModuleList()"


def test_module_dict():
    d = nn.ModuleDict({"act": nn.ReLU(), "lin": nn.Linear(2, 2)})
    assert list(d.keys()) == ["act", "lin"] and "lin" in d and len(d) == 2
    assert repr(d) == "ModuleDict(\n  (act): ReLU()\n  (lin): Linear(in_features=2, out_features=2, bias=True)\n)"
    d["out"] = nn.Tanh()
    assert list(d) == ["act", "lin", "out"] and isinstance(d.pop("act"), nn.ReLU)
    d.update([("x", nn.Identity())])
    assert [k for k, _ in d.items()] == ["lin", "out", "x"] and len(list(d.parameters())) == 2


def test_custom_extra_repr_nests():
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)

        def extra_repr(self):
            return "depth=1"

    assert repr(Block()) == ("Block(\n  depth=1\n  (conv): Conv2d(3, 64, kernel_size=(7, 7), stride=(2, 2), "
                             "padding=(3, 3), bias=False)\n)")
