"""Builds notebooks/05_activations.ipynb: the source course's activation functions and their derivatives.

The source course's activation-function slides: identity, threshold, sigmoid, tanh, ReLU, LeakyReLU
(max(0.1z, z)), ELU, SELU, SiLU/swish, GELU with its tanh approximation (alpha = 0.044715), softsign;
plus softplus and mish. Each derivative three ways (formula, autograd, finite difference), the GELU
approximation error, dead ReLUs, and a short training comparison on the bundled digits.
"""

from notebooks._build.common import (code, header, homework, imports_cell, md, predict, quiz_cell, setup_cell, try_it,
                                     write_and_execute)

SEEDS = 5  # the race is run with this many random initialisations and batch orders

FILE = "05_activations.ipynb"
RUNTIME_S = 25


def cells():
    return [
        header(5, "Activation functions", FILE, [
            "write down each activation of the lecture and its derivative",
            "check a derivative three ways: the formula, autograd and a finite difference",
            "define your own differentiable function with `torch.autograd.Function`",
            "measure how good GELU's tanh approximation is",
            "see ReLU units die after a too large step, and why they never come back",
            "compare activations when training a small network on digits",
        ], RUNTIME_S),
        setup_cell(),
        imports_cell("""
            import math

            import numpy as np
            import minitorch as torch
            from minitorch import nn
            import minitorch.nn.functional as F
            from minitorch.utils.data import DataLoader, TensorDataset
            from minitorch.vision import datasets
            from IPython.display import Markdown, display
        """, f"SEEDS = {SEEDS}   # the race is repeated over this many random initialisations and batch orders"),
        quiz_cell(),
        md("""
            ## 1. The zoo

            A neuron computes $f(z)$ of its weighted input $z$. Backpropagation needs $f'(z)$ at every unit,
            so an activation is really a **pair**: the function and its derivative. Below, each activation of
            the lecture as a `minitorch` module (what a network uses) next to its derivative written out by
            hand in numpy (what the lecture's slides show).

            The **threshold** $\\text{th}(z) = I[z > 0]$ has no module in PyTorch: we write it as an
            autograd `Function`, which states its derivative ourselves (zero everywhere, except at 0 where it
            has none).
        """),
        code("""
            class Threshold01(torch.autograd.Function):
                \"\"\"th(z) = 1 if z > 0 else 0; its derivative is 0 wherever it exists.\"\"\"

                @staticmethod
                def forward(ctx, z):
                    return (z > 0).to(z.dtype)

                @staticmethod
                def backward(ctx, grad_output):
                    return torch.zeros_like(grad_output)


            print(Threshold01.apply(torch.tensor([-1.0, 0.0, 2.0], requires_grad=True)))
        """),
        code("""
            SELU_ALPHA, SELU_LAMBDA = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
            GELU_A = 0.044715          # the lecture's alpha in the tanh approximation of GELU
            SQRT_2_PI = math.sqrt(2 / math.pi)
            erf = np.vectorize(math.erf)


            def sigmoid(z): return 1 / (1 + np.exp(-z))
            def softplus(z): return np.logaddexp(0, z)          # log(1 + e^z) without overflow
            def gelu_tanh_inner(z): return np.tanh(SQRT_2_PI * (z + GELU_A * z ** 3))


            # name: (the activation as minitorch computes it, its derivative by hand in numpy)
            ACTIVATIONS = {
                "identity":       (nn.Identity(),      lambda z: np.ones_like(z)),
                "threshold":      (Threshold01.apply,  lambda z: np.zeros_like(z)),
                "sigmoid":        (nn.Sigmoid(),       lambda z: sigmoid(z) * (1 - sigmoid(z))),
                "tanh":           (nn.Tanh(),          lambda z: 1 - np.tanh(z) ** 2),
                "ReLU":           (nn.ReLU(),          lambda z: (z > 0) * 1.0),
                "LeakyReLU(0.1)": (nn.LeakyReLU(0.1),  lambda z: np.where(z > 0, 1.0, 0.1)),
                "ELU":            (nn.ELU(),           lambda z: np.where(z > 0, 1.0, np.exp(z))),
                "SELU":           (nn.SELU(),          lambda z: SELU_LAMBDA * np.where(z > 0, 1.0, SELU_ALPHA * np.exp(z))),
                "SiLU / swish":   (nn.SiLU(),          lambda z: sigmoid(z) * (1 + z * (1 - sigmoid(z)))),
                "GELU":           (nn.GELU(),          lambda z: 0.5 * (1 + erf(z / math.sqrt(2))) + z * np.exp(-z * z / 2) / math.sqrt(2 * math.pi)),
                "GELU (tanh)":    (nn.GELU(approximate="tanh"),
                                   lambda z: 0.5 * (1 + gelu_tanh_inner(z))
                                   + 0.5 * z * (1 - gelu_tanh_inner(z) ** 2) * SQRT_2_PI * (1 + 3 * GELU_A * z ** 2)),
                "softsign":       (nn.Softsign(),      lambda z: 1 / (1 + np.abs(z)) ** 2),
                "softplus":       (nn.Softplus(),      lambda z: sigmoid(z)),
                "mish":           (nn.Mish(),          lambda z: np.tanh(softplus(z)) + z * sigmoid(z) * (1 - np.tanh(softplus(z)) ** 2)),
            }
        """),
        md("""
            Notes from the lecture: LeakyReLU is written there as $\\max(0.1z, z)$ (PyTorch's default slope is
            0.01); SELU is $\\lambda\\,\\text{ELU}$ with constants chosen so activations keep mean 0 and
            variance 1; swish is $z\\,\\sigma(\\alpha z)$, SiLU its $\\alpha = 1$ case; GELU (used by BERT and
            GPT-2) is $z\\,\\Phi(z)$, with $\\Phi$ the normal CDF, often computed through
            $\\frac{z}{2}\\left(1 + \\tanh\\left(\\sqrt{2/\\pi}\\,(z + 0.044715 z^3)\\right)\\right)$.

            ## 2. Each derivative three ways

            * **analytic**: the formula above;
            * **autograd**: `y.sum().backward()` puts $f'(z_i)$ in `z.grad[i]` (each $y_i$ depends on $z_i$ only);
            * **finite difference**: $\\frac{f(z + h) - f(z - h)}{2h}$ with $h = 10^{-6}$, in float64.

            The grid of 400 points skips $z = 0$, where ReLU-like functions have a kink.
        """),
        code("""
            z = torch.linspace(-4, 4, 400, dtype=torch.float64)
            h = 1e-6
            derivatives = {}                      # name -> (analytic, autograd, finite difference)
            for name, (f, analytic) in ACTIVATIONS.items():
                z_leaf = z.clone().requires_grad_(True)
                f(z_leaf).sum().backward()
                with torch.no_grad():
                    finite_difference = (f(z + h) - f(z - h)) / (2 * h)
                derivatives[name] = (analytic(z.numpy()), z_leaf.grad.numpy(), finite_difference.numpy())

            print(f"{'':16s}{'|autograd - analytic|':>24s}{'|finite diff - analytic|':>26s}")
            for name, (analytic, autograd, fd) in derivatives.items():
                print(f"{name:16s}{np.abs(autograd - analytic).max():24.1e}{np.abs(fd - analytic).max():26.1e}")
        """),
        code("""
            for name, (analytic, autograd, fd) in derivatives.items():
                assert np.allclose(autograd, analytic, rtol=0, atol=1e-5), name
                assert np.allclose(fd, analytic, rtol=0, atol=1e-5), name
        """),
        code("""
            fig, axes = plt.subplots(4, 4, figsize=(10, 8.5), dpi=60, sharex=True)
            zs = z.numpy()
            for ax, (name, (f, _)) in zip(axes.flat, ACTIVATIONS.items()):
                analytic, autograd, fd = derivatives[name]
                with torch.no_grad():
                    ax.plot(zs, f(z).numpy(), color="k", lw=2, label="f(z)")
                ax.plot(zs, analytic, color="C1", lw=4, alpha=0.5, label="f'(z) analytic")
                ax.plot(zs, autograd, color="C0", ls="--", label="f'(z) autograd")
                ax.plot(zs[::20], fd[::20], "o", color="C3", ms=3, label="f'(z) finite diff.")
                ax.set_title(name, fontsize=10)
                ax.set_ylim(-1.5, 3)
                ax.grid(alpha=0.3)
            axes.flat[-2].axis("off")
            axes.flat[-1].axis("off")
            fig.legend(*axes.flat[0].get_legend_handles_labels(), loc="lower right", bbox_to_anchor=(0.95, 0.08))
            fig.tight_layout()
            plt.show()
        """),
        md("""
            ## 3. How good is GELU's tanh approximation?
        """),
        *predict(
            "the largest gap between exact GELU and its tanh approximation: about 0.1, 0.01 or 0.001?",
            """
            zz = torch.linspace(-10, 10, 20001, dtype=torch.float64)
            gap = F.gelu(zz) - F.gelu(zz, approximate="tanh")
            worst = gap.abs().argmax()
            print(f"max |GELU - GELU_tanh| = {gap.abs().max().item():.2e} at z = {zz[worst].item():.2f}")
            plt.plot(zz.numpy(), gap.numpy())
            plt.xlim(-6, 6)
            plt.xlabel("z")
            plt.ylabel("exact - tanh approximation")
            plt.show()
            """, options=["about 0.1", "about 0.01", "about 0.001 or less"], answer=2,
            why="the largest gap is about 5e-4, near |z| = 2: far below the noise of float32 training, which is "
            "why the approximation was used freely."),
        code("""
            assert 4e-4 < gap.abs().max().item() < 5e-4      # far below float32 training noise
        """),
        md("""
            ## 4. Dead ReLUs

            A ReLU unit whose input is negative **for every example** outputs 0 and passes back a zero
            gradient: its weights never change again. One step with a too large learning rate can push units
            there. We count the units of a small MLP that output 0 on all 4,000 training digits.
        """),
        code("""
            def load(train):
                digits = datasets.MNIST5k(train=train)
                x = (digits.data.float() / 255 - 0.1307) / 0.3081     # the usual MNIST normalisation
                return x.view(-1, 784), digits.targets


            x_train, y_train = load(train=True)
            x_test, y_test = load(train=False)


            def mlp(activation):
                return nn.Sequential(nn.Linear(784, 128), activation(), nn.Linear(128, 64), activation(),
                                     nn.Linear(64, 10))


            def dead_units(net, x=x_train):
                \"\"\"For each hidden layer, a bool tensor: which units output 0 on every example.\"\"\"
                dead = []
                with torch.no_grad():
                    for layer in net:
                        x = layer(x)
                        if isinstance(layer, (nn.ReLU, nn.LeakyReLU)):
                            dead.append((x == 0).all(dim=0))
                return dead


            def one_step(activation, lr):
                torch.manual_seed(0)
                net = mlp(activation)
                optimizer = torch.optim.SGD(net.parameters(), lr=lr)
                F.cross_entropy(net(x_train[:256]), y_train[:256]).backward()
                optimizer.step()
                return net
        """),
        *predict(
            "what fraction of the second hidden layer dies after one SGD step with lr = 100?",
            """
            lrs = [0.1, 1, 10, 30, 100]
            dead_fraction = {lr: [d.float().mean().item() for d in dead_units(one_step(nn.ReLU, lr))] for lr in lrs}
            torch.manual_seed(0)
            print("before any step:", [d.float().mean().item() for d in dead_units(mlp(nn.ReLU))])
            for lr in lrs:
                print(f"lr = {lr:5}: dead fraction per hidden layer {np.round(dead_fraction[lr], 3)}")
            fractions = np.array(list(dead_fraction.values()))
            plt.plot(lrs, fractions[:, 0], marker="o", label="layer 1 (128 units)")
            plt.plot(lrs, fractions[:, 1], marker="o", label="layer 2 (64 units)")
            plt.xscale("log")
            plt.xlabel("learning rate of the step")
            plt.ylabel("dead units")
            plt.legend()
            plt.show()
            """, options=["none: one step cannot kill a unit", "a few percent", "about a third", "all of them"],
            answer=2, why="a huge step moves the biases and weights so far that some units' input is negative for "
            "every digit; in this run that is about a third of the second layer (the first layer, fed by the "
            "pixels directly, loses only a few)."),
        md("""
            Why they stay dead: the gradient of every weight going into a dead unit is exactly zero.
            LeakyReLU keeps a small slope for negative inputs, so the same step leaves no unit without a gradient.
        """),
        code("""
            net = one_step(nn.ReLU, lr=100)
            dead = dead_units(net)[1]                         # the second hidden layer
            net.zero_grad()
            F.cross_entropy(net(x_train), y_train).backward()
            grad_into_dead = net[2].weight.grad[dead]         # rows of the weights that feed the dead units
            print(f"{int(dead.sum())} dead units; largest |grad| of their weights: {grad_into_dead.abs().max().item()}")

            leaky = one_step(lambda: nn.LeakyReLU(0.1), lr=100)
            print("LeakyReLU units with zero output on every example:", [int(d.sum()) for d in dead_units(leaky)])
        """),
        code("""
            assert dead_fraction[0.1] == [0.0, 0.0] and dead_fraction[100][1] > 0.2
            assert dead.any() and grad_into_dead.abs().max().item() == 0
        """),
        md("""
            ## 5. A short race on digits

            The same MLP (784-128-64-10) with different activations, trained for 3 epochs on the bundled
            4,000 MNIST digits with SGD + momentum; accuracy on the 1,000 held-out digits. A single run ranks
            the activations partly by luck (the initial weights, the order of the batches), so every activation
            runs with the same 5 seeds and we compare mean +- standard deviation.
        """),
        code("""
            def train(activation, seed, epochs=3, lr=0.1):
                torch.manual_seed(seed)
                net = mlp(activation)
                optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
                loader = DataLoader(TensorDataset(x_train, y_train), batch_size=64, shuffle=True)
                losses, accuracy = [], []
                for epoch in range(epochs):
                    for xb, yb in loader:
                        optimizer.zero_grad()
                        loss = F.cross_entropy(net(xb), yb)
                        loss.backward()
                        optimizer.step()
                        losses.append(loss.item())
                    with torch.no_grad():
                        accuracy.append((net(x_test).argmax(1) == y_test).float().mean().item())
                return losses, accuracy


            ACTIVATION_RACE = [("sigmoid", nn.Sigmoid), ("tanh", nn.Tanh), ("ReLU", nn.ReLU), ("GELU", nn.GELU),
                               ("SiLU", nn.SiLU)]
            runs = {name: [train(activation, seed) for seed in range(SEEDS)] for name, activation in ACTIVATION_RACE}
            accuracy = {name: np.array([acc for _, acc in rs]) for name, rs in runs.items()}   # (seeds, epochs)

            print(f"test accuracy, mean +- std over {SEEDS} seeds")
            print(f"{'':10s}{'epoch 1':>16s}{'epoch 2':>16s}{'epoch 3':>16s}")
            for name, acc in accuracy.items():
                print(f"{name:10s}" + "".join(f"{m:10.3f} +-{s:.3f}" for m, s in zip(acc.mean(0), acc.std(0))))

            fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
            for i, (name, rs) in enumerate(runs.items()):
                losses = np.array([l for l, _ in rs]).mean(0)                  # mean training loss over the seeds
                smooth = np.convolve(losses, np.ones(20) / 20, mode="valid")   # moving average over 20 steps
                left.plot(smooth, label=name)
                acc = accuracy[name]
                right.errorbar(np.arange(1, 4) + 0.05 * (i - 2), acc.mean(0), yerr=acc.std(0), marker="o",
                               capsize=3, label=name)
            left.set(xlabel="step", ylabel=f"training loss (mean of {SEEDS} seeds)", yscale="log")
            right.set(xlabel="epoch", ylabel="test accuracy (mean +- std)", xticks=[1, 2, 3])
            right.legend()
            fig.tight_layout()
            plt.show()
        """),
        code("""
            final = {name: acc[:, -1] for name, acc in accuracy.items()}
            ranking = sorted(final, key=lambda name: -final[name].mean())
            best, runner_up = ranking[0], ranking[1]
            gap = final[best].mean() - final[runner_up].mean()
            noise = max(final[best].std(), final[runner_up].std())
            verdict = ("a real lead" if gap > 2 * noise else
                       "within the seed-to-seed spread: on this budget they are tied")
            display(Markdown(
                f"With only two hidden layers every activation trains (lowest final accuracy over all runs: "
                f"{min(f.min() for f in final.values()):.3f}). The sigmoid starts slowest: epoch-1 accuracy "
                f"{accuracy['sigmoid'][:, 0].mean():.3f} against {accuracy['ReLU'][:, 0].mean():.3f} for ReLU "
                f"(its gradients shrink by at most 1/4 per layer, lecture 4). After 3 epochs the order is "
                f"{', '.join(ranking)}; the top two differ by {gap:.3f}, against a spread of {noise:.3f}: {verdict}. "
                f"One seed could have crowned either."))
        """),
        code("""
            assert all(f.min() > 0.85 for f in final.values())
            assert accuracy["ReLU"][:, 0].mean() - accuracy["sigmoid"][:, 0].mean() > 2 * accuracy["sigmoid"][:, 0].std()
        """),
        *try_it([
            ("Implement Tanh yourself as a `torch.autograd.Function` with $\\tanh'(z) = 1 - \\tanh^2(z)$, add it to "
             "`ACTIVATIONS` and check it three ways.", """
                ```python
                class Tanh(torch.autograd.Function):
                    @staticmethod
                    def forward(ctx, z):
                        y = (torch.exp(z) - torch.exp(-z)) / (torch.exp(z) + torch.exp(-z))
                        ctx.save_for_backward(y)
                        return y

                    @staticmethod
                    def backward(ctx, grad_output):
                        (y,) = ctx.saved_tensors
                        return grad_output * (1 - y ** 2)

                ACTIVATIONS["my tanh"] = (Tanh.apply, lambda z: 1 - np.tanh(z) ** 2)
                ```
                Then rerun section 2: both error columns stay tiny. (For large |z| `exp` overflows; the homework
                asks for a stable version.)
            """),
            ("Add swish with $\\alpha = 2$: $z\\,\\sigma(2z)$. Which activation does it approach as $\\alpha$ grows?", """
                `ACTIVATIONS["swish-2"] = (lambda z: z * torch.sigmoid(2 * z), lambda z: s2 + 2 * z * s2 * (1 - s2))`
                with `s2 = 1 / (1 + np.exp(-2 * z))`. As $\\alpha \\to \\infty$, $\\sigma(\\alpha z)$ becomes a step at 0,
                so swish becomes **ReLU**; at $\\alpha = 0$ it is $z/2$, a line.
            """),
            ("Make the dead-ReLU network train again: can a smaller learning rate revive a dead unit?", """
                No. A dead unit's incoming weights get exactly zero gradient (shown above), so no learning rate
                moves them. Only a change elsewhere can revive it (another layer's weights shifting its input,
                or weight decay, which does not need a gradient); in practice: smaller first steps (warm-up),
                LeakyReLU/GELU, or re-initialising the unit.
            """),
        ]),
        homework(5, """
            tanh as an autograd `Function` from `exp`, a module around it, and its gradient flow against the sigmoid's.
        """),
    ]


if __name__ == "__main__":
    print(f"{FILE}: executed in {write_and_execute(FILE, cells(), RUNTIME_S):.1f} s")
