"""Differential tester: random small programs run under minitorch and PyTorch, step by step.

A program is a list of Python lines over variables ``v0, v1, ...`` and a module named ``torch``
(and ``F`` = ``torch.nn.functional``). It is generated against PyTorch (so the generator knows
every variable's shape and dtype) and then run again with ``torch`` bound to minitorch. After
every line both runs are compared: the exception type (or none), then for every variable its
shape, strides (of dims longer than 1), dtype, values, ``requires_grad`` and ``grad_fn`` name.
The program ends with a backward pass whose leaf gradients are compared too. A disagreement is
shrunk (lines are dropped while the same kind of disagreement remains) to a minimal repro.

Needs PyTorch (the ``parity`` extra); run from the repository root::

    python tests/parity/fuzz.py --programs 10000 --seed 0      # agreement rates + first repros
    python tests/parity/fuzz.py --programs 1 --seed 1234 --show  # one program, printed

Both libraries run in one process, so any Python with torch and numpy will do.
"""

from __future__ import annotations

import argparse
import builtins
import collections
import random
import re
import sys
import traceback
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository's minitorch

# ---- the ops a program is made of -----------------------------------------------------------
# Each generator gets the random source and a variable picker and returns a line (or None when
# no variable fits). ``NN`` lines call torch.nn.functional: their grad_fn names belong to nn.

FLOAT, INT, BOOL = "float", "int", "bool"


class Var:
    """What the generator knows about a variable (read from the torch run)."""

    def __init__(self, name, t):
        self.name, self.shape, self.kind = name, tuple(t.shape), _kind(t)
        try:
            self.requires_grad, self.is_leaf = t.requires_grad, t.is_leaf
        except RuntimeError:  # a view whose history torch will not rebuild
            self.requires_grad, self.is_leaf = False, False

    @property
    def dim(self):
        return len(self.shape)


def _kind(t):
    if t.dtype.is_floating_point:
        return FLOAT
    return BOOL if str(t.dtype).endswith("bool") else INT


def _literal(rng, shape, kind):
    """A ``torch.tensor(...)`` literal of ``shape`` (small numbers, exact in float32)."""
    n = int(np.prod(shape)) if shape else 1
    if kind == FLOAT:
        values = [round(rng.uniform(-3, 3), 2) for _ in range(n)]
    elif kind == INT:
        values = [rng.randint(-4, 4) for _ in range(n)]
    else:
        values = [rng.random() < 0.5 for _ in range(n)]
    data = np.array(values, dtype=object).reshape(shape).tolist() if shape else values[0]
    return f"torch.tensor({data!r})"


def _shape(rng, max_dim=3):
    return tuple(rng.randint(1, 4) for _ in range(rng.randint(0, max_dim)))


def new_leaf(rng, vars_):
    kind = rng.choices([FLOAT, INT, BOOL], [8, 2, 1])[0]
    shape = _shape(rng)
    lit = _literal(rng, shape, kind)
    if kind == FLOAT:
        dtype = rng.choices(["", ", dtype=torch.float64"], [5, 1])[0]
        grad = rng.random() < 0.7
        return lit[:-1] + dtype + (", requires_grad=True)" if grad else ")")
    return lit


UNARY = ["exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "neg", "floor", "sign", "reciprocal",
         "square", "rsqrt", "log1p", "expm1", "erf", "atan", "trunc", "round", "frac", "sinh", "asin"]
INPLACE_UNARY = ["exp_", "sigmoid_", "relu_", "abs_", "neg_", "tanh_", "sqrt_", "clamp_(min=0)", "zero_", "fill_(2)",
                 "mul_(2)", "add_(1)", "sub_(0.5)", "div_(2)", "pow_(2)", "clamp_(-1, 1)", "floor_", "sin_"]
REDUCE = ["sum", "mean", "prod", "amax", "amin", "logsumexp", "std", "var", "norm", "cumsum", "softmax",
          "log_softmax", "argmax", "max", "min", "all", "any", "count_nonzero", "median", "cumprod", "logcumsumexp"]
BINARY = ["+", "-", "*", "/", "**", "<", ">", "==", "&", "|", "//", "%", "<<", ">>"]
FUNCS2 = ["torch.maximum", "torch.minimum", "torch.atan2", "torch.hypot", "torch.fmod", "torch.remainder",
          "torch.copysign", "torch.dist"]


