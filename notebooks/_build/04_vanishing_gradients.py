"""Builds notebooks/04_vanishing_gradients.ipynb: the lecture's "network paralysis" experiment.

Lecture 2 (seeds/001, "Паралич сети, эксперимент"): 841 inputs (29x29 letters), five hidden sigmoid
layers of 100, 26 outputs; the mean gradient of each layer's weights is 6.2e-8, 2.2e-6, 1.6e-5,
1.1e-4, 7e-4, 0.015 from the first layer to the output. Then why (sigma' <= 1/4), and the cures:
other activations, Xavier/Kaiming initialisation; and the opposite problem, exploding gradients.
"""

from notebooks._build.common import code, header, imports_cell, md, predict, setup_cell, write_and_execute

FILE = "04_vanishing_gradients.ipynb"
RUNTIME_S = 10


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
        """),
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
            show_images(train_set.data[:16], titles=[train_set.classes[t] for t in y_train[:16]], ncols=8);
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
            """),
        code("""
            positions = np.arange(len(NAMES))
            plt.bar(positions - 0.2, grads, width=0.4, label="minitorch")
            plt.bar(positions + 0.2, LECTURE, width=0.4, label="lecture")
            plt.yscale("log")
            plt.xticks(positions, NAMES)
            plt.ylabel("mean |grad| of the weights")
            plt.title("5 sigmoid layers: gradients fade towards the input")
            plt.legend()
            plt.show()
        """),
        md("""
            Same picture as in the lecture: every layer closer to the input gets a gradient about ten times
            smaller. (The exact numbers depend on the data, the loss and the random weights; here: cross-entropy
            on 1040 letters, at initialisation.)
        """),
        code("""
            assert np.all(np.diff(grads) > 0)        # grows monotonically from the first to the last layer
            assert grads[-1] / grads[0] > 1e3        # by orders of magnitude (about 6e4 here)
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
            assert abs(z.grad.max().item() - 0.25) < 1e-6
            assert torch.allclose(z.grad, s * (1 - s))  # the formula above

            plt.plot(z.detach(), s.detach(), label="$\\\\sigma(z)$")
            plt.plot(z.detach(), z.grad, label="$\\\\sigma'(z)$")
            plt.axhline(0.25, color="gray", ls=":", label="1/4")
            plt.legend()
            plt.xlabel("z")
            plt.show()
            """),
        md("""
            Five layers: at most $(1/4)^5 \\approx 10^{-3}$ from the sigmoids alone, and the default weights
            are small too. The measured factor from one layer to the previous one:
        """),
        code("""
            print("gradient ratio, each layer to the one before it:", np.round(grads[1:] / grads[:-1], 1))
            print("(1/4)^5 =", 0.25 ** 5)
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
            results = {}
            for activation, init in SETUPS:
                torch.manual_seed(0)
                results[activation, init] = g = mean_grads(*make_net(activation=activation, init=init))
                plt.plot(NAMES, g, marker="o", ls="-" if init == "default" else "--", label=f"{activation}, {init}")
                print(f"{activation:8s} {init:8s} first {g[0]:.1e}  last {g[-1]:.1e}  last/first {g[-1] / g[0]:8.1f}")
            plt.yscale("log")
            plt.ylabel("mean |grad|")
            plt.legend(fontsize=7, ncol=2)
            plt.show()
        """),
        md("""
            The sigmoid keeps its factor 1/4 per layer whatever the initialisation; tanh, ReLU and GELU
            bring the ratio down to one order of magnitude or less, and Xavier / Kaiming also lift the
            gradients themselves to a useful size.
        """),
        code("""
            ratio = results["relu", "kaiming"][-1] / results["relu", "kaiming"][0]
            assert 1e-2 < ratio < 1e2                                  # ReLU + Kaiming: within ~2 orders (1.5 here)
            assert results["sigmoid", "default"][-1] / results["sigmoid", "default"][0] > 1e3 * ratio
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
            """),
        md("""
            A factor $s$ per layer becomes $s^{11}$ over 11 weight layers: $2^{11} \\approx 2000$ times larger
            gradients (and a loss that blows up after a few steps), or $0.5^{11} \\approx 1/2000$: vanishing again.
        """),
        code("""
            assert exploding[2.0][0] > 100 * exploding[1.0][0]   # exploding
            assert exploding[0.5][0] < exploding[1.0][0] / 100   # vanishing
        """),
        md("""
            ## 5. Does it matter? Train both networks

            Same data, same optimiser (SGD with momentum, 6 epochs): the lecture's sigmoid network and the
            ReLU + Kaiming one.
        """),
        code("""
            def train(activation, init, epochs=6, lr=0.05):
                torch.manual_seed(0)
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


            curves = {"sigmoid, default": train("sigmoid", "default"), "relu, kaiming": train("relu", "kaiming")}
            for name, accuracy in curves.items():
                plt.plot(range(1, 7), accuracy, marker="o", label=name)
                print(f"{name}: test accuracy {accuracy[-1]:.2f}")
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
            assert curves["sigmoid, default"][-1] < 0.1
            assert curves["relu, kaiming"][-1] > 0.4
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
        code("""
            try:
                from ipywidgets import interact
                interact(explore, depth=(1, 20), activation=list(ACTIVATIONS), init=["default", "xavier", "kaiming"],
                         scale=(0.25, 2.5, 0.25))
            except ImportError:
                print("pip install ipywidgets to get the sliders")
        """),
        md("""
            ## Try it

            - How deep can a sigmoid network with Xavier initialisation get before last/first exceeds $10^6$?
            - With ReLU + Kaiming at depth 20, which weight scale keeps the gradients flat?
            - Replace the cross-entropy by the lecture's $\\frac{1}{2}(y - t)^2$ on sigmoid outputs
              (`F.one_hot(y, 26)`): does the table change much?
        """),
    ]


if __name__ == "__main__":
    print(f"{FILE}: executed in {write_and_execute(FILE, cells(), RUNTIME_S):.1f} s")
