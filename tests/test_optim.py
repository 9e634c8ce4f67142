"""minitorch.optim: trajectories against the documented pseudo-code (re-written in numpy here),
values checked once against PyTorch, param groups, state dicts, and argument errors."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minitorch
from minitorch import optim

# ---- a test problem: f(theta) = sum(a * theta^2 + sin(theta)), so grad f = 2 a theta + cos(theta) ----

THETA0 = np.array([0.5, -1.5, 2.0, 1.0])
A = np.array([1.0, 0.5, 2.0, 3.0])


def numpy_grad(theta):
    return 2 * A * theta + np.cos(theta)


def run_minitorch(name, steps, dtype=minitorch.float64, **options):
    theta = minitorch.tensor(THETA0, dtype=dtype, requires_grad=True)
    a = minitorch.tensor(A, dtype=dtype)
    opt = getattr(optim, name)([theta], **options)
    for _ in range(steps):
        opt.zero_grad()
        (a * theta ** 2 + theta.sin()).sum().backward()
        opt.step()
    return theta.detach().numpy().astype(np.float64), opt


# ---- the pseudo-code of PyTorch's documentation, line by line, in numpy ------------------------------

def ref_sgd(theta, steps, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, maximize=False):
    b = None
    for t in range(1, steps + 1):
        g = -numpy_grad(theta) if maximize else numpy_grad(theta)
        if weight_decay != 0:
            g = g + weight_decay * theta
        if momentum != 0:
            b = momentum * b + (1 - dampening) * g if t > 1 else g
            g = g + momentum * b if nesterov else b
        theta = theta - lr * g
    return theta


def ref_adam(theta, steps, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, maximize=False,
             decoupled=False):
    beta1, beta2 = betas
    m = v = v_max = np.zeros_like(theta)
    for t in range(1, steps + 1):
        g = -numpy_grad(theta) if maximize else numpy_grad(theta)
        if decoupled:
            theta = theta - lr * weight_decay * theta
        elif weight_decay != 0:
            g = g + weight_decay * theta
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        m_hat = m / (1 - beta1 ** t)
        if amsgrad:
            v_max = np.maximum(v_max, v)
            v_hat = v_max / (1 - beta2 ** t)
        else:
            v_hat = v / (1 - beta2 ** t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    return theta


def ref_adamw(theta, steps, weight_decay=1e-2, **options):
    return ref_adam(theta, steps, weight_decay=weight_decay, decoupled=True, **options)


def ref_adagrad(theta, steps, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10,
                maximize=False):
    state_sum = np.full_like(theta, initial_accumulator_value)
    for t in range(1, steps + 1):
        g = -numpy_grad(theta) if maximize else numpy_grad(theta)
        lr_t = lr / (1 + (t - 1) * lr_decay)
        if weight_decay != 0:
            g = g + weight_decay * theta
        state_sum = state_sum + g ** 2
        theta = theta - lr_t * g / (np.sqrt(state_sum) + eps)
    return theta


def ref_rmsprop(theta, steps, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                maximize=False):
    v = b = g_ave = np.zeros_like(theta)
    for _ in range(steps):
        g = -numpy_grad(theta) if maximize else numpy_grad(theta)
        if weight_decay != 0:
            g = g + weight_decay * theta
        v = alpha * v + (1 - alpha) * g ** 2
        v_tilde = v
        if centered:
            g_ave = g_ave * alpha + (1 - alpha) * g
            v_tilde = v_tilde - g_ave ** 2
        if momentum > 0:
            b = momentum * b + g / (np.sqrt(v_tilde) + eps)
            theta = theta - lr * b
        else:
            theta = theta - lr * g / (np.sqrt(v_tilde) + eps)
    return theta


def ref_adadelta(theta, steps, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, maximize=False):
    v = u = np.zeros_like(theta)
    for _ in range(steps):
        g = -numpy_grad(theta) if maximize else numpy_grad(theta)
        if weight_decay != 0:
            g = g + weight_decay * theta
        v = v * rho + g ** 2 * (1 - rho)
        delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g
        u = u * rho + delta ** 2 * (1 - rho)
        theta = theta - lr * delta
    return theta


REFERENCES = {"SGD": ref_sgd, "Adam": ref_adam, "AdamW": ref_adamw, "Adagrad": ref_adagrad,
              "RMSprop": ref_rmsprop, "Adadelta": ref_adadelta}

CONFIGS = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True)),
    ("SGD", dict(lr=0.05, momentum=0.5, maximize=True)),
    ("Adam", dict(lr=0.1)),
    ("Adam", dict(lr=0.1, amsgrad=True)),
    ("Adam", dict(lr=0.05, betas=(0.5, 0.9), eps=1e-3, weight_decay=0.1)),
    ("Adam", dict(lr=0.05, maximize=True)),
    ("AdamW", dict(lr=0.1)),
    ("AdamW", dict(lr=0.1, weight_decay=0.3, amsgrad=True)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.1, weight_decay=0.1, initial_accumulator_value=0.5)),
    ("Adagrad", dict(lr=0.1, maximize=True, eps=1e-3)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, momentum=0.9)),
    ("RMSprop", dict(lr=0.01, centered=True, alpha=0.9, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True, maximize=True)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.1)),
    ("Adadelta", dict(maximize=True)),
]


@pytest.mark.parametrize("name,options", CONFIGS, ids=[f"{n}-{o}" for n, o in CONFIGS])
def test_trajectory_follows_documented_pseudocode(name, options):
    expected = REFERENCES[name](THETA0.copy(), 6, **options)
    got, _ = run_minitorch(name, 6, **options)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name,options", CONFIGS[::3], ids=[f"{n}-{o}" for n, o in CONFIGS[::3]])
def test_trajectory_in_float32(name, options):
    expected = REFERENCES[name](THETA0.copy(), 4, **options)
    got, opt = run_minitorch(name, 4, dtype=minitorch.float32, **options)
    np.testing.assert_allclose(got, expected, rtol=2e-5, atol=1e-6)
    for value in opt.state[opt.param_groups[0]["params"][0]].values():
        assert value.dtype is minitorch.float32


# values after 3 steps, computed once with PyTorch 2.x (torch.optim, foreach=False)
TORCH_VALUES = [
    ("SGD", {'lr': 0.1, 'momentum': 0.9, 'nesterov': True, 'weight_decay': 0.1},
     [-0.585657234909899, -0.6309493461535145, -1.1087709619069723, -0.4727122879620537]),
    ("SGD", {'lr': 0.1, 'momentum': 0.9, 'dampening': 0.5, 'maximize': True},
     [1.3378234650865528, -2.1572505698053823, 5.769879663670745, 4.481816006276774]),
    ("Adam", {'lr': 0.1, 'amsgrad': True, 'weight_decay': 0.1},
     [0.2013230537137085, -1.2024206618230715, 1.7004824051846636, 0.7011546725357392]),
    ("AdamW", {'lr': 0.1, 'weight_decay': 0.5},
     [0.14513617487206773, -1.0074374618040505, 1.4306149877308127, 0.5741288436252816]),
    ("Adagrad", {'lr': 0.1, 'lr_decay': 0.1, 'initial_accumulator_value': 0.5},
     [0.3032783111064259, -1.3134256212692048, 1.7911140902821971, 0.794292222264324]),
    ("RMSprop", {'lr': 0.01, 'momentum': 0.9, 'centered': True},
     [0.04705133908692498, -1.0573176806177438, 1.539049821749875, 0.5459097555287483]),
    ("Adadelta", {'lr': 1.0, 'rho': 0.8, 'weight_decay': 0.1},
     [0.49297132823836537, -1.4929752881882987, 1.9929678164566924, 0.992970920607817]),
]


@pytest.mark.parametrize("name,options,expected", TORCH_VALUES, ids=[t[0] for t in TORCH_VALUES])
def test_matches_values_computed_with_pytorch(name, options, expected):
    got, _ = run_minitorch(name, 3, **options)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


@settings(max_examples=30, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
                  elements=st.floats(-10, 10)),
       hnp.arrays(np.float64, 1, elements=st.floats(-10, 10)),
       st.floats(1e-3, 1.0))
def test_first_step_of_sgd_and_adam_on_any_shape(theta, grad_scale, lr):
    grad = theta * grad_scale[0] + 1.0
    for name, expected in [("SGD", theta - lr * grad),
                           ("Adam", theta - lr * grad / (np.abs(grad) + 1e-8))]:  # m_hat = g, v_hat = g^2
        p = minitorch.tensor(theta, requires_grad=True)
        p.grad = minitorch.tensor(grad)
        getattr(optim, name)([p], lr=lr).step()
        assert p.shape == theta.shape and p.requires_grad and p.is_leaf
        np.testing.assert_allclose(p.detach().numpy(), expected, rtol=1e-10, atol=1e-12)


# ---- Optimizer bookkeeping ---------------------------------------------------------------------------

def params(*values):
    return [minitorch.tensor(v, requires_grad=True) for v in values]


def test_param_groups_have_their_own_options_and_defaults():
    a, b = params([1.0, 2.0], [3.0])
    opt = optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5, "momentum": 0.9}], lr=0.1)
    assert opt.param_groups[0]["lr"] == 0.1 and opt.param_groups[0]["momentum"] == 0
    assert opt.param_groups[1]["params"] == [b] and opt.param_groups[1]["lr"] == 0.5
    a.grad, b.grad = minitorch.ones(2), minitorch.ones(1)
    opt.step()
    np.testing.assert_allclose(a.detach().numpy(), [0.9, 1.9], rtol=1e-6)
    np.testing.assert_allclose(b.detach().numpy(), [2.5])
    assert set(opt.state) == {b}  # momentum state only where momentum is used


def test_parameters_without_grad_are_skipped_and_get_no_state():
    a, b = params([1.0], [2.0])
    opt = optim.Adam([a, b], lr=0.1)
    a.grad = minitorch.ones(1)
    opt.step()
    assert b.item() == 2.0 and len(opt.state[b]) == 0
    assert opt.state[a]["step"].item() == 1.0


def test_step_runs_the_closure_with_grad_enabled_and_returns_its_loss():
    (w,) = params([2.0])
    opt = optim.SGD([w], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with minitorch.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 4.0 and w.item() == 1.0
    assert opt.step() is None


def test_zero_grad_sets_to_none_or_zeros():
    (w,) = params([1.0, 2.0])
    opt = optim.SGD([w], lr=0.1)
    w.grad = minitorch.ones(2)
    opt.zero_grad(set_to_none=False)
    assert w.grad.tolist() == [0.0, 0.0]
    opt.zero_grad()
    assert w.grad is None


def test_update_is_in_place_and_not_recorded_by_autograd():
    (w,) = params([1.0, 2.0])
    before = w.data_ptr()
    (w * w).sum().backward()
    optim.SGD([w], lr=0.1, momentum=0.9).step()
    assert w.data_ptr() == before and w.is_leaf and w.grad_fn is None and w.requires_grad


@pytest.mark.parametrize("name,options", CONFIGS[1::2], ids=[f"{n}-{o}" for n, o in CONFIGS[1::2]])
def test_update_writes_every_layout_in_place_and_bumps_the_version(name, options):
    # a transposed (non-contiguous) parameter and a 0-d one follow the same trajectory as contiguous ones
    def run(make):
        w = make(THETA0.reshape(2, 2)).requires_grad_()
        s = minitorch.tensor(0.7, dtype=minitorch.float64, requires_grad=True)
        opt = getattr(optim, name)([w, s], **options)
        a = minitorch.tensor(A.reshape(2, 2))
        storage, version = w.data_ptr(), w._version
        for _ in range(4):
            opt.zero_grad()
            ((a * w ** 2 + w.sin()).sum() + s.cos() * 3).backward()
            opt.step()
        assert w.data_ptr() == storage and w._version > version and w.is_leaf
        return w.detach().numpy(), s.item(), opt.state[w]

    plain = run(lambda x: minitorch.tensor(x))
    transposed = run(lambda x: minitorch.tensor(x.T.copy()).t())
    assert not minitorch.tensor(THETA0.reshape(2, 2)).t().is_contiguous()
    np.testing.assert_array_equal(transposed[0], plain[0])
    assert transposed[1] == plain[1]
    for key, value in transposed[2].items():  # state tensors keep the parameter's layout
        assert value.shape == (() if key == "step" else (2, 2))
        if key != "step":
            assert value.stride() == (1, 2)


def test_a_saved_parameter_changed_by_step_is_caught_by_backward():
    (w,) = params([1.0, 2.0])
    y = (w * w).sum()  # saves w
    w.grad = minitorch.ones(2)
    optim.SGD([w], lr=0.1).step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_step_count_is_a_float32_tensor_in_state_as_in_torch():
    (w,) = params([1.0, 2.0])
    opt = optim.Adam([w])
    for _ in range(3):
        w.grad = minitorch.ones(2)
        opt.step()
    step = opt.state[w]["step"]
    assert isinstance(step, minitorch.Tensor) and step.dtype is minitorch.float32 and step.item() == 3.0


def test_add_param_group():
    a, b = params([1.0], [2.0])
    opt = optim.SGD([a], lr=0.1, momentum=0.9)
    opt.add_param_group({"params": b, "lr": 0.01})
    assert len(opt.param_groups) == 2 and opt.param_groups[1]["momentum"] == 0.9
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        opt.add_param_group({"params": [a]})
    with pytest.raises(TypeError, match="param_group must be a dict, but got <class 'list'>"):
        opt.add_param_group([b])


def test_named_parameters_are_accepted_and_saved_as_param_names():
    a, b = params([1.0], [2.0])
    opt = optim.SGD([("w", a), ("b", b)], lr=0.1)
    assert opt.param_groups[0]["param_names"] == ["w", "b"]
    assert opt.state_dict()["param_groups"][0]["param_names"] == ["w", "b"]
    with pytest.raises(ValueError, match="all optimizer params should be with/without names"):
        optim.SGD([("w", a), b])


@pytest.mark.parametrize("make,error,message", [
    (lambda p: optim.SGD(p[0]), TypeError,
     "params argument given to the optimizer should be an iterable of Tensors or dicts, but got "
     "torch.FloatTensor"),
    (lambda p: optim.SGD([]), ValueError, "optimizer got an empty parameter list"),
    (lambda p: optim.SGD([p[0] * 2]), ValueError, "can't optimize a non-leaf Tensor"),
    (lambda p: optim.SGD([1.0]), TypeError, "optimizer can only optimize Tensors, but one of the params is float"),
    (lambda p: optim.SGD([{"params": set(p)}]), TypeError, "optimizer parameters need to be organized in ordered collections"),
    (lambda p: optim.SGD([{"params": [p[0]]}, {"params": [p[0]]}]), ValueError,
     "some parameters appear in more than one parameter group"),
    (lambda p: optim.SGD(p, lr=-1), ValueError, "Invalid learning rate: -1"),
    (lambda p: optim.SGD(p, momentum=-0.5), ValueError, "Invalid momentum value: -0.5"),
    (lambda p: optim.SGD(p, weight_decay=-1), ValueError, "Invalid weight_decay value: -1"),
    (lambda p: optim.SGD(p, nesterov=True), ValueError, "Nesterov momentum requires a momentum and zero dampening"),
    (lambda p: optim.SGD(p, momentum=0.9, dampening=0.1, nesterov=True), ValueError,
     "Nesterov momentum requires a momentum and zero dampening"),
    (lambda p: optim.Adam(p, eps=-1), ValueError, "Invalid epsilon value: -1"),
    (lambda p: optim.Adam(p, betas=(1.0, 0.9)), ValueError, "Invalid beta parameter at index 0: 1.0"),
    (lambda p: optim.AdamW(p, betas=(0.9, -0.1)), ValueError, "Invalid beta parameter at index 1: -0.1"),
    (lambda p: optim.Adagrad(p, lr_decay=-1), ValueError, "Invalid lr_decay value: -1"),
    (lambda p: optim.Adagrad(p, initial_accumulator_value=-2), ValueError,
     "Invalid initial_accumulator_value value: -2"),
    (lambda p: optim.RMSprop(p, alpha=-2), ValueError, "Invalid alpha value: -2"),
    (lambda p: optim.Adadelta(p, rho=2), ValueError, "Invalid rho value: 2"),
])
def test_argument_errors(make, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        make(params([1.0, 2.0]))


def test_duplicate_parameters_warn():
    (w,) = params([1.0])
    with pytest.warns(UserWarning, match="optimizer contains a parameter group with duplicate parameters"):
        optim.SGD([w, w])


def test_defaults_and_repr_match_torch():
    (w,) = params([1.0])
    assert optim.SGD([w]).defaults["lr"] == 1e-3
    assert optim.Adagrad([w]).defaults["lr"] == 1e-2 and optim.RMSprop([w]).defaults["alpha"] == 0.99
    assert optim.AdamW([w]).defaults["weight_decay"] == 1e-2 and optim.Adadelta([w]).defaults["lr"] == 1.0
    assert repr(optim.SGD([{"params": [w]}], lr=0.1)) == (
        "SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n    foreach: None\n"
        "    fused: None\n    lr: 0.1\n    maximize: False\n    momentum: 0\n    nesterov: False\n"
        "    weight_decay: 0\n)")
    assert repr(optim.Adam([w])).splitlines()[2:5] == ["    amsgrad: False", "    betas: (0.9, 0.999)",
                                                       "    capturable: False"]
    two = repr(optim.SGD([{"params": [w]}, {"params": params([2.0])}], lr=0.1))
    assert "    weight_decay: 0\n\nParameter Group 1\n" in two


# ---- state dicts ----------------------------------------------------------------------------------

STATE_KEYS = [
    ("SGD", dict(momentum=0.9), ["momentum_buffer"]),
    ("Adam", dict(amsgrad=True), ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"]),
    ("AdamW", dict(), ["step", "exp_avg", "exp_avg_sq"]),
    ("Adagrad", dict(), ["step", "sum"]),
    ("RMSprop", dict(momentum=0.9, centered=True), ["step", "square_avg", "momentum_buffer", "grad_avg"]),
    ("Adadelta", dict(), ["step", "square_avg", "acc_delta"]),
]


@pytest.mark.parametrize("name,options,keys", STATE_KEYS, ids=[k[0] for k in STATE_KEYS])
def test_state_dict_format_is_torchs(name, options, keys):
    a, b = params([1.0, 2.0], [3.0])
    opt = getattr(optim, name)([{"params": [a]}, {"params": [b], "lr": 0.5}], **options)
    (a.sum() * b.sum()).backward()
    opt.step()
    sd = opt.state_dict()
    assert set(sd) == {"state", "param_groups"}
    assert list(sd["state"]) == [0, 1] and list(sd["state"][0]) == keys
    assert [g["params"] for g in sd["param_groups"]] == [[0], [1]] and sd["param_groups"][1]["lr"] == 0.5
    assert sd["param_groups"][0].keys() == opt.param_groups[0].keys()
    assert sd["state"][0][keys[-1]].shape == a.shape
    if "step" in keys:
        step = sd["state"][1]["step"]
        assert step.dim() == 0 and step.dtype is minitorch.float32 and step.item() == 1.0


def test_adagrad_state_exists_before_the_first_step():
    (w,) = params([1.0, 2.0])
    sd = optim.Adagrad([w], initial_accumulator_value=0.5).state_dict()
    assert sd["state"][0]["step"].item() == 0.0 and sd["state"][0]["sum"].tolist() == [0.5, 0.5]


@pytest.mark.parametrize("name,options", [("SGD", dict(lr=0.05, momentum=0.9)), ("Adam", dict(lr=0.1, amsgrad=True)),
                                          ("Adagrad", dict(lr=0.1)), ("RMSprop", dict(momentum=0.5, centered=True)),
                                          ("Adadelta", dict())])
def test_load_state_dict_resumes_exactly(name, options):
    straight, _ = run_minitorch(name, 6, **options)

    theta, opt = run_minitorch(name, 3, **options)
    saved = opt.state_dict()
    resumed = minitorch.tensor(theta, requires_grad=True)
    opt2 = getattr(optim, name)([resumed], lr=123.0)  # options come back from the state dict
    opt2.load_state_dict(saved)
    assert opt2.param_groups[0]["lr"] == opt.param_groups[0]["lr"]
    assert opt2.param_groups[0]["params"] == [resumed]
    a = minitorch.tensor(A)
    for _ in range(3):
        opt2.zero_grad()
        (a * resumed ** 2 + resumed.sin()).sum().backward()
        opt2.step()
    np.testing.assert_array_equal(resumed.detach().numpy(), straight)


def test_load_state_dict_casts_state_to_the_parameter_dtype_but_keeps_step():
    w64 = minitorch.tensor([1.0, 2.0], dtype=minitorch.float64, requires_grad=True)
    opt = optim.Adam([w64])
    w64.grad = minitorch.ones(2, dtype=minitorch.float64)
    opt.step()
    w32 = minitorch.tensor([1.0, 2.0], requires_grad=True)
    opt32 = optim.Adam([w32])
    opt32.load_state_dict(opt.state_dict())
    assert opt32.state[w32]["exp_avg"].dtype is minitorch.float32
    assert opt32.state[w32]["step"].dtype is minitorch.float32


def test_load_state_dict_errors():
    a, b = params([1.0], [2.0])
    opt = optim.SGD([a], lr=0.1)
    with pytest.raises(ValueError, match="loaded state dict contains a parameter group that doesn't match the size "
                                         "of optimizer's group"):
        opt.load_state_dict(optim.SGD([a, b]).state_dict())
    with pytest.raises(ValueError, match="loaded state dict has a different number of parameter groups"):
        opt.load_state_dict(optim.SGD([{"params": [a]}, {"params": [b]}]).state_dict())


def test_a_custom_optimizer_can_subclass_optimizer():
    class SignSGD(optim.Optimizer):
        def __init__(self, params, lr=0.1):
            super().__init__(params, dict(lr=lr))

        @minitorch.no_grad()
        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    p.sub_(group["lr"] * p.grad.sign())

    (w,) = params([1.0, -2.0])
    (w * w).sum().backward()
    SignSGD([w]).step()
    np.testing.assert_allclose(w.detach().numpy(), [0.9, -1.9], rtol=1e-6)


def test_training_a_tiny_linear_model_converges():
    minitorch.manual_seed(0)
    x = minitorch.randn(64, 3)
    y = x @ minitorch.tensor([[1.0], [-2.0], [0.5]]) + 0.3
    w = minitorch.zeros(3, 1, requires_grad=True)
    b = minitorch.zeros(1, requires_grad=True)
    opt = optim.Adam([w, b], lr=0.1)
    for _ in range(200):
        opt.zero_grad()
        loss = ((x @ w + b - y) ** 2).mean()
        loss.backward()
        opt.step()
    assert loss.item() < 1e-3
    assert math.isclose(b.item(), 0.3, abs_tol=0.02)


@pytest.mark.cuda
@pytest.mark.parametrize("name,options", CONFIGS[1::4], ids=[f"{n}-{o}" for n, o in CONFIGS[1::4]])
def test_optimizers_on_the_gpu_match_the_cpu(name, options):
    expected = REFERENCES[name](THETA0.copy(), 4, **options)
    theta = minitorch.tensor(THETA0, dtype=minitorch.float64, device="cuda", requires_grad=True)
    a = minitorch.tensor(A, dtype=minitorch.float64, device="cuda")
    opt = getattr(optim, name)([theta], **options)
    for _ in range(4):
        opt.zero_grad()
        (a * theta ** 2 + theta.sin()).sum().backward()
        opt.step()
    assert theta.is_cuda and all(v.is_cuda for k, v in opt.state[theta].items() if k != "step")
    np.testing.assert_allclose(theta.detach().cpu().numpy(), expected, rtol=1e-10)