def _pick(rng, vars_, pred=lambda v: True):
    ok = [v for v in vars_ if pred(v)]
    return rng.choice(ok) if ok else None


def _dim(rng, v, extra=0):
    n = v.dim + extra
    return rng.randint(-n, n - 1) if n else rng.choice([0, -1])


def unary(rng, vars_):
    v = _pick(rng, vars_)
    op = rng.choice(UNARY)
    form = rng.random()
    if form < 0.6:
        return f"{{out}} = {v.name}.{op}()"
    return f"{{out}} = torch.{op}({v.name})"


def inplace_unary(rng, vars_):
    v = _pick(rng, vars_)
    op = rng.choice(INPLACE_UNARY)
    call = op if "(" in op else op + "()"
    return f"{{out}} = {v.name}.{call}"


def reduce(rng, vars_):
    v = _pick(rng, vars_)
    op = rng.choice(REDUCE)
    scans = ("cumsum", "softmax", "log_softmax", "cumprod", "logcumsumexp")
    if op in scans or rng.random() < 0.6:
        keep = rng.choice(["", ", keepdim=True"]) if op not in scans + ("count_nonzero",) else ""
        call = f"{v.name}.{op}({_dim(rng, v)}{keep})"
        if op in ("max", "min", "median") and rng.random() < 0.7:
            call += rng.choice([".values", ".indices", "[0]"])
        return f"{{out}} = {call}"
    return f"{{out}} = {v.name}.{op}()"


def _broadcastable(rng, v):
    """A shape that broadcasts with ``v``'s (sometimes not: exceptions are compared too)."""
    if rng.random() < 0.05:
        return _shape(rng)
    shape = list(v.shape[rng.randint(0, v.dim):]) if v.dim else []
    return tuple(1 if rng.random() < 0.3 else s for s in shape)


def binary(rng, vars_):
    a = _pick(rng, vars_)
    op = rng.choice(BINARY + FUNCS2)
    r = rng.random()
    if r < 0.4:
        b = _pick(rng, vars_, lambda v: v.shape == a.shape or not v.shape) or a
        other = b.name
    elif r < 0.75:
        other = _literal(rng, _broadcastable(rng, a), rng.choices([FLOAT, INT, BOOL], [6, 2, 1])[0])
    else:
        other = rng.choice(["2", "0.5", "-1", "True", "3"])
    if op.startswith("torch."):
        if other[0].isdigit() or other[0] == "-" or other == "True":
            other = f"torch.tensor({other})"
        return f"{{out}} = {op}({a.name}, {other})"
    if rng.random() < 0.2:
        return f"{{out}} = {other} {op} {a.name}"
    return f"{{out}} = {a.name} {op} {other}"


def inplace_binary(rng, vars_):
    a = _pick(rng, vars_)
    op = rng.choice(["add_", "mul_", "sub_", "div_", "copy_", "clamp_max_", "maximum", "masked_fill_", "addcmul_",
                     "lerp_", "pow_"])
    other = _literal(rng, _broadcastable(rng, a), rng.choices([FLOAT, INT], [4, 1])[0])
    b = _pick(rng, vars_, lambda v: v.shape == a.shape and v is not a)
    if b is not None and rng.random() < 0.5:
        other = b.name
    if op == "masked_fill_":
        return f"{{out}} = {a.name}.masked_fill_({a.name} > 0, {rng.choice(['0.', '1', '-2.5'])})"
    if op == "maximum":
        return f"{{out}} = {a.name}.clamp_min_({rng.choice(['0.', '1', '-0.5'])})"
    if op == "addcmul_":
        return f"{{out}} = {a.name}.addcmul_({other}, {other}, value=0.5)"
    if op == "lerp_":
        return f"{{out}} = {a.name}.lerp_({other}, 0.25)"
    return f"{{out}} = {a.name}.{op}({other})"


