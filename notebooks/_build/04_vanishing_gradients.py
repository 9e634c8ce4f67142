"""Builds notebooks/04_vanishing_gradients.ipynb: the lecture's "network paralysis" experiment.

The source course's "network paralysis" experiment: 841 inputs (29x29 letters), five hidden sigmoid
layers of 100, 26 outputs; the mean gradient of each layer's weights is 6.2e-8, 2.2e-6, 1.6e-5,
1.1e-4, 7e-4, 0.015 from the first layer to the output. Then why (sigma' <= 1/4), and the cures:
other activations, Xavier/Kaiming initialisation; and the opposite problem, exploding gradients.
"""

from notebooks._build.common import (code, header, homework, imports_cell, md, predict, quiz_cell, setup_cell, try_it,
                                     volatile, write_and_execute)

SEEDS = 5  # every comparison below is repeated with this many random initialisations

FILE = "04_vanishing_gradients.ipynb"
RUNTIME_S = 15


def cells():
    return [
        header(4, "Vanishing and exploding gradients", FILE, [
            "reproduce the lecture's experiment: mean gradient per layer of a deep sigmoid network",
            "explain the decay with the chain rule and the bound sigma'(z) <= 1/4",
            "compare sigmoid, tanh, ReLU and GELU, and default, Xavier and Kaiming initialisation",
            "recognise exploding gradients when the weights are too large",
            "see a 'paralysed' network fail to train while a ReLU + Kaiming network learns",
        ], RUNTIME_S),
        setup_cell(),
        imports_cell("""
            import numpy as np
            import minitorch as torch
            from minitorch import nn
            import minitorch.nn.functional as F
            from minitorch.utils.data import DataLoader, TensorDataset
            from minitorch.vision import datasets
            from minitorch.vision.utils import show_images
            from IPython.display import Markdown, display
        """, f"SEEDS = {SEEDS}   # comparisons are repeated over this many random initialisations"),
        quiz_cell(),
        md("""
            ## 1. The lecture's experiment: network paralysis

            The lecture trains a network on 29x29 images of letters: **841** inputs, **five hidden layers
            of 100 sigmoid units**, **26** outputs (one per letter), PyTorch's default initialisation. It then
            looks at the mean gradient of each layer's weights:

            | | input [841] | layer -5 | layer -4 | layer -3 | layer -2 | layer -1 | output |
            |---|---|---|---|---|---|---|---|
            | neurons | | 100 | 100 | 100 | 100 | 100 | 26 |
            | grad | | 6.2e-8 | 2.2e-6 | 1.6e-5 | 1.1e-4 | 7e-4 | 0.015 |

            The first layer learns **250,000 times slower** than the last one. We rebuild it. `Letters29`
            draws the 26 capital letters with random rotation, stretch, shift and noise.
        """),
        code("""
            train_set = datasets.Letters29(samples_per_class=40)             # 1040 images, 40 of each letter
            test_set = datasets.Letters29(train=False, samples_per_class=10)  # 260 other images
            x_train, y_train = train_set.data.view(-1, 841), train_set.targets  # flatten 29 x 29 -> 841
            x_test, y_test = test_set.data.view(-1, 841), test_set.targets
            print(x_train.shape, y_train.shape)
            show_images(train_set.data[:16], titles=[train_set.classes[t] for t in y_train[:16]], ncols=8)
            plt.show()
        """),
        md("""
            One function builds the network for every experiment of this notebook: `depth` hidden layers
            of `width` units, an activation, an initialisation and a factor `scale` on all the weights.
            `'default'` keeps what `nn.Linear` does on its own (weights uniform in
            $\\pm 1/\\sqrt{\\text{fan\\_in}}$).
        """),
        code("""
            ACTIVATIONS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "gelu": nn.GELU}


            def init_weights(linear, init):
                if init == "xavier":     # Glorot: keeps the variance of activations AND gradients, for tanh-like units
                    nn.init.xavier_normal_(linear.weight)
                elif init == "kaiming":  # He: variance 2 / fan_in makes up for ReLU zeroing half of the inputs
                    nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
                if init != "default":
                    nn.init.zeros_(linear.bias)


            def make_net(depth=5, activation="sigmoid", init="default", scale=1.0, width=100):
                layers, n_in = [], 841
                for _ in range(depth):
                    layers += [nn.Linear(n_in, width), ACTIVATIONS[activation]()]
                    n_in = width
                net = nn.Sequential(*layers, nn.Linear(n_in, 26))
                linears = [m for m in net if isinstance(m, nn.Linear)]
                for linear in linears:
                    init_weights(linear, init)
                    with torch.no_grad():
                        linear.weight.mul_(scale)
                return net, linears


            def mean_grads(net, linears, x=x_train, y=y_train):
                \"\"\"Mean |dLoss/dW| of every Linear layer, from the first to the output, on one batch.\"\"\"
                net.zero_grad()
                F.cross_entropy(net(x), y).backward()
                return np.array([linear.weight.grad.abs().mean().item() for linear in linears])


            net, linears = make_net()
            net
        """),
        *predict(
            "which layer gets the largest gradient - the first, the last, or are they about equal?",
            """
            torch.manual_seed(0)
            grads = mean_grads(*make_net())
            LECTURE = np.array([6.2e-8, 2.2e-6, 1.6e-5, 1.1e-4, 7e-4, 0.015])
            NAMES = ["layer -5", "layer -4", "layer -3", "layer -2", "layer -1", "output"]
            print(f"{'':10s}{'minitorch':>12s}{'lecture':>12s}")
            for name, ours, theirs in zip(NAMES, grads, LECTURE):
                print(f"{name:10s}{ours:12.1e}{theirs:12.1e}")
            print(f"last / first: {grads[-1] / grads[0]:.1e} (lecture {LECTURE[-1] / LECTURE[0]:.1e})")
            """, options=["the first layer (nearest the input)", "the output layer", "about equal"], answer=1,
            why="every layer on the way back multiplies the gradient by a sigmoid derivative (at most 1/4) and "
            "small weights, so the layers nearest the input get the smallest gradients."),
        md("One random initialisation could be a fluke. The same measurement with other seeds:"),
        code("""
            per_seed = np.array([(torch.manual_seed(seed), mean_grads(*make_net()))[1] for seed in range(SEEDS)])
            spread = per_seed.std(axis=0) / per_seed.mean(axis=0)
            print(f"over {SEEDS} seeds, mean |grad| per layer:", np.array2string(per_seed.mean(0), precision=1))
            print("relative spread (std / mean) per layer:   ", np.round(spread, 2))
            print(f"last / first: {(per_seed[:, -1] / per_seed[:, 0]).mean():.1e} "
                  f"+- {(per_seed[:, -1] / per_seed[:, 0]).std():.1e}")
            assert np.all(np.diff(per_seed, axis=1) > 0)   # the fade towards the input holds for every seed
        """),
        code("""
            positions = np.arange(len(NAMES))
            plt.bar(positions - 0.2, per_seed.mean(0), yerr=per_seed.std(0), width=0.4,
                    label=f"minitorch (mean +- std, {SEEDS} seeds)")
            plt.bar(positions + 0.2, LECTURE, width=0.4, label="lecture")
            plt.yscale("log")
            plt.xticks(positions, NAMES)
            plt.ylabel("mean |grad| of the weights")
            plt.title("5 sigmoid layers: gradients fade towards the input")
            plt.legend()
            plt.show()
        """),
        code("""
            per_layer = per_seed[:, 1:] / per_seed[:, :-1]
            display(Markdown(f"Same picture as in the lecture: every layer closer to the input gets a gradient "
                             f"{per_layer.min():.0f} to {per_layer.max():.0f} times smaller (over all {SEEDS} seeds), "
                             f"{(per_seed[:, -1] / per_seed[:, 0]).mean():.0e} times from the output to the first layer. "
                             "(The exact numbers depend on the data, the loss and the random weights; here: "
                             "cross-entropy on 1040 letters, at initialisation.)"))
            assert np.all(np.diff(grads) > 0)        # grows monotonically from the first to the last layer
            assert np.all(per_seed[:, -1] / per_seed[:, 0] > 1e3)   # by orders of magnitude, for every seed
        """),
        md("""
            ## 2. Why: the chain rule multiplies small numbers

            Each layer computes $z_k = \\sigma(z_{k-1} w_k)$. Backpropagation multiplies one factor
            $\\sigma'(\\cdot)\\, w_k$ per layer on the way back to the input:

            $$\\frac{d\\mathcal{L}}{dx} = \\frac{d\\mathcal{L}}{dz_1}\\frac{dz_1}{dx}
              \\le 2 \\cdot \\left(\\frac{1}{4}\\right)^5 w_1 w_2 w_3 w_4 w_5$$

            because the sigmoid's derivative $\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$ is at most $1/4$.
        """),
        *predict(
            "where is $\\sigma'(z)$ largest, and how large? Let autograd answer.",
            """
            z = torch.linspace(-8, 8, 401, requires_grad=True)
            s = torch.sigmoid(z)
            s.sum().backward()                      # z.grad[i] = d sigmoid(z_i) / d z_i
            print(f"max sigma'(z) = {z.grad.max().item():.4f} at z = {z[z.grad.argmax()].item():.1f}")

            plt.plot(z.detach(), s.detach(), label="$\\\\sigma(z)$")
            plt.plot(z.detach(), z.grad, label="$\\\\sigma'(z)$")
            plt.axhline(0.25, color="gray", ls=":", label="1/4")
            plt.legend()
            plt.xlabel("z")
            plt.show()
            """, options=["at z = 0, where it is 1/2", "at z = 0, where it is 1/4", "for large z, where it approaches 1"],
            answer=1, why="$\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$ is largest where $\\sigma = 1/2$, at $z = 0$: "
            "$1/2 \\cdot 1/2 = 1/4$. Everywhere else it is smaller, and nearly 0 for $|z| > 5$."),
        code("""
            assert abs(z.grad.max().item() - 0.25) < 1e-6
            assert torch.allclose(z.grad, s * (1 - s))  # the formula above
        """),
        md("""
            Compare like with like. **Per layer**, the sigmoid contributes a factor of at most $1/4$ (and the
            default weights, smaller than 1, shrink it further); over **five** layers that is at most
            $(1/4)^5 \\approx 10^{-3}$. The measured per-layer factors and the measured first/last ratio:
        """),
        code("""
            factor = grads[:-1] / grads[1:]          # how much smaller each layer's gradient is than the next one's
            print("per-layer factor, each layer / the one after it:", np.round(factor, 3), "  bound: 1/4 = 0.25")
            print(f"over the five hidden layers: first / output = {grads[0] / grads[-1]:.1e},  bound (1/4)^5 = {0.25 ** 5:.1e}")
            assert np.all(factor < 0.25) and grads[0] / grads[-1] < 0.25 ** 5
        """),
        md("""
            The lecture's conclusions:
            1. the gradient fades exponentially with depth, so learning slows down (first of all in the
               first layers);
            2. small weights make it worse;
            3. large weights can make it grow exponentially instead: training diverges (section 4);
            4. shallow networks hardly notice.

            ## 3. Cures: other activations and a better initialisation

            tanh is centred and its derivative reaches 1; ReLU's derivative is exactly 1 where the unit is
            active; GELU is a smooth ReLU. **Xavier** (Glorot) initialisation draws weights with variance
            $2/(\\text{fan\\_in} + \\text{fan\\_out})$, **Kaiming** (He) with $2/\\text{fan\\_in}$, so that the
            signal keeps its size from layer to layer.
        """),
        code("""
            SETUPS = [("sigmoid", "default"), ("sigmoid", "xavier"), ("tanh", "default"), ("tanh", "xavier"),
                      ("relu", "default"), ("relu", "kaiming"), ("gelu", "default"), ("gelu", "kaiming")]
            results, ratios = {}, {}
            for activation, init in SETUPS:
                runs = []
                for seed in range(SEEDS):
                    torch.manual_seed(seed)
                    runs.append(mean_grads(*make_net(activation=activation, init=init)))
                results[activation, init] = g = np.mean(runs, axis=0)
                ratios[activation, init] = r = np.array([run[-1] / run[0] for run in runs])
                plt.plot(NAMES, g, marker="o", ls="-" if init == "default" else "--", label=f"{activation}, {init}")
                print(f"{activation:8s} {init:8s} first {g[0]:.1e}  last {g[-1]:.1e}  "
                      f"last/first {r.mean():9.1f} +- {r.std():7.1f} ({SEEDS} seeds)")
            plt.yscale("log")
            plt.ylabel("mean |grad|")
            plt.legend(fontsize=7, ncol=2)
            plt.show()
        """),
        md("""
            The sigmoid keeps its factor of at most 1/4 per layer whatever the initialisation; tanh, ReLU and
            GELU bring the last/first ratio down from tens of thousands to tens or less, and Xavier / Kaiming
            also lift the gradients themselves to a useful size. The spread over seeds is small next to these
            differences, so the ranking is not luck:
        """),
        code("""
            relu = ratios["relu", "kaiming"]
            print(f"ReLU + Kaiming: last/first between {relu.min():.2f} and {relu.max():.2f} over {SEEDS} seeds; "
                  f"sigmoid + default: at least {ratios['sigmoid', 'default'].min():.1e}")
            assert np.all((1e-2 < relu) & (relu < 1e2))                           # within ~2 orders, every seed
            assert ratios["sigmoid", "default"].min() > 1e3 * relu.max()          # the least faded sigmoid run vs the most faded ReLU run
        """),
        md("""
            ## 4. Exploding gradients: weights too large

            Take a deep ReLU network (10 hidden layers) with Kaiming initialisation and multiply all the
            weights by a factor. Each layer multiplies the signal (forward) and the gradient (backward) by
            about that factor.
        """),
        *predict(
            "with weights twice as large as Kaiming's, how much larger do the gradients get in 10 layers?",
            """
            scales = [0.5, 0.75, 1.0, 1.5, 2.0]
            exploding = {}
            for scale in scales:
                torch.manual_seed(0)
                exploding[scale] = g = mean_grads(*make_net(depth=10, activation="relu", init="kaiming", scale=scale))
                plt.plot(g, marker="o", label=f"scale {scale}")
            plt.yscale("log")
            plt.xlabel("layer (0 = first)")
            plt.ylabel("mean |grad|")
            plt.legend()
            plt.show()
            for scale in scales:
                print(f"scale {scale:4}: first layer {exploding[scale][0]:.1e}")
            """, options=["about 2x: the same factor as the weights", "about 20x: a factor 2 per layer, added up",
                          "thousands of times: a factor 2 per layer, multiplied"], answer=2,
            why="backpropagation multiplies one factor per layer, so doubling every weight multiplies the gradient "
            "by roughly $2$ per layer: $2^{10}$ to $2^{12}$ over this network. The exact ratio is measured below."),
        code("""
            up, down = exploding[2.0][0] / exploding[1.0][0], exploding[1.0][0] / exploding[0.5][0]
            display(Markdown(
                f"A factor $s$ on every one of the 11 weight matrices: the first layer's gradient passes through "
                f"the other 10 on the way back, and the loss's own gradient grows with the output too. Measured: "
                f"scale 2 gives **{up:,.0f}** times larger first-layer gradients (compare $2^{{11}}$ = {2 ** 11:,} and "
                f"$2^{{12}}$ = {2 ** 12:,}) and a loss that blows up after a few steps; scale 0.5 gives "
                f"**{down:,.0f}** times smaller ones: vanishing again."))
            assert up > 100 and down > 100          # exploding and vanishing, by orders of magnitude
        """),
        md("""
            ## 5. Does it matter? Train both networks

            Same data, same optimiser (SGD with momentum, 6 epochs): the lecture's sigmoid network and the
            ReLU + Kaiming one.
        """),
        code("""
            def train(activation, init, seed, epochs=6, lr=0.05):
                torch.manual_seed(seed)
                net, _ = make_net(activation=activation, init=init)
                optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
                loader = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True)
                accuracy = []
                for epoch in range(epochs):
                    for xb, yb in loader:
                        optimizer.zero_grad()
                        F.cross_entropy(net(xb), yb).backward()
                        optimizer.step()
                    with torch.no_grad():
                        accuracy.append((net(x_test).argmax(1) == y_test).float().mean().item())
                return accuracy


            curves = {name: np.array([train(activation, init, seed) for seed in range(SEEDS)])
                      for name, (activation, init) in {"sigmoid, default": ("sigmoid", "default"),
                                                       "relu, kaiming": ("relu", "kaiming")}.items()}
            for name, accuracy in curves.items():       # accuracy: (seeds, epochs)
                mean, std = accuracy.mean(0), accuracy.std(0)
                plt.plot(range(1, 7), mean, marker="o", label=name)
                plt.fill_between(range(1, 7), mean - std, mean + std, alpha=0.3)
                print(f"{name}: test accuracy {mean[-1]:.2f} +- {std[-1]:.2f} "
                      f"(min {accuracy[:, -1].min():.2f}, max {accuracy[:, -1].max():.2f}, {SEEDS} seeds)")
            plt.title(f"mean +- std over {SEEDS} seeds")
            plt.axhline(1 / 26, color="gray", ls=":", label="chance (1/26)")
            plt.xlabel("epoch")
            plt.ylabel("test accuracy")
            plt.legend()
            plt.show()
        """),
        md("""
            The sigmoid network is **paralysed**: its first layers barely move and it stays at chance,
            while the ReLU + Kaiming network learns to read the letters.
        """),
        code("""
            assert curves["sigmoid, default"][:, -1].max() < 0.1          # every seed stays near chance
            assert curves["relu, kaiming"][:, -1].min() > 0.4             # every seed learns
        """),
        md("""
            ## 6. Explore

            Change the depth, the activation, the initialisation and the weight scale and watch the
            gradients. (Without a widget frontend the cell below shows the default setting.)
        """),
        code("""
            def explore(depth=5, activation="sigmoid", init="default", scale=1.0):
                torch.manual_seed(0)
                g = mean_grads(*make_net(depth, activation, init, scale))
                plt.bar(range(len(g)), g)
                plt.yscale("log")
                plt.xlabel("layer (0 = first)")
                plt.ylabel("mean |grad|")
                plt.title(f"{depth} x {activation}, {init} init, scale {scale}: last/first = {g[-1] / g[0]:.1e}")
                plt.show()


            explore()
        """),
        code(volatile("the sliders' picture is redrawn by the widget, which a re-run outside a browser does not replay"), """
            try:
                from ipywidgets import interact
                interact(explore, depth=(1, 20), activation=list(ACTIVATIONS), init=["default", "xavier", "kaiming"],
                         scale=(0.25, 2.5, 0.25))
            except ImportError:
                print("pip install ipywidgets to get the sliders")
        """),
        *try_it([
            ("How deep can a sigmoid network with Xavier initialisation get before last/first exceeds $10^6$?", """
                ```python
                for depth in range(2, 16):
                    torch.manual_seed(0)
                    g = mean_grads(*make_net(depth, "sigmoid", "xavier"))
                    print(depth, f"{g[-1] / g[0]:.1e}")
                ```
                The ratio grows by roughly a constant factor per layer (a straight line on a log scale), so it
                passes $10^6$ after about twice the depth that passes $10^3$; run it to read off the depth.
            """),
            ("With ReLU + Kaiming at depth 20, which weight scale keeps the gradients flat?", """
                Scale 1 (Kaiming itself): its variance $2/\\text{fan\\_in}$ is chosen so that each ReLU layer
                keeps the signal's size. Compare `explore(20, "relu", "kaiming", s)` for s in 0.75, 1, 1.25: the
                gradients are flattest near s = 1, and away from it the first layer's gradient changes roughly
                like $s^{20}$.
            """),
            ("Replace the cross-entropy by the lecture's $\\frac{1}{2}(y - t)^2$ on sigmoid outputs (`F.one_hot(y, 26)`).", """
                In `mean_grads` use `loss = 0.5 * ((torch.sigmoid(net(x)) - F.one_hot(y, 26).float()) ** 2).sum(1).mean()`.
                Expect the same fade towards the input: the five hidden sigmoids (each at most 1/4) are still on
                the way back. The output layer's gradient itself gets one more sigmoid derivative, so all the
                numbers shift down; compare the per-layer ratios, not the raw values.
            """),
        ]),
        homework(4, """
            write tanh as an autograd `Function` and compare its gradient flow with the sigmoid's.
        """),
    ]


if __name__ == "__main__":
    print(f"{FILE}: executed in {write_and_execute(FILE, cells(), RUNTIME_S):.1f} s")
