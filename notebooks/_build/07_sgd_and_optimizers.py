"""Builds notebooks/07_sgd_and_optimizers.ipynb: gradient descent variants, optimizers, schedulers.

Follows the source course: batch GD vs SGD vs mini-batch SGD, shuffling, L1/L2 regularisation,
per-layer learning rates (param groups) and the schedulers StepLR / ReduceLROnPlateau /
CosineAnnealingLR from its PyTorch tutorial; momentum, Nesterov, RMSprop and Adam are shown as
trajectories on 2-D surfaces.
"""

from notebooks._build.common import code, header, homework, imports_cell, md, predict, quiz_cell, setup_cell, try_it, volatile

SEEDS = 5  # comparisons that depend on the random initialisation or batch order use this many seeds

FILE = "07_sgd_and_optimizers.ipynb"
RUNTIME_S = 15


def cells():
    return [
        header(7, "SGD and optimizers", FILE, [
            "compare batch gradient descent, SGD and mini-batch SGD per epoch and per second",
            "see why the data must be shuffled every epoch",
            "read the trajectories of momentum, Nesterov, RMSprop and Adam on 2-D surfaces",
            "schedule the learning rate (StepLR, CosineAnnealingLR, ReduceLROnPlateau, OneCycleLR)",
            "give each part of a model its own learning rate (parameter groups)",
            "tell L1 from L2 regularisation by the weights they leave",
        ], RUNTIME_S),
        setup_cell(),
        imports_cell("""
            import time

            import numpy as np
            import minitorch as torch
            import minitorch.nn.functional as F
            from minitorch import nn, optim
            from minitorch.optim.lr_scheduler import CosineAnnealingLR, OneCycleLR, ReduceLROnPlateau, StepLR
            from minitorch.vision import datasets
        """, f"SEEDS = {SEEDS}   # comparisons that depend on the initialisation or batch order use this many seeds"),
        quiz_cell(),
        md(r"""
            ## 1. Batch GD, SGD and mini-batch SGD

            We minimise an average of per-example losses, $J(\theta) = \frac1N\sum_{i=1}^N J_i(\theta)$:

            | method | one step uses | update |
            | --- | --- | --- |
            | batch gradient descent | all $N$ examples | $\theta \leftarrow \theta - \eta\,\nabla J(\theta)$ |
            | stochastic gradient descent (SGD) | one example $i$ | $\theta \leftarrow \theta - \eta\,\nabla J_i(\theta)$ |
            | mini-batch SGD | a batch $B$ of $k$ examples | $\theta \leftarrow \theta - \eta\,\frac1k\sum_{i\in B}\nabla J_i(\theta)$ |

            (The lecture writes the mini-batch sum; PyTorch losses average over the batch by default,
            which only rescales $\eta$.) An **epoch** is one pass over the data: batch GD makes one step
            per epoch, SGD makes $N$.

            The task: linear regression on 256 noisy points with 10 features.
        """),
        code("""
            N, D = 256, 10
            X = torch.randn(N, D)
            y = X @ torch.randn(D, 1) + 0.5 * torch.randn(N, 1)

            # the best any linear model can do (least squares), for reference
            A = torch.cat([X, torch.ones(N, 1)], dim=1).numpy()
            solution = np.linalg.lstsq(A, y.numpy(), rcond=None)[0]
            best = float(((A @ solution - y.numpy()) ** 2).mean())

            def full_loss(model):
                with torch.no_grad():
                    return F.mse_loss(model(X), y).item()

            def train(batch_size, lr, seed=0, epochs=6, shuffle=True):
                \"\"\"Mini-batch SGD on (X, y); returns the full-data loss and the training seconds after each epoch.\"\"\"
                torch.manual_seed(seed)
                model = nn.Linear(D, 1)
                optimizer = optim.SGD(model.parameters(), lr=lr)
                losses, seconds, elapsed = [full_loss(model)], [0.0], 0.0
                for epoch in range(epochs):
                    start = time.perf_counter()
                    order = torch.randperm(N) if shuffle else torch.arange(N)
                    for i in range(0, N, batch_size):
                        batch = order[i:i + batch_size]
                        optimizer.zero_grad()
                        F.mse_loss(model(X[batch]), y[batch]).backward()
                        optimizer.step()
                    elapsed += time.perf_counter() - start      # time the training only, not full_loss
                    losses.append(full_loss(model))
                    seconds.append(elapsed)
                return losses, seconds
        """),
        *predict("after ONE epoch, which is lower: the loss of batch GD, of SGD (batch 1) or of "
                 "mini-batch SGD (batch 32)? And after one *second*?", """
            SETTINGS = {"batch GD (256)": (N, 0.1), "mini-batch (32)": (32, 0.1),
                        "SGD (1)": (1, 0.02)}   # single examples give noisy gradients: a smaller step
            runs = {name: [train(b, lr, seed) for seed in range(SEEDS)] for name, (b, lr) in SETTINGS.items()}
            losses = {name: np.array([l for l, _ in rs]) for name, rs in runs.items()}     # (seeds, epochs + 1)
            print(f"loss on all data, mean +- std over {SEEDS} seeds (least squares: {best:.3f})")
            for name, l in losses.items():
                print(f"{name:16s} after 1 epoch {l[:, 1].mean():.3f} +- {l[:, 1].std():.3f}, "
                      f"after 6 {l[:, -1].mean():.3f} +- {l[:, -1].std():.3f}")
            """, options=["batch GD after one epoch, and after one second", "SGD after one epoch, mini-batch after one second",
                          "mini-batch after one epoch, batch GD after one second", "all about equal"],
            answer=1, why="per epoch, SGD takes 256 steps and batch GD one; per second, a batch of 32 costs about as "
            "much as one example, so mini-batches make the most progress per second."),
        code(volatile("wall-clock seconds of training differ on every run and machine"), """
            fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8, 3.2), sharey=True)
            for name, rs in runs.items():
                ax1.errorbar(range(7), losses[name].mean(0), yerr=losses[name].std(0), marker="o", capsize=2, label=name)
                ax2.plot(np.mean([sec for _, sec in rs], axis=0), losses[name].mean(0), "o-", label=name)
            for ax in (ax1, ax2):
                ax.axhline(best, color="gray", ls=":", label="least squares")
                ax.set_yscale("log")
            ax1.set(xlabel="epoch", ylabel=f"loss on all data (mean +- std, {SEEDS} seeds)")
            ax2.set(xlabel="training time, s")
            ax2.legend()
            plt.show()
            for name, rs in runs.items():
                print(f"{name:16s} 6 epochs in {np.mean([sec[-1] for _, sec in rs]):.2f} s")
        """),
        code("""
            gd, mini, sgd = losses.values()
            assert np.all(mini[:, 1] < gd[:, 1]) and np.all(sgd[:, 1] < gd[:, 1])   # every seed: many small steps win
            assert np.all(mini[:, -1] < 1.05 * best)         # mini-batch SGD reaches the least-squares loss
            assert sgd[:, -1].mean() > mini[:, -1].mean()    # SGD keeps jittering around the minimum
        """),
        md("""
            - **Per epoch**, SGD and mini-batches win: they take many steps while batch GD takes one.
            - **Per second**, mini-batches win: SGD pays Python and library overhead for every single
              example, while a batch of 32 costs about the same as one example (vectorised). On a GPU
              the gap is even larger.
            - SGD's noise never settles: with a constant learning rate it keeps jumping around the
              minimum. That is one reason to decrease the learning rate over time (section 4).

            ## 2. Shuffling

            The lecture's advice: shuffle the data before every epoch, so every batch holds as many
            classes as possible. What if we don't? We train a linear classifier on the 4,000 bundled
            digits (MNIST5k), once in a random order and once sorted by label.
        """),
        code("""
            train_set, test_set = datasets.MNIST5k(train=True), datasets.MNIST5k(train=False)
            images, labels = train_set.data.float().view(-1, 784) / 255, train_set.targets
            test_images, test_labels = test_set.data.float().view(-1, 784) / 255, test_set.targets

            def fit_classifier(make_order, seed=0, epochs=2, batch_size=100, lr=0.5):
                torch.manual_seed(seed)
                model = nn.Linear(784, 10)
                optimizer = optim.SGD(model.parameters(), lr=lr)
                losses = []
                for epoch in range(epochs):
                    order = make_order()
                    for i in range(0, len(labels), batch_size):
                        batch = order[i:i + batch_size]
                        optimizer.zero_grad()
                        loss = F.cross_entropy(model(images[batch]), labels[batch])
                        loss.backward()
                        optimizer.step()
                        losses.append(loss.item())
                with torch.no_grad():
                    predictions = model(test_images).argmax(dim=1)
                return losses, predictions
        """),
        *predict("which test accuracy will the model trained on sorted batches reach: about the same, a "
                 "bit lower, or much lower? Which digit will it predict most often?", """
            shuffled_losses, shuffled_pred = fit_classifier(lambda: torch.randperm(len(labels)))
            sorted_losses, sorted_pred = fit_classifier(lambda: torch.argsort(labels, stable=True))
            shuffled_acc = (shuffled_pred == test_labels).float().mean().item()
            sorted_acc = (sorted_pred == test_labels).float().mean().item()

            plt.plot(sorted_losses, label=f"sorted by label: test accuracy {sorted_acc:.2f}")
            plt.plot(shuffled_losses, label=f"shuffled every epoch: test accuracy {shuffled_acc:.2f}")
            plt.xlabel("step (batch of 100)"); plt.ylabel("batch loss"); plt.legend()
            plt.show()
            print("how often the sorted model predicts each digit:", F.one_hot(sorted_pred, 10).sum(0).tolist())
        """, options=["about the same: it sees the same examples", "a few points lower",
                      "much lower, predicting mostly the last digits it saw", "much lower, predicting mostly 0"],
            answer=2, why="with sorted data every batch holds one digit: the model learns 'everything is a 0', then "
            "'everything is a 1', ..., and ends the epoch believing in the last classes it saw."),
        md("The same comparison with other seeds (initial weights and, for the shuffled run, the order):"),
        code("""
            def test_accuracy(make_order, seed):
                _, predictions = fit_classifier(make_order, seed)
                return (predictions == test_labels).float().mean().item()

            both = {name: np.array([test_accuracy(order, seed) for seed in range(SEEDS)]) for name, order in
                    [("shuffled", lambda: torch.randperm(len(labels))),
                     ("sorted", lambda: torch.argsort(labels, stable=True))]}
            for name, acc in both.items():
                print(f"{name:9s} test accuracy {acc.mean():.3f} +- {acc.std():.3f} ({SEEDS} seeds)")
            assert both["shuffled"].min() > 0.85 and both["sorted"].max() < both["shuffled"].min() - 0.3
        """),
        md("""
            With sorted data every batch contains a single digit: the model learns "everything is a 0",
            then "everything is a 1", ... (each jump in the loss is a new class arriving) and ends the epoch
            believing in the last classes it saw. Shuffled batches give gradients that point towards what
            is good for *all* classes.

            ## 3. Optimizers as trajectories on a surface

            To see what an optimizer does, give it a parameter with just two numbers and draw the path it
            takes over the contour lines of the loss. The optimizers are `minitorch.optim`'s (the same as
            `torch.optim`); only the parameter is unusual.

            - **SGD**: $\\theta \\leftarrow \\theta - \\eta g$.
            - **Momentum**: a velocity that remembers past gradients, $v \\leftarrow \\mu v + g$,
              $\\theta \\leftarrow \\theta - \\eta v$: it speeds up along directions where gradients agree
              and damps the zigzag where they alternate.
            - **Nesterov**: the same, but the step uses the gradient "after the look-ahead",
              $\\theta \\leftarrow \\theta - \\eta (g + \\mu v)$.
            - **RMSprop**: divide each coordinate's gradient by a running RMS of its past values,
              so steep and flat directions move at similar speeds.
            - **Adam**: momentum + RMSprop, with a bias correction for the first steps.
        """),
        code("""
            def ravine(x, y):            # an elongated quadratic bowl: 100 times steeper across than along
                return 0.01 * x ** 2 + y ** 2

            def rosenbrock(x, y):        # a curved valley with its minimum at (1, 1)
                return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2

            def trajectory(make_optimizer, f, start, steps):
                \"\"\"Minimise f(x, y) from start with the optimizer; returns the (steps + 1, 2) path.\"\"\"
                p = torch.tensor(start, requires_grad=True)    # the whole "model": two numbers
                optimizer = make_optimizer([p])
                path = [p.detach().clone()]
                for _ in range(steps):
                    optimizer.zero_grad()
                    f(p[0], p[1]).backward()
                    optimizer.step()
                    path.append(p.detach().clone())
                return torch.stack(path)

            def contours(ax, f, xlim, ylim, levels):
                xs, ys = torch.meshgrid(torch.linspace(*xlim, 200), torch.linspace(*ylim, 200), indexing="xy")
                ax.contour(xs.numpy(), ys.numpy(), f(xs, ys).numpy(), levels=levels, cmap="Greys", linewidths=0.7)

            def race(f, start, steps, optimizers, xlim, ylim, levels, ax):
                paths = {name: trajectory(make, f, start, steps) for name, make in optimizers.items()}
                contours(ax, f, xlim, ylim, levels)
                for name, path in paths.items():
                    ax.plot(path[:, 0].numpy(), path[:, 1].numpy(), ".-", ms=3, lw=1, label=name)
                ax.set(xlim=xlim, ylim=ylim)
                return {name: f(path[-1, 0], path[-1, 1]).item() for name, path in paths.items()}
        """),
        md("""
            First a single step by hand, to be sure we know what `SGD(momentum=0.9)` does.
        """),
        *predict("with `lr=0.1, momentum=0.9` and a constant gradient $g = 1$, how far does the parameter "
                 "move in the first three steps?", """
            p = torch.zeros(1, requires_grad=True)
            opt = optim.SGD([p], lr=0.1, momentum=0.9)
            moves = []
            for _ in range(3):
                before = p.item()
                opt.zero_grad()
                p.sum().backward()          # d(p)/dp = 1: a constant gradient
                opt.step()
                moves.append(round(before - p.item(), 4))
            print(moves)
        """, options=["0.1, 0.1, 0.1", "0.1, 0.19, 0.271", "0.1, 0.09, 0.081", "0.1, 0.2, 0.3"], answer=1,
            why="the velocity is $v \\leftarrow 0.9v + g$: 1, 1.9, 2.71, and each step moves by lr times it. With a "
            "constant gradient momentum approaches a 10x larger step ($1/(1 - 0.9)$)."),
        code("""
            assert np.allclose(moves, [0.1, 0.19, 0.271])
        """),
        md("""
            These races involve no randomness (a fixed start, exact gradients, no data), so one run is the
            whole experiment: rerunning gives the same paths. What they show depends on the settings (the
            learning rates below), not on luck; the Try-it section changes them.
        """),
        *predict("in the ravine (starting far out along the flat direction), which optimizer gets closest "
                 "to the minimum in 80 steps? Which one zigzags?", """
            optimizers = {
                "SGD": lambda p: optim.SGD(p, lr=0.9),
                "Momentum": lambda p: optim.SGD(p, lr=0.3, momentum=0.8),
                "Nesterov": lambda p: optim.SGD(p, lr=0.3, momentum=0.8, nesterov=True),
                "RMSprop": lambda p: optim.RMSprop(p, lr=0.1),
                "Adam": lambda p: optim.Adam(p, lr=0.5),
            }
            fig, ax = plt.subplots(figsize=(7, 3))
            final_ravine = race(ravine, [-9.0, 2.0], 80, optimizers, (-10, 2), (-2.5, 2.5),
                                [0.01, 0.05, 0.2, 0.5, 1, 2, 4], ax)
            ax.legend(loc="lower right", fontsize=8); ax.set_title("ravine: 0.01 x² + y², 80 steps")
            plt.show()
            for name, value in final_ravine.items():
                print(f"{name:9s} loss after 80 steps: {value:.2e}")
        """),
        code("""
            assert final_ravine["Momentum"] < final_ravine["SGD"] / 10
            assert final_ravine["Nesterov"] < final_ravine["SGD"] / 10
            assert final_ravine["RMSprop"] < final_ravine["SGD"] / 10
        """),
        md("""
            SGD's step must stay small enough for the steep direction (here it already overshoots and
            zigzags across the ravine), so it crawls along the flat one. Momentum accumulates the
            consistent push along the ravine; Nesterov's look-ahead damps its overshoot. RMSprop and Adam
            rescale each coordinate, so both directions move at about `lr` per step: RMSprop heads almost
            straight to the minimum, Adam's momentum carries it past and back. Now a harder surface, the
            Rosenbrock valley: finding the valley is easy, following its curve to $(1, 1)$ is not.
        """),
        code("""
            optimizers = {
                "SGD": lambda p: optim.SGD(p, lr=1e-3),
                "Momentum": lambda p: optim.SGD(p, lr=1e-3, momentum=0.9),
                "Nesterov": lambda p: optim.SGD(p, lr=1e-3, momentum=0.9, nesterov=True),
                "RMSprop": lambda p: optim.RMSprop(p, lr=1e-2),
                "Adam": lambda p: optim.Adam(p, lr=0.2, betas=(0.9, 0.99)),
            }
            fig, ax = plt.subplots(figsize=(5, 3.6))
            final_rosenbrock = race(rosenbrock, [-1.5, 2.0], 300, optimizers, (-2, 2), (-1, 3),
                                    np.logspace(-1, 3, 12), ax)
            ax.plot([1], [1], "k*", ms=12)
            ax.legend(fontsize=8); ax.set_title("Rosenbrock, 300 steps (minimum: the star)", fontsize=10)
            plt.show()
            for name, value in final_rosenbrock.items():
                print(f"{name:9s} loss after 300 steps: {value:.2e}")
            assert all(final_rosenbrock[name] < final_rosenbrock["SGD"] / 50 for name in ("Momentum", "Nesterov", "Adam"))
        """),
        md("""
            ### Try it: learning rate and momentum

            Move the sliders: too small a learning rate crawls, too large diverges; momentum close to 1
            overshoots and spirals.
        """),
        code("""
            def descend(lr=0.3, momentum=0.8, nesterov=False):
                make = lambda p: optim.SGD(p, lr=lr, momentum=momentum, nesterov=nesterov and momentum > 0)
                path = trajectory(make, ravine, [-9.0, 2.0], 60)
                fig, ax = plt.subplots(figsize=(8, 3))
                contours(ax, ravine, (-10, 2), (-2.5, 2.5), [0.01, 0.05, 0.2, 0.5, 1, 2, 4])
                ax.plot(path[:, 0].numpy(), path[:, 1].numpy(), ".-", color="C1")
                ax.set(xlim=(-10, 2), ylim=(-2.5, 2.5),
                       title=f"lr={lr:.2f}, momentum={momentum:.2f}: loss after 60 steps "
                             f"{ravine(path[-1, 0], path[-1, 1]).item():.2e}")
                plt.show()

            descend()   # the default values, drawn even where no widgets can be shown
        """),
        code(volatile("the sliders' picture is redrawn by the widget, which a re-run outside a browser does not replay"), """
            try:
                from ipywidgets import FloatSlider, interact
                interact(descend, lr=FloatSlider(value=0.3, min=0.05, max=1.2, step=0.05),
                         momentum=FloatSlider(value=0.8, min=0.0, max=0.99, step=0.01))
            except ImportError:
                print("pip install ipywidgets to get the sliders")
        """),
        md("""
            ## 4. Learning-rate schedulers

            A large learning rate early moves fast; a small one late settles into the minimum (and quiets
            SGD's noise). A scheduler changes `optimizer.param_groups[i]['lr']` each time you call
            `scheduler.step()`: once per epoch (or per batch for `OneCycleLR`), **after**
            `optimizer.step()`. `ReduceLROnPlateau` is different: it watches a number you pass it (the
            validation loss) and divides the learning rate when it stops improving.
        """),
        code("""
            def lr_sequence(make_scheduler, epochs=100, metrics=None):
                \"\"\"The learning rate used in each epoch under the scheduler.\"\"\"
                optimizer = optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
                scheduler = make_scheduler(optimizer)
                lrs = []
                for epoch in range(epochs):
                    lrs.append(optimizer.param_groups[0]["lr"])
                    optimizer.step()                       # (the training of one epoch goes here)
                    if metrics is None:
                        scheduler.step()
                    else:
                        scheduler.step(metrics[epoch])     # ReduceLROnPlateau: after validation
                return lrs

            # a made-up validation loss that improves, then plateaus
            val_loss = 0.2 + 0.8 * np.exp(-np.arange(100) / 10) + 0.02 * np.random.rand(100)

            schedules = {
                "StepLR(step_size=30, gamma=0.1)": lr_sequence(lambda o: StepLR(o, step_size=30, gamma=0.1)),
                "CosineAnnealingLR(T_max=100)": lr_sequence(lambda o: CosineAnnealingLR(o, T_max=100)),
                "OneCycleLR(max_lr=0.1, total_steps=100)": lr_sequence(lambda o: OneCycleLR(o, max_lr=0.1, total_steps=100)),
                "ReduceLROnPlateau(factor=0.1, patience=5)": lr_sequence(
                    lambda o: ReduceLROnPlateau(o, factor=0.1, patience=5), metrics=val_loss),
            }
            fig, axes = plt.subplots(2, 2, figsize=(8, 4.4), sharex=True)
            for ax, (name, lrs) in zip(axes.flat, schedules.items()):
                ax.plot(lrs)
                ax.set_title(name, fontsize=9)
                ax.set_yscale("log" if "Step" in name or "Plateau" in name else "linear")
            axes[1, 1].twinx().plot(val_loss, color="C1", lw=0.8)
            axes[1, 1].set_xlabel("epoch"); axes[1, 0].set_xlabel("epoch")
            plt.tight_layout(); plt.show()
        """),
        code("""
            step, cosine, one_cycle, plateau = schedules.values()
            assert np.allclose([step[0], step[30], step[60], step[90]], [0.1, 0.01, 0.001, 0.0001])
            assert np.isclose(cosine[50], 0.05) and cosine[-1] < 1e-4       # half-way: half the lr
            assert np.isclose(one_cycle[0], 0.1 / 25) and np.argmax(one_cycle) == 29   # peak at 30%
            assert plateau[0] == 0.1 and plateau[-1] <= 1e-4                 # cut each time the loss stalls
        """),
        md("""
            The orange curve is the validation loss fed to `ReduceLROnPlateau`: the learning rate drops
            by 10x whenever the loss has not improved (by the relative `threshold`) for `patience`
            epochs. `OneCycleLR` warms up from `max_lr / 25` to `max_lr`, then anneals far below the
            start; it also cycles the momentum in the opposite direction.

            The lecture's pattern, with the validation loss of each epoch:

            ```python
            scheduler = ReduceLROnPlateau(optimizer, factor=0.1, patience=1, threshold=0.1)
            for epoch in range(epochs):
                train_epoch(...)
                val_loss = evaluate(...)
                scheduler.step(val_loss)      # one step per epoch, after validation
            ```

            ## 5. Parameter groups: a learning rate per layer

            When fine-tuning, the pretrained feature extractor should move slowly and the new classifier
            fast (or, as in the lecture, the other way round). An optimizer takes a list of **parameter
            groups**, dicts with `'params'` and any option to override; the keyword arguments are the
            defaults for the groups that don't set them.
        """),
        code("""
            class Net(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.features = nn.Sequential(nn.Linear(784, 64), nn.ReLU())
                    self.classifier = nn.Linear(64, 10)

                def forward(self, x):
                    return self.classifier(self.features(x))

            model = Net()
            optimizer = optim.SGD([
                {'params': model.features.parameters()},
                {'params': model.classifier.parameters(), 'lr': 1e-3}
            ], lr=1e-2, momentum=0.9)

            for group in optimizer.param_groups:
                print(f"{len(group['params'])} tensors  lr={group['lr']}  momentum={group['momentum']}")
        """),
        *predict("after one step, by how much does each weight move, as a multiple of its gradient? And "
                 "what do the learning rates become after one `StepLR(step_size=1, gamma=0.1)` step?", """
            before = [p.detach().clone() for p in model.parameters()]
            optimizer.zero_grad()
            F.cross_entropy(model(images[:64]), labels[:64]).backward()
            optimizer.step()
            for (name, p), old in zip(model.named_parameters(), before):
                ratio = ((old - p.detach()).abs().sum() / p.grad.abs().sum()).item()
                print(f"{name:18s} moved {ratio:.0e} x its gradient")

            scheduler = StepLR(optimizer, step_size=1, gamma=0.1)
            scheduler.step()
            print("learning rates now:", scheduler.get_last_lr())
        """),
        code("""
            assert np.allclose(scheduler.get_last_lr(), [1e-3, 1e-4])    # every group is scaled
        """),
        md(r"""
            ## 6. L1 vs L2 regularisation

            Add a penalty on the weights to the loss, $L_R = L + \lambda R(W)$:

            - **L2**: $R = \frac12\sum_i w_i^2$, gradient $w_i$: every weight shrinks in proportion to
              its size (small weights, rarely exactly zero). In PyTorch optimizers this is
              `weight_decay=λ`.
            - **L1**: $R = \sum_i |w_i|$, gradient $\operatorname{sign}(w_i)$: every weight is pushed
              towards zero by the same amount, so the ones the data doesn't need end up at zero:
              **sparse** weights.
        """),
        *predict("is one SGD step with `weight_decay=0.1` the same as one step on the loss "
                 "$L + \\frac{0.1}{2}\\sum w^2$?", """
            torch.manual_seed(0)
            a, b = nn.Linear(784, 10), nn.Linear(784, 10)
            b.load_state_dict(a.state_dict())
            x_, y_ = images[:32], labels[:32]

            opt_a = optim.SGD(a.parameters(), lr=0.1, weight_decay=0.1)
            F.cross_entropy(a(x_), y_).backward()
            opt_a.step()

            opt_b = optim.SGD(b.parameters(), lr=0.1)
            penalty = sum((p ** 2).sum() for p in b.parameters()) / 2
            (F.cross_entropy(b(x_), y_) + 0.1 * penalty).backward()
            opt_b.step()

            difference = max((p - q).abs().max().item() for p, q in zip(a.parameters(), b.parameters()))
            print(f"largest difference: {difference:.1e}")
        """, options=["yes, up to rounding", "no: weight decay shrinks the weights twice as fast",
                      "no: weight decay does not touch the bias"], answer=0,
            why="the gradient of $\\frac{\\lambda}{2}\\sum w^2$ is $\\lambda w$, exactly what `weight_decay` adds to "
            "every parameter's gradient (biases included) before the step. For plain SGD the two are the same; for Adam "
            "they are not, which is why AdamW exists."),
        code("""
            assert difference < 1e-6
        """),
        md("""
            Now train the digit classifier three times: without a penalty, with L2 and with L1, and look at
            the weights. Each of the 10 rows of the weight matrix is a 28x28 template of one digit.
        """),
        code("""
            def fit_regularised(l1=0.0, weight_decay=0.0, seed=0, epochs=5, batch_size=100, lr=0.5):
                torch.manual_seed(seed)
                model = nn.Linear(784, 10)
                optimizer = optim.SGD(model.parameters(), lr=lr, weight_decay=weight_decay)
                for epoch in range(epochs):
                    order = torch.randperm(len(labels))
                    for i in range(0, len(labels), batch_size):
                        batch = order[i:i + batch_size]
                        loss = F.cross_entropy(model(images[batch]), labels[batch])
                        if l1:
                            loss = loss + l1 * model.weight.abs().sum()
                        optimizer.zero_grad()
                        loss.backward()
                        optimizer.step()
                with torch.no_grad():
                    accuracy = (model(test_images).argmax(1) == test_labels).float().mean().item()
                return model.weight.detach(), accuracy

            fits = {"no penalty": fit_regularised(),
                    "L2 (weight_decay=1e-2)": fit_regularised(weight_decay=1e-2),
                    "L1 (λ=1e-3)": fit_regularised(l1=1e-3)}
            sparsity = {name: (w.abs() < 1e-3).float().mean().item() for name, (w, _) in fits.items()}

            fig, axes = plt.subplots(3, 6, figsize=(7, 3.8))
            for row, (name, (w, accuracy)) in zip(axes, fits.items()):
                row[0].hist(w.flatten().numpy(), bins=60, log=True)
                row[0].set_title(f"{name}\\nacc {accuracy:.3f}, {sparsity[name]:.0%} zero", fontsize=8)
                row[0].tick_params(labelsize=6)
                for digit, ax in enumerate(row[1:]):
                    # RdBu_r: positive weights red, negative blue (plain "RdBu" would draw positive blue)
                    ax.imshow(w[digit].view(28, 28).numpy(), cmap="RdBu_r", vmin=-0.2, vmax=0.2, interpolation="nearest")
                    ax.axis("off")
            plt.tight_layout(); plt.show()
        """),
        md("The same three fits with other seeds (initial weights and batch order), to be sure of the comparison:"),
        code("""
            PENALTIES = {"no penalty": {}, "L2 (weight_decay=1e-2)": {"weight_decay": 1e-2}, "L1 (λ=1e-3)": {"l1": 1e-3}}
            zero_share, accuracies = {}, {}
            for name, penalty in PENALTIES.items():
                seeded = [fit_regularised(seed=seed, **penalty) for seed in range(SEEDS)]
                zero_share[name] = np.array([(w.abs() < 1e-3).float().mean().item() for w, _ in seeded])
                accuracies[name] = np.array([acc for _, acc in seeded])
                print(f"{name:24s} weights below 1e-3: {zero_share[name].mean():.0%} +- {zero_share[name].std():.0%}   "
                      f"test accuracy {accuracies[name].mean():.3f} +- {accuracies[name].std():.3f}")
            none, l2, l1 = zero_share.values()
            assert l1.min() > 0.4 and l1.min() > l2.max() + 0.3 and l2.mean() >= none.mean()  # L1 zeroes, L2 shrinks
            assert min(a.min() for a in accuracies.values()) > 0.8                          # ... at a small cost
        """),
        md("""
            The border pixels of MNIST are always 0, so the data never moves their weights: without a
            penalty they keep their random initial values (the noise around the templates), L2 shrinks
            them geometrically, L1 drives them to zero in a fixed number of steps. L1 also silences the
            pixels that help little, leaving sparse templates (red: positive weights, evidence for the
            digit; blue: negative weights, evidence against).
        """),
        *try_it([
            ("Change the batch size in section 1 (8, 64, 128): where is the sweet spot in seconds?", """
                `runs = {b: train(b, lr=0.1) for b in (8, 32, 64, 128)}` and plot loss against seconds. Per epoch the
                smallest batches make the most steps; per second, a step on a small batch costs almost the same as
                on a larger one (the work is vectorised and the per-step overhead dominates), so the best loss per
                second lies at a middle size. Where exactly depends on the machine, which is why the timing cell
                above is marked volatile.
            """),
            ("In section 2, sort the data but shuffle the *batches* (keep each batch sorted): does it help?", """
                ```python
                def sorted_batches_shuffled():
                    order = torch.argsort(labels, stable=True).view(-1, 100)       # 40 single-digit batches
                    return order[torch.randperm(len(order))].flatten()
                fit_classifier(sorted_batches_shuffled)
                ```
                Partly: the model no longer ends believing in the last digits only, but every step still pulls
                towards a single class, so the loss jumps and the test accuracy stays far below that of shuffled
                examples (run it with a few seeds to see by how much).
            """),
            ("Give Adam the ravine with `lr=0.05`; give SGD the Rosenbrock valley with `lr=2e-3`.", """
                ```python
                path = trajectory(lambda p: optim.Adam(p, lr=0.05), ravine, [-9.0, 2.0], 80)
                print(ravine(*path[-1]))                      # compare with final_ravine["Adam"]
                path = trajectory(lambda p: optim.SGD(p, lr=2e-3), rosenbrock, [-1.5, 2.0], 300)
                print(rosenbrock(*path[-1]))                  # compare with final_rosenbrock["SGD"]
                ```
                The ranking flips: Adam with a 10x smaller step crawls and ends far from the ravine's minimum, while
                SGD with twice the step gets down the Rosenbrock valley close to (1, 1) and beats its own race
                result by orders of magnitude. Comparisons of optimizers say as much about their settings as
                about the optimizers.
            """),
            ("Train the section-6 classifier with `OneCycleLR(optimizer, max_lr=1.0, total_steps=200)`, stepped "
             "after every batch.", """
                Create the scheduler after the optimizer in `fit_regularised` and call `scheduler.step()` after
                `optimizer.step()` (5 epochs x 40 batches = 200 steps). Then compare test accuracies over the
                5 seeds, as above, and call it a win only if the difference of the means is larger than the spread.
            """),
        ]),
        homework(7, """
            write SGD with momentum and Nesterov momentum, and Adam, and compare them with `minitorch.optim`.
        """),

    ]