def view_op(rng, vars_):
    v = _pick(rng, vars_)
    d = v.dim
    choices = ["view(-1)", "reshape(-1)", "unsqueeze(%d)" % _dim(rng, v, 1), "squeeze()", "flatten()", "clone()",
               "detach()", "contiguous()", "flip(%d)" % _dim(rng, v), "roll(1, %d)" % _dim(rng, v), "float()",
               "double()", "long()", "int()", "bool()", "to(torch.float16)", "T", "mT", "expand(2, *%s.shape)" % v.name,
               "repeat_interleave(2)", "repeat_interleave(1)", "transpose(0, 0)", "t()"]
    if d >= 1:
        n = v.shape[0]
        choices += ["[0]", "[-1]", "[1:]", "[::2]", "[..., :1]", "[None]", "narrow(0, 0, %d)" % rng.randint(min(1, n), n),
                    "split(1)[0]", "chunk(2)[-1]", "unbind()[0]", "select(0, %d)" % rng.randint(-n, builtins.max(n - 1, 0)),
                    "[%s > 0]" % v.name, "[[0, 0]]", "[torch.tensor([0])]", "sort()[0]", "topk(1).values",
                    "topk(0).values", "masked_select(%s > 0)" % v.name, "unfold(0, 1, 1)", "argsort()",
                    "repeat(2)" if d == 1 else "repeat(%s)" % ", ".join(["2"] + ["1"] * (d - 1)),
                    "cumsum(0)", "diff()", "tril()" if d == 2 else "abs()"]
    if d >= 2:
        choices += ["t()" if d == 2 else "transpose(0, 1)", "permute(%s)" % ", ".join(map(str, rng.sample(range(d), d))),
                    "[:, 0]", "[:, 1:]", "[0, 0]", "transpose(-1, -2)", "diagonal()", "view(%d, -1)" % v.shape[0],
                    "reshape(-1, %d)" % v.shape[-1], "movedim(0, -1)", "split(1, 1)[0]"]
    op = rng.choice(choices)
    sep = "" if op.startswith("[") else "."
    return f"{{out}} = {v.name}{sep}{op}"


def setitem(rng, vars_):
    v = _pick(rng, vars_, lambda v: v.dim >= 1)
    if v is None:
        return None
    index = rng.choice(["0", "-1", "1:", "..., 0", f"{v.name} > 0", "[0]", ":", "None"])
    value = rng.choice(["0", "1.5", "torch.tensor(1)", "torch.tensor(2.5)", "True",
                        _literal(rng, _broadcastable(rng, v), FLOAT)])
    src = _pick(rng, vars_, lambda u: u is not v)
    if src is not None and rng.random() < 0.3:
        value = f"{src.name}.sum()"
    return f"{v.name}[{index}] = {value}"


def matmul(rng, vars_):
    a = _pick(rng, vars_, lambda v: v.dim >= 1)
    if a is None:
        return None
    k = a.shape[-1]
    other = rng.choice([(k,), (k, 2), (2, k, 3) if a.dim <= 2 else (a.shape[0], k, 2), (k + 1, 2)])
    lit = _literal(rng, other, FLOAT)
    b = _pick(rng, vars_, lambda v: v.dim >= 1 and v.shape[0] == k and v is not a)
    other_name = b.name if b is not None and rng.random() < 0.5 else lit
    op = rng.choice(["@", "torch.matmul", "torch.mm", "torch.mv", "torch.bmm", "torch.dot", "torch.outer"])
    if op == "@":
        return f"{{out}} = {a.name} @ {other_name}"
    return f"{{out}} = {op}({a.name}, {other_name})"


def join(rng, vars_):
    a = _pick(rng, vars_)
    b = _pick(rng, vars_, lambda v: v.shape == a.shape and v.kind == a.kind) or a
    op = rng.choice(["torch.cat([{a}, {b}])", "torch.stack([{a}, {b}])", "torch.cat([{a}, {b}], -1)",
                     "torch.where({a} > 0, {a}, {b})", "torch.einsum('ij->ji', {a})", "torch.einsum('ii->i', {a})",
                     "torch.einsum('i,i->', {a}, {b})", "torch.tensordot({a}, {b}, 1)", "torch.kron({a}, {b})",
                     "torch.broadcast_tensors({a}, {b})[0]", "torch.atleast_2d({a})", "torch.block_diag({a}, {b})"])
    return "{out} = " + op.format(a=a.name, b=b.name)


