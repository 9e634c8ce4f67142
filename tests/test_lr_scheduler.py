"""minitorch.optim.lr_scheduler: learning-rate sequences (closed forms and values computed once with
PyTorch), momentum cycling, ReduceLROnPlateau's rules, state dicts and errors."""

import math

import pytest

import minitorch
from minitorch import optim
from minitorch.optim import lr_scheduler as S


def make_optimizer(kind="SGD", **options):
    """Two parameter groups with initial lrs 1.0 and 0.5."""
    a = minitorch.zeros(1, requires_grad=True)
    b = minitorch.zeros(1, requires_grad=True)
    return getattr(optim, kind)([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=1.0, **options)


def lr_sequence(opt, sched, epochs, group=0):
    lrs = []
    for _ in range(epochs):
        lrs.append(sched.get_last_lr()[group])
        assert sched.get_last_lr() == [g["lr"] for g in opt.param_groups]
        opt.step()
        sched.step()
    return lrs


CLOSED_FORMS = [
    (lambda o: S.StepLR(o, step_size=3, gamma=0.5), lambda base, e: base * 0.5 ** (e // 3)),
    (lambda o: S.StepLR(o, step_size=1, gamma=0.1), lambda base, e: base * 0.1 ** e),
    (lambda o: S.MultiStepLR(o, milestones=[2, 5, 5, 9], gamma=0.3),
     lambda base, e: base * 0.3 ** sum(m <= e for m in [2, 5, 5, 9])),
    (lambda o: S.ExponentialLR(o, gamma=0.9), lambda base, e: base * 0.9 ** e),
    (lambda o: S.CosineAnnealingLR(o, T_max=5, eta_min=0.01),
     lambda base, e: 0.01 + (base - 0.01) * (1 + math.cos(math.pi * e / 5)) / 2),
    (lambda o: S.LambdaLR(o, lambda e: 1 / (e + 1)), lambda base, e: base / (e + 1)),
    (lambda o: S.LinearLR(o), lambda base, e: base * (1 / 3 + (1 - 1 / 3) * min(e, 5) / 5)),
    (lambda o: S.LinearLR(o, start_factor=0.2, end_factor=0.7, total_iters=4),
     lambda base, e: base * (0.2 + 0.5 * min(e, 4) / 4)),
]


@pytest.mark.parametrize("make,closed_form", CLOSED_FORMS,
                         ids=["step", "step1", "multistep", "exp", "cosine", "lambda", "linear", "linear2"])
def test_chainable_steps_follow_the_closed_form(make, closed_form):
    for group, base in [(0, 1.0), (1, 0.5)]:
        opt = make_optimizer()
        sched = make(opt)
        got = lr_sequence(opt, sched, 14, group)
        assert got == pytest.approx([closed_form(base, e) for e in range(14)], rel=1e-12, abs=1e-15)
    assert sched.base_lrs == [1.0, 0.5] and sched.last_epoch == 14


def test_cosine_annealing_matches_torch_including_the_way_back_up():
    opt = make_optimizer()
    sched = S.CosineAnnealingLR(opt, T_max=5, eta_min=0.01)
    # computed with torch.optim.lr_scheduler.CosineAnnealingLR (its recursive form, exactly)
    assert lr_sequence(opt, sched, 14) == [
        1.0, 0.905463412215599, 0.657963412215599, 0.352036587784401, 0.10453658778440104, 0.01, 0.104536587784401,
        0.35203658778440117, 0.6579634122155993, 0.9054634122155996, 1.0000000000000004, 0.9054634122155997,
        0.6579634122155994, 0.35203658778440133]


def test_linear_lr_matches_torch():
    opt = make_optimizer()
    assert lr_sequence(opt, S.LinearLR(opt), 7) == [
        0.3333333333333333, 0.4666666666666667, 0.6000000000000001, 0.7333333333333335, 0.8666666666666669,
        1.0000000000000002, 1.0000000000000002]


def test_multiple_lambdas_one_per_group():
    opt = make_optimizer()
    sched = S.LambdaLR(opt, [lambda e: 0.9 ** e, lambda e: e + 1])
    for _ in range(3):
        opt.step()
        sched.step()
    assert sched.get_last_lr() == pytest.approx([0.9 ** 3, 0.5 * 4])
    with pytest.raises(ValueError, match="Expected 2 lr_lambdas, but got 1"):
        S.LambdaLR(make_optimizer(), [lambda e: 1.0])


def test_schedulers_chain_on_one_optimizer():
    opt = make_optimizer()
    warmup = S.LinearLR(opt, start_factor=0.5, total_iters=2)
    decay = S.ExponentialLR(opt, gamma=0.9)
    lrs = []
    for _ in range(4):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        warmup.step()
        decay.step()
    assert lrs == pytest.approx([0.5, 0.75 * 0.9, 1.0 * 0.81, 1.0 * 0.729])


def test_step_with_an_epoch_uses_the_closed_form_and_warns():
    opt = make_optimizer()
    sched = S.StepLR(opt, step_size=2, gamma=0.1)
    with pytest.warns(UserWarning, match="The epoch parameter in `scheduler.step\\(\\)` was not necessary"):
        sched.step(5)
    assert sched.get_last_lr() == pytest.approx([1e-2, 5e-3]) and sched.last_epoch == 5


def test_get_lr_outside_step_warns():
    opt = make_optimizer()
    sched = S.StepLR(opt, step_size=2)
    with pytest.warns(UserWarning, match="please use `get_last_lr\\(\\)`"):
        sched.get_lr()


def test_one_cycle_cos_with_momentum_cycling_matches_torch():
    opt = make_optimizer(momentum=0.9)
    sched = S.OneCycleLR(opt, max_lr=[2.0, 1.0], total_steps=12)
    lrs, momenta = [], []
    for _ in range(12):
        lrs.append(sched.get_last_lr()[0])
        momenta.append(opt.param_groups[0]["momentum"])
        opt.step()
        sched.step()
    assert lrs == pytest.approx([
        0.08, 0.6995793084391662, 1.7585703182442574, 1.9888308709018234, 1.8660259396828234, 1.623491307899526,
        1.2947579953902066, 0.9252742053339501, 0.5661219964173985, 0.2669550603776612, 0.06913397485079044, 8e-06],
        rel=1e-12)
    assert momenta == pytest.approx([
        0.95, 0.9177302443521267, 0.8625744625914449, 0.8505584586887436, 0.856698729810778, 0.8688255099070633,
        0.8852622412794547, 0.9037365046793212, 0.9216941869558779, 0.9366525935914912, 0.9465436874322102, 0.95],
        rel=1e-12)
    with pytest.raises(ValueError, match="Tried to step 13 times. The specified number of total steps is 12"):
        opt.step()
        sched.step()


def test_one_cycle_linear_three_phase():
    opt = make_optimizer(momentum=0.9)
    sched = S.OneCycleLR(opt, max_lr=2.0, epochs=3, steps_per_epoch=4, anneal_strategy="linear", three_phase=True,
                         pct_start=0.25)
    assert lr_sequence(opt, sched, 12, group=1) == pytest.approx([
        0.08, 1.04, 2.0, 1.04, 0.08, 0.06857257142857143, 0.05714514285714286, 0.045717714285714285,
        0.03429028571428572, 0.022862857142857136, 0.011435428571428569, 8e-06], rel=1e-9)


def test_one_cycle_cycles_adams_beta1():
    opt = make_optimizer("Adam")
    sched = S.OneCycleLR(opt, max_lr=1.0, total_steps=10, base_momentum=0.8, max_momentum=0.9)
    assert opt.param_groups[0]["betas"] == (0.9, 0.999)
    for _ in range(2):  # the warm-up ends at step 0.3 * 10 - 1 = 2
        opt.step()
        sched.step()
    beta1, beta2 = opt.param_groups[0]["betas"]
    assert beta1 == pytest.approx(0.8) and beta2 == 0.999  # the peak of the lr is the trough of beta1


@pytest.mark.parametrize("kwargs,message", [
    (dict(max_lr=1.0), "You must define either total_steps OR \\(epochs AND steps_per_epoch\\)"),
    (dict(max_lr=1.0, total_steps=0), "Expected positive integer total_steps, but got 0"),
    (dict(max_lr=1.0, epochs=2, steps_per_epoch=-1), "Expected positive integer steps_per_epoch, but got -1"),
    (dict(max_lr=1.0, total_steps=10, pct_start=2.0), "Expected float between 0 and 1 pct_start, but got 2.0"),
    (dict(max_lr=1.0, total_steps=10, anneal_strategy="exp"),
     "anneal_strategy must be one of 'cos' or 'linear', instead got exp"),
    (dict(max_lr=[1.0], total_steps=10),
     "max_lr must have the same length as optimizer.param_groups. max_lr has 1 values, param_groups has 2."),
])
def test_one_cycle_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        S.OneCycleLR(make_optimizer(momentum=0.9), **kwargs)


def test_one_cycle_needs_momentum_to_cycle():
    w = minitorch.zeros(1, requires_grad=True)
    with pytest.raises(ValueError, match="optimizer must support momentum or beta1 with `cycle_momentum` option"):
        S.OneCycleLR(optim.Adagrad([w]), max_lr=1.0, total_steps=4)
    S.OneCycleLR(optim.Adagrad([w]), max_lr=1.0, total_steps=4, cycle_momentum=False)


# ---- ReduceLROnPlateau ----------------------------------------------------------------------------

LOSSES = [1.0, 0.95, 0.95, 0.9, 0.5, 0.5, 0.49, 0.6, 0.7, 0.3, 0.3, 0.31, 0.32, 0.33, 0.34, 0.35]


def plateau_lrs(metrics, **kwargs):
    opt = make_optimizer()
    sched = S.ReduceLROnPlateau(opt, **kwargs)
    out = []
    for m in metrics:
        sched.step(m)
        out.append(sched.get_last_lr()[0])
    return out


def test_reduce_on_plateau_lecture_settings_match_torch():
    # the lecture's ReduceLROnPlateau(optimizer, factor=0.1, patience=1, threshold=0.1); values from torch
    assert plateau_lrs(LOSSES, factor=0.1, patience=1, threshold=0.1) == [
        1.0, 1.0, 0.1, 0.1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.0010000000000000002,
        0.0010000000000000002, 0.0010000000000000002, 0.00010000000000000003, 0.00010000000000000003,
        1.0000000000000004e-05, 1.0000000000000004e-05, 1.0000000000000004e-06]


def test_reduce_on_plateau_max_mode_abs_threshold_cooldown_min_lr():
    opt = make_optimizer()
    sched = S.ReduceLROnPlateau(opt, mode="max", patience=0, threshold_mode="abs", threshold=0.05, cooldown=2,
                                min_lr=[0.05, 0.2])
    history = []
    for m in [1.0, 1.04, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7, 0.6]:
        sched.step(m)
        history.append((sched.get_last_lr(), sched.num_bad_epochs, sched.cooldown_counter))
    assert history == [([1.0, 0.5], 0, 0),
                       ([0.1, 0.2], 0, 2),  # 1.04 is not better than 1.0 + 0.05; group 1 stops at min_lr 0.2
                       ([0.1, 0.2], 0, 1),  # 1.2 is better; cooldown counts down
                       ([0.1, 0.2], 0, 0),
                       ([pytest.approx(0.05), 0.2], 0, 2),
                       ([pytest.approx(0.05), 0.2], 0, 1), ([pytest.approx(0.05), 0.2], 0, 0),
                       ([pytest.approx(0.05), 0.2], 0, 2), ([pytest.approx(0.05), 0.2], 0, 1)]


def test_reduce_on_plateau_rel_threshold_and_eps():
    # best 1.0; 0.95 is not below 1.0 * (1 - 0.1), so it counts as a bad epoch
    assert plateau_lrs([1.0, 0.95, 0.89, 0.88], patience=0, threshold=0.1) == pytest.approx([1.0, 0.1, 0.1, 0.01])
    # a reduction smaller than eps is skipped
    assert plateau_lrs([1.0, 2.0, 3.0], patience=0, factor=0.9, eps=0.2) == [1.0, 1.0, 1.0]
    assert plateau_lrs([1.0, 2.0, 3.0], mode="max", factor=0.5, patience=0) == [1.0, 1.0, 1.0]


def test_reduce_on_plateau_accepts_a_0d_tensor_and_counts_epochs():
    opt = make_optimizer()
    sched = S.ReduceLROnPlateau(opt, patience=2)
    sched.step(minitorch.tensor(0.5))
    assert sched.best == 0.5 and sched.last_epoch == 1 and sched.num_bad_epochs == 0


@pytest.mark.parametrize("kwargs,message", [
    (dict(factor=1.0), "Factor should be < 1.0."),
    (dict(mode="median"), "mode median is unknown!"),
    (dict(threshold_mode="pct"), "threshold mode pct is unknown!"),
    (dict(min_lr=[0.1]), "expected 2 min_lrs, got 1"),
])
def test_reduce_on_plateau_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        S.ReduceLROnPlateau(make_optimizer(), **kwargs)


# ---- state dicts and errors -----------------------------------------------------------------------

@pytest.mark.parametrize("make", [
    lambda o: S.StepLR(o, step_size=2, gamma=0.5),
    lambda o: S.MultiStepLR(o, milestones=[1, 3]),
    lambda o: S.CosineAnnealingLR(o, T_max=4),
    lambda o: S.OneCycleLR(o, max_lr=1.0, total_steps=20),
    lambda o: S.LinearLR(o, total_iters=3),
], ids=["step", "multistep", "cosine", "onecycle", "linear"])
def test_state_dict_round_trip_resumes_the_schedule(make):
    opt = make_optimizer(momentum=0.9)
    sched = make(opt)
    straight = lr_sequence(opt, sched, 8)

    opt = make_optimizer(momentum=0.9)
    sched = make(opt)
    lr_sequence(opt, sched, 3)
    saved_sched, saved_opt = sched.state_dict(), opt.state_dict()
    assert "optimizer" not in saved_sched and saved_sched["last_epoch"] == 3

    opt2 = make_optimizer(momentum=0.9)
    sched2 = make(opt2)
    sched2.load_state_dict(saved_sched)
    opt2.load_state_dict(saved_opt)
    assert lr_sequence(opt2, sched2, 5) == straight[3:]


def test_lambda_lr_state_dict_keeps_callable_objects_but_not_functions():
    class Warmup:
        def __init__(self, epochs):
            self.epochs = epochs

        def __call__(self, epoch):
            return min(1.0, (epoch + 1) / self.epochs)

    opt = make_optimizer()
    sched = S.LambdaLR(opt, [Warmup(4), lambda e: 1.0])
    state = sched.state_dict()
    assert state["lr_lambdas"] == [{"epochs": 4}, None]
    other = S.LambdaLR(make_optimizer(), [Warmup(10), lambda e: 1.0])
    other.load_state_dict(state)
    assert other.lr_lambdas[0].epochs == 4 and other.last_epoch == 0


def test_reduce_on_plateau_state_dict_round_trip():
    opt = make_optimizer()
    sched = S.ReduceLROnPlateau(opt, patience=1)
    for m in [1.0, 1.0]:
        sched.step(m)
    state = sched.state_dict()
    assert state["best"] == 1.0 and state["num_bad_epochs"] == 1 and "optimizer" not in state
    other = S.ReduceLROnPlateau(make_optimizer(), patience=1)
    other.load_state_dict(state)
    other.step(1.0)
    assert other.get_last_lr() == pytest.approx([0.1, 0.05])


def test_scheduler_errors():
    with pytest.raises(TypeError, match="list is not an Optimizer"):
        S.StepLR([], step_size=1)
    with pytest.raises(KeyError, match="param 'initial_lr' is not specified in param_groups\\[0\\] when resuming"):
        S.StepLR(make_optimizer(), step_size=1, last_epoch=3)
    with pytest.raises(ValueError, match="Starting multiplicative factor expected to be greater than 0"):
        S.LinearLR(make_optimizer(), start_factor=0)
    with pytest.raises(ValueError, match="Ending multiplicative factor expected to be between 0 and 1."):
        S.LinearLR(make_optimizer(), end_factor=2)


def test_resuming_with_last_epoch_continues_from_initial_lr():
    opt = make_optimizer()
    S.ExponentialLR(opt, gamma=0.5)
    opt.param_groups[0]["lr"] = 0.25  # as after two epochs
    sched = S.ExponentialLR(opt, gamma=0.5, last_epoch=2)
    assert sched.get_last_lr()[0] == 0.25 and sched.base_lrs == [1.0, 0.5]
    opt.step()
    sched.step()
    assert sched.get_last_lr()[0] == 0.125