NN = ["relu", "gelu", "silu", "softplus", "elu", "leaky_relu", "hardtanh", "hardswish", "logsigmoid", "softsign",
      "tanhshrink", "mish", "relu6", "selu", "celu", "normalize", "dropout(p=0.0, input=", "mse_loss", "l1_loss",
      "smooth_l1_loss", "huber_loss", "binary_cross_entropy_with_logits", "linear", "layer_norm", "pad",
      "cross_entropy", "nll_loss", "softmax", "log_softmax", "cosine_similarity", "one_hot", "glu", "prelu", "rrelu",
      "rms_norm", "instance_norm", "adaptive_max_pool1d", "renorm"]


# the calls whose arguments other than the input are fixed
FIXED_CALLS = {"layer_norm": "F.layer_norm({x}, {x}.shape[-1:])", "rms_norm": "F.rms_norm({x}, {x}.shape[-1:])",
               "prelu": "F.prelu({x}, torch.tensor([0.25], dtype={x}.dtype))",
               "adaptive_max_pool1d": "F.adaptive_max_pool1d({x}, 2)", "pad": "F.pad({x}, (1, 0))",
               "cosine_similarity": "F.cosine_similarity({x}, {x} + 1, dim=-1)",
               "one_hot": "F.one_hot({x}.long().abs() % 3)"}


def functional(rng, vars_):
    a = _pick(rng, vars_)
    op = rng.choice(NN)
    x = a.name
    if op.startswith("dropout"):
        return f"{{out}} = F.dropout({x}, p=0.0)"
    if op in ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy_with_logits"):
        return f"{{out}} = F.{op}({x}, {_literal(rng, a.shape, FLOAT)})"
    if op == "linear":
        k = a.shape[-1] if a.dim else 1
        return f"{{out}} = F.linear({x}, {_literal(rng, (2, k), FLOAT)}, {_literal(rng, (2,), FLOAT)})"
    if op in FIXED_CALLS:
        return "{out} = " + FIXED_CALLS[op].format(x=x)
    if op in ("glu", "renorm"):
        call = "F.glu({x}, {d})" if op == "glu" else "{x}.renorm(2, {d}, 1.0)"
        return "{out} = " + call.format(x=x, d=_dim(rng, a))
    if op in ("cross_entropy", "nll_loss"):
        if a.dim != 2 or 0 in a.shape:
            return None
        target = "torch.tensor(%r)" % [rng.randrange(a.shape[1]) for _ in range(a.shape[0])]
        return f"{{out}} = F.{op}({x}, {target})"
    if op in ("softmax", "log_softmax"):
        return f"{{out}} = F.{op}({x}, dim={_dim(rng, a)})"
    return f"{{out}} = F.{op}({x})"


GENERATORS = [(new_leaf, 2), (unary, 4), (inplace_unary, 3), (reduce, 3), (binary, 4), (inplace_binary, 3),
              (view_op, 6), (setitem, 3), (matmul, 2), (join, 2), (functional, 3)]


# ---- running a program -----------------------------------------------------------------------

def _exc_type(e):
    """The builtin exception class a user would catch (torch raises subclasses of them)."""
    for cls in type(e).__mro__:
        if cls.__module__ == "builtins":
            return cls.__name__
    return type(e).__name__


def _namespace(lib):
    return {"torch": lib, "F": lib.nn.functional}


def run_line(ns, line):
    """Run one line; returns the exception type name or None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(line, ns)
    except Exception as e:  # noqa: BLE001 - any exception is a result to compare
        return _exc_type(e)
    return None


def _describe(t, names):
    """Everything compared about one value."""
    if isinstance(t, (tuple, list)) and t and hasattr(t[0], "shape"):
        t = t[0]
    if not hasattr(t, "shape"):
        return {"value": t if isinstance(t, (int, float, bool, type(None))) else type(t).__name__}
    values = t.detach().cpu().numpy() if hasattr(t, "detach") else t
    strides = tuple(s for s, n in zip(t.stride(), t.shape) if n > 1)
    try:
        node = t.grad_fn.name() if t.grad_fn is not None else None
    except Exception as e:  # noqa: BLE001 - torch refuses to rebuild some views' history
        node = _exc_type(e)
    return {"shape": tuple(t.shape), "dtype": str(t.dtype).removeprefix("torch."), "strides": strides,
            "values": np.array(values, dtype=np.float64 if values.dtype.kind in "fc" else values.dtype),
            "requires_grad": t.requires_grad, "grad_fn": node if names else None}


def _same_values(a, b, dtype):
    if a.shape != b.shape:
        return False
    if a.dtype.kind != "f" or b.dtype.kind != "f":
        return np.array_equal(a, b)
    tol = {"float16": (2e-3, 1e-3), "bfloat16": (1e-2, 1e-2)}.get(dtype, (2e-5, 1e-5))
    return np.allclose(a, b, rtol=tol[0], atol=tol[1], equal_nan=True)


def compare(da, db):
    """The first field where two descriptions differ, or None."""
    for key in ("value", "shape", "dtype", "strides", "requires_grad", "grad_fn"):
        if da.get(key) != db.get(key) and (key != "value" or not _close_scalars(da.get(key), db.get(key))):
            return key
    if "values" in da and not _same_values(da["values"], db["values"], da["dtype"]):
        return "values"
    return None


def _close_scalars(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return bool(np.isclose(a, b, rtol=2e-5, atol=1e-5, equal_nan=True))
    return False


_VARIABLE = re.compile(r"^(v|grad)\d+$")


class Mismatch:
    def __init__(self, step, kind, detail, line):
        self.step, self.kind, self.detail, self.line = step, kind, detail, line

    def key(self):
        return self.kind


def execute(lines, libs, names=True, nn_names=True):
    """Run ``lines`` under both libraries; the first Mismatch, or None when they agree."""
    spaces = [_namespace(lib) for lib in libs]
    nn_outputs = set()  # variables an nn.functional call made (their grad_fn names are nn's business)
    for step, line in enumerate(lines):
        errors = [run_line(ns, line) for ns in spaces]
        if errors[0] != errors[1]:
            return Mismatch(step, "exception", f"torch: {errors[0]}, minitorch: {errors[1]}", line)
        if "F." in line and " = " in line:
            nn_outputs.add(line.split(" = ")[0].strip())
        for var in [k for k in spaces[0] if _VARIABLE.match(k)]:
            if var not in spaces[1]:
                return Mismatch(step, "missing", var, line)
            check_names = names and (nn_names or var not in nn_outputs)
            described = [_describe(ns[var], check_names) for ns in spaces]
            kind = compare(*described)
            if kind:
                return Mismatch(step, kind, f"{var}: torch {described[0].get(kind)!r}, "
                                            f"minitorch {described[1].get(kind)!r}", line)
    return None


def backward_line(rng, vars_):
    """The program's last line: backward from a float variable that requires grad."""
    candidates = [v for v in vars_ if v.requires_grad]
    if not candidates:
        return None
    v = candidates[-1] if rng.random() < 0.7 else rng.choice(candidates)
    return f"{v.name}.sum().backward()"


def grad_lines(vars_):
    """Lines that read every leaf's ``.grad`` into a variable (so it is compared)."""
    return [f"grad{v.name[1:]} = {v.name}.grad" for v in vars_ if v.is_leaf and v.requires_grad]


def generate(seed, torch, max_steps=10, nn=True):
    """A random program (list of lines), built while running it under torch."""
    rng = random.Random(seed)
    generators = [(gen, weight) for gen, weight in GENERATORS if nn or gen is not functional]
    ns = _namespace(torch)
    lines, vars_ = [], []
    n_leaves = rng.randint(1, 3)
    steps = rng.randint(3, max_steps)
    while len(lines) < n_leaves + steps:
        gen = new_leaf if len(vars_) < n_leaves else rng.choices(*zip(*generators))[0]
        template = gen(rng, vars_)
        if template is None:
            continue
        name = f"v{len(vars_)}"
        line = f"{name} = {template}" if gen is new_leaf else template.replace("{out}", name)
        error = run_line(ns, line)
        if error is not None and rng.random() < 0.8:
            ns.pop(name, None)
            continue  # mostly valid programs; some errors stay (their types are compared)
        lines.append(line)
        if name in ns and hasattr(ns[name], "shape"):
            vars_.append(Var(name, ns[name]))
        for v in vars_:  # in-place steps change what torch knows (requires_grad, leaf-ness)
            try:
                t = ns[v.name]
                v.requires_grad, v.is_leaf = t.requires_grad, t.is_leaf
            except RuntimeError:  # a view whose history torch will not rebuild
                v.requires_grad = False
    back = backward_line(rng, vars_)
    if back:
        lines.append(back)
        lines += grad_lines(vars_)
    return lines


def _uses(line):
    return set(re.findall(r"\bv\d+\b", line))


def shrink(lines, libs, first, names=True, nn_names=True):
    """Drop lines while the same kind of mismatch remains (greedy, until nothing can go)."""
    def fails(candidate):
        m = execute(candidate, libs, names, nn_names)
        return m is not None and m.kind == first.kind

    lines = lines[:first.step + 1]
    changed = True
    while changed:
        changed = False
        for i in range(len(lines) - 1, -1, -1):
            candidate = lines[:i] + lines[i + 1:]
            defined = lines[i].split(" = ")[0].strip() if " = " in lines[i] else None
            if defined and defined.isidentifier():  # drop the lines that use what it defined too
                candidate = [ln for ln in candidate if defined not in _uses(ln) or ln.startswith(defined + " =")]
            if candidate and fails(candidate):
                lines, changed = candidate, True
                break
    return lines


def agreement(programs, seed=0, nn=True, repros=0, show=False):
    """Run ``programs`` random programs under torch and minitorch. Returns the counts (programs,
    agree, agree_nn_names_excluded, agree_without_names), the first disagreements by kind and by
    (kind, op), and up to ``repros`` shrunk repros (one per (kind, op))."""
    import torch

    import minitorch

    torch.set_num_threads(1)
    libs = (torch, minitorch)
    counts, kinds, by_op, found = collections.Counter(), collections.Counter(), collections.Counter(), {}
    for i in range(programs):
        program_seed = seed * 1_000_003 + i
        torch.manual_seed(0)
        minitorch.manual_seed(0)
        try:
            lines = generate(program_seed, torch, nn=nn)
        except Exception:  # noqa: BLE001 - a generator bug must not stop the run
            traceback.print_exc()
            continue
        if show:
            print(f"# program {program_seed}\n" + "\n".join(lines))
        counts["programs"] += 1
        full = execute(lines, libs, names=True)
        if full is None:
            counts["agree"] += 1
            counts["agree_nn_names_excluded"] += 1
            counts["agree_without_names"] += 1
            continue
        kinds[full.kind] += 1
        counts["agree_nn_names_excluded"] += execute(lines, libs, names=True, nn_names=False) is None
        counts["agree_without_names"] += execute(lines, libs, names=False) is None
        signature = (full.kind, _signature(full.line))
        by_op[signature] += 1
        if signature not in found and len(found) < repros:
            found[signature] = (program_seed, shrink(lines, libs, full), full)
    return counts, kinds, by_op, found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--programs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", action="store_true", help="print each program")
    parser.add_argument("--repros", type=int, default=20, help="how many shrunk repros to print")
    parser.add_argument("--top", type=int, default=30, help="how many frequent (kind, op) pairs to list")
    parser.add_argument("--no-nn", action="store_true", help="leave torch.nn.functional steps out of the programs")
    args = parser.parse_args(argv)
    counts, kinds, by_op, found = agreement(args.programs, args.seed, not args.no_nn, args.repros, args.show)
    n = builtins.max(counts["programs"], 1)
    print(f"programs: {counts['programs']}")
    print(f"agree (values, shapes, strides, dtypes, grad_fn names, gradients, exception types): "
          f"{100 * counts['agree'] / n:.1f}%")
    print(f"agree with nn.functional grad_fn names excluded: {100 * counts['agree_nn_names_excluded'] / n:.1f}%")
    print(f"agree without grad_fn names: {100 * counts['agree_without_names'] / n:.1f}%")
    print("first disagreement by kind:", dict(kinds.most_common()))
    print("most frequent (kind, op):", ", ".join(f"{k[0]} {k[1]}: {c}" for k, c in by_op.most_common(args.top)))
    for (kind, _), (seed, lines, m) in found.items():
        print(f"\n# seed {seed}: {kind} ({m.detail})")
        print("\n".join(lines))
    return counts


def _signature(line):
    """The op a line calls (to report one repro per kind of failure)."""
    rhs = line.split(" = ", 1)[-1] if not re.match(r"^\w+\[", line) else "setitem"
    match = re.search(r"(?:torch|F)\.(\w+)\(|\.(\w+)\(?|\s([-+*/%&|@<>=]+)\s|(\[)", rhs)
    return next((g for g in match.groups() if g), rhs) if match else rhs


if __name__ == "__main__":
    main()
