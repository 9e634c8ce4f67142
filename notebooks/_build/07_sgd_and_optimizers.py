"""Builds notebooks/07_sgd_and_optimizers.ipynb: gradient descent variants, optimizers, schedulers.

Follows the source course: batch GD vs SGD vs mini-batch SGD, shuffling, L1/L2 regularisation,
per-layer learning rates (param groups) and the schedulers StepLR / ReduceLROnPlateau /
CosineAnnealingLR from its PyTorch tutorial; momentum, Nesterov, RMSprop and Adam are shown as
trajectories on 2-D surfaces.
"""

from notebooks._build.common import (code, header, homework, imports_cell, md, predict, quiz_cell, setup_cell, tr, try_it,
                                     volatile)

SEEDS = 5  # comparisons that depend on the random initialisation or batch order use this many seeds

FILE = "07_sgd_and_optimizers.ipynb"
RUNTIME_S = 15


def cells():
    return [
        header(7, tr("SGD and optimizers", "SGD и оптимизаторы"), FILE, [
            tr("compare batch gradient descent, SGD and mini-batch SGD per epoch and per second",
               "сравнивать градиентный спуск по всей выборке (batch GD), SGD и mini-batch SGD по эпохам и по секундам"),
            tr("see why the data must be shuffled every epoch", "понимать, почему данные нужно перемешивать перед каждой эпохой"),
            tr("read the trajectories of momentum, Nesterov, RMSprop and Adam on 2-D surfaces",
               "читать траектории SGD с моментом, момента Нестерова, RMSprop и Adam на двумерных поверхностях"),
            tr("schedule the learning rate (StepLR, CosineAnnealingLR, ReduceLROnPlateau, OneCycleLR)",
               "менять скорость обучения по расписанию (StepLR, CosineAnnealingLR, ReduceLROnPlateau, OneCycleLR)"),
            tr("give each part of a model its own learning rate (parameter groups)",
               "задавать каждой части модели свою скорость обучения (группы параметров)"),
            tr("tell L1 from L2 regularisation by the weights they leave",
               "отличать L1-регуляризацию от L2 по весам, которые они оставляют"),
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
        """, f"SEEDS = {SEEDS}   " + tr("# comparisons that depend on the initialisation or batch order use this many seeds",
                                       "# сравнения, зависящие от инициализации или порядка батчей, идут по стольким seed")),
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
        """, r"""
            ## 1. Batch GD, SGD и mini-batch SGD

            Минимизируем среднее потерь на отдельных примерах, $J(\theta) = \frac1N\sum_{i=1}^N J_i(\theta)$:

            | метод | один шаг использует | формула пересчёта |
            | --- | --- | --- |
            | градиентный спуск по всей выборке (batch gradient descent) | все $N$ примеров | $\theta \leftarrow \theta - \eta\,\nabla J(\theta)$ |
            | стохастический градиентный спуск (SGD) | один пример $i$ | $\theta \leftarrow \theta - \eta\,\nabla J_i(\theta)$ |
            | mini-batch SGD | батч $B$ из $k$ примеров | $\theta \leftarrow \theta - \eta\,\frac1k\sum_{i\in B}\nabla J_i(\theta)$ |

            (В лекции в формуле mini-batch стоит сумма; функции потерь PyTorch по умолчанию усредняют по
            батчу, что лишь меняет масштаб $\eta$.) **Эпоха** — один проход по данным: batch GD делает за
            эпоху один шаг, SGD — $N$ шагов.

            Задача: линейная регрессия на 256 зашумлённых точках с 10 признаками.
        """),
        code(f"""
            N, D = 256, 10
            X = torch.randn(N, D)
            y = X @ torch.randn(D, 1) + 0.5 * torch.randn(N, 1)

            {tr('# the best any linear model can do (least squares), for reference',
                '# лучшее, на что способна линейная модель (метод наименьших квадратов), для сравнения')}
            A = torch.cat([X, torch.ones(N, 1)], dim=1).numpy()
            solution = np.linalg.lstsq(A, y.numpy(), rcond=None)[0]
            best = float(((A @ solution - y.numpy()) ** 2).mean())

            def full_loss(model):
                with torch.no_grad():
                    return F.mse_loss(model(X), y).item()

            def train(batch_size, lr, seed=0, epochs=6, shuffle=True):
                \"\"\"{tr('Mini-batch SGD on (X, y); returns the full-data loss and the training seconds after each epoch.',
                        'Mini-batch SGD на (X, y); возвращает потери на всех данных и секунды обучения после каждой эпохи.')}\"\"\"
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
                    elapsed += time.perf_counter() - start      {tr('# time the training only, not full_loss',
                                                                    '# засекаем только обучение, без full_loss')}
                    losses.append(full_loss(model))
                    seconds.append(elapsed)
                return losses, seconds
        """),
        *predict(tr("after ONE epoch, which is lower: the loss of batch GD, of SGD (batch 1) or of "
                    "mini-batch SGD (batch 32)? And which one takes the longest to run that epoch?",
                    "после ОДНОЙ эпохи у кого потери ниже: у batch GD, у SGD (батч 1) или у mini-batch SGD "
                    "(батч 32)? И кто дольше всех проходит эту эпоху?"), f"""
            SETTINGS = {{"batch GD (256)": (N, 0.1), "{tr('mini-batch (32)', 'мини-батч (32)')}": (32, 0.1),
                        "SGD (1)": (1, 0.02)}}   {tr('# single examples give noisy gradients: a smaller step',
                                                   '# по одному примеру градиент шумный: шаг меньше')}
            runs = {{name: [train(b, lr, seed) for seed in range(SEEDS)] for name, (b, lr) in SETTINGS.items()}}
            losses = {{name: np.array([l for l, _ in rs]) for name, rs in runs.items()}}     {tr(
                '# (seeds, epochs + 1)', '# (seed, эпохи + 1)')}
            print(f"{tr('loss on all data, mean +- std over', 'потери на всех данных, среднее +- ст. отклонение по')} {{SEEDS}} seed{tr('s', '')} "
                  f"({tr('least squares', 'МНК')}: {{best:.3f}})")
            for name, l in losses.items():
                print(f"{{name:16s}} {tr('after 1 epoch', 'после 1 эпохи')} {{l[:, 1].mean():.3f}} +- {{l[:, 1].std():.3f}}, "
                      f"{tr('after 6', 'после 6')} {{l[:, -1].mean():.3f}} +- {{l[:, -1].std():.3f}}")
            """, options=[tr("batch GD is lowest, since its gradient is exact; batch GD takes the longest",
                             "ниже всех у batch GD, ведь его градиент точный; дольше всех batch GD"),
                          tr("SGD and mini-batch end far below batch GD; SGD takes the longest",
                             "SGD и мини-батчи заканчивают намного ниже batch GD; дольше всех SGD"),
                          tr("SGD and mini-batch end far below batch GD; batch GD takes the longest, since each of its "
                             "steps uses all 256 examples",
                             "SGD и мини-батчи заканчивают намного ниже batch GD; дольше всех batch GD, ведь каждый его "
                             "шаг использует все 256 примеров"),
                          tr("all about equal, since each sees every example once; and equally fast",
                             "у всех примерно одинаково, ведь каждый видит каждый пример по разу; и по времени тоже")],
            answer=1, why=tr(
                "in one epoch SGD takes 256 steps, mini-batches 8 and batch GD a single one, so both end far below "
                "batch GD, for every seed (SGD is lowest on average, but its single-example steps are noisy, so not "
                "for every seed). Every step pays Python and library overhead, and a step on one example costs about "
                "as much as a step on 32, so SGD's 256 steps make its epoch by far the longest (the timings below).",
                "за одну эпоху SGD делает 256 шагов, мини-батчи 8, а batch GD всего один, поэтому оба заканчивают "
                "намного ниже batch GD, при каждом seed (в среднем ниже всех SGD, но его шаги по одному примеру "
                "шумные, поэтому не при каждом seed). Каждый шаг несёт накладные расходы Python и библиотеки, а шаг "
                "на одном примере стоит примерно столько же, сколько шаг на 32, поэтому из-за 256 шагов эпоха у SGD "
                "намного дольше всех (замеры времени ниже).")),
        code(volatile(tr("wall-clock seconds of training differ on every run and machine",
                          "секунды обучения по часам различаются от запуска к запуску и от машины к машине")), f"""
            fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8, 3.2), sharey=True)
            for name, rs in runs.items():
                ax1.errorbar(range(7), losses[name].mean(0), yerr=losses[name].std(0), marker="o", capsize=2, label=name)
                ax2.plot(np.mean([sec for _, sec in rs], axis=0), losses[name].mean(0), "o-", label=name)
            for ax in (ax1, ax2):
                ax.axhline(best, color="gray", ls=":", label="{tr('least squares', 'МНК')}")
                ax.set_yscale("log")
            ax1.set(xlabel="{tr('epoch', 'эпоха')}", ylabel=f"{tr('loss on all data (mean +- std,', 'потери (ср. +- ст. откл.,')} {{SEEDS}} seed{tr('s', '')})")
            ax2.set(xlabel="{tr('training time, s', 'время обучения, с')}")
            ax2.legend()
            plt.show()
            for name, rs in runs.items():
                print(f"{{name:16s}} {tr('6 epochs in', '6 эпох за')} {{np.mean([sec[-1] for _, sec in rs]):.2f}} {tr('s', 'с')}")
        """),
        code("""
            gd, mini, sgd = losses.values()
            # en: after one epoch, every seed: many small steps beat one exact step; SGD lowest on average
            # ru: после одной эпохи, при каждом seed: много маленьких шагов лучше одного точного; SGD ниже всех в среднем
            assert np.all(mini[:, 1] < gd[:, 1]) and np.all(sgd[:, 1] < gd[:, 1])
            assert sgd[:, 1].mean() < mini[:, 1].mean()
            # en: after six: mini-batch SGD reaches the least-squares loss, SGD keeps jittering around the minimum
            # ru: после шести: mini-batch SGD доходит до потерь МНК, а SGD так и скачет вокруг минимума
            assert np.all(mini[:, -1] < 1.05 * best)
            assert sgd[:, -1].mean() > mini[:, -1].mean()
        """),
        md("""
            - **Per epoch**, SGD and mini-batches win: they take many steps while batch GD takes one.
            - **Per second**, SGD loses: it pays Python and library overhead for every single example,
              while a batch of 32 costs about the same as one example (vectorised). How batch GD and
              mini-batches compare per second depends on what a step costs (the right-hand plot): on 256
              examples a full-batch step costs little more than a mini-batch one, but on a large data set
              one batch-GD step is a whole pass over it, and mini-batches win.
            - SGD's noise never settles: with a constant learning rate it keeps jumping around the
              minimum. That is one reason to decrease the learning rate over time (section 4).

            ## 2. Shuffling

            The lecture's advice: shuffle the data before every epoch, so every batch holds as many
            classes as possible. What if we don't? We train a linear classifier on the 4,000 bundled
            digits (MNIST5k), once in a random order and once sorted by label.
        """, """
            - **По эпохам** выигрывают SGD и мини-батчи: они делают много шагов, пока batch GD делает один.
            - **По секундам** проигрывает SGD: он несёт накладные расходы Python и библиотеки на каждом
              примере, а батч из 32 примеров стоит примерно столько же, сколько один пример (вычисления
              векторизованы). Как соотносятся по секундам batch GD и мини-батчи, зависит от цены шага
              (правый график): на 256 примерах шаг по всей выборке стоит ненамного дороже шага по мини-батчу,
              но на большом датасете один шаг batch GD — это целый проход по нему, и выигрывают мини-батчи.
            - Шум SGD не затихает: с постоянной скоростью обучения он так и скачет вокруг минимума. Это одна
              из причин уменьшать скорость обучения со временем (раздел 4).

            ## 2. Перемешивание

            Совет лекции: перемешивать данные перед каждой эпохой, чтобы в каждом батче было как можно
            больше разных классов. А если не перемешивать? Обучим линейный классификатор на 4 000 цифр,
            которые поставляются с библиотекой (MNIST5k), один раз в случайном порядке, другой —
            отсортировав их по метке.
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
        *predict(tr("which test accuracy will the model trained on sorted batches reach: about the same, a "
                    "bit lower, or much lower? Which digit will it predict most often?",
                    "какой точности на тесте достигнет модель, обученная на отсортированных батчах: примерно той же, "
                    "чуть ниже или намного ниже? Какую цифру она будет предсказывать чаще всего?"), f"""
            shuffled_losses, shuffled_pred = fit_classifier(lambda: torch.randperm(len(labels)))
            sorted_losses, sorted_pred = fit_classifier(lambda: torch.argsort(labels, stable=True))
            shuffled_acc = (shuffled_pred == test_labels).float().mean().item()
            sorted_acc = (sorted_pred == test_labels).float().mean().item()

            plt.plot(sorted_losses, label=f"{tr('sorted by label: test accuracy', 'отсортированы по метке: точность на тесте')} {{sorted_acc:.2f}}")
            plt.plot(shuffled_losses, label=f"{tr('shuffled every epoch: test accuracy', 'перемешаны каждую эпоху: точность на тесте')} {{shuffled_acc:.2f}}")
            plt.xlabel("{tr('step (batch of 100)', 'шаг (батч из 100)')}"); plt.ylabel("{tr('batch loss', 'потери на батче')}"); plt.legend()
            plt.show()
            print("{tr('how often the sorted model predicts each digit:',
                       'сколько раз модель на отсортированных данных предсказывает каждую цифру:')}",
                  F.one_hot(sorted_pred, 10).sum(0).tolist())
        """, options=[tr("about the same: it sees the same examples", "примерно той же: она видит те же примеры"),
                      tr("a few points lower", "на несколько пунктов ниже"),
                      tr("much lower, predicting mostly the last digits it saw",
                         "намного ниже, и предсказывает в основном последние цифры, которые видела"),
                      tr("much lower, predicting mostly 0", "намного ниже, и предсказывает в основном 0")],
            answer=2, why=tr(
                "with sorted data every batch holds one digit: the model learns 'everything is a 0', then "
                "'everything is a 1', ..., and ends the epoch believing in the last classes it saw.",
                "на отсортированных данных в каждом батче одна цифра: модель выучивает «всё — это 0», потом «всё — это "
                "1», ... и заканчивает эпоху, веря в последние классы, которые видела.")),
        md("The same comparison with other seeds (initial weights and, for the shuffled run, the order):",
           "То же сравнение с другими seed (начальные веса и, для перемешанных данных, порядок примеров):"),
        code(f"""
            def test_accuracy(make_order, seed):
                _, predictions = fit_classifier(make_order, seed)
                return (predictions == test_labels).float().mean().item()

            both = {{name: np.array([test_accuracy(order, seed) for seed in range(SEEDS)]) for name, order in
                    [("{tr('shuffled', 'перемешаны')}", lambda: torch.randperm(len(labels))),
                     ("{tr('sorted', 'отсортированы')}", lambda: torch.argsort(labels, stable=True))]}}
            for name, acc in both.items():
                print(f"{{name:13s}} {tr('test accuracy', 'точность на тесте')} {{acc.mean():.3f}} +- {{acc.std():.3f}} ({{SEEDS}} seed{tr('s', '')})")
            shuffled, in_order = both.values()
            assert len(labels) == 4000 and shuffled.min() > 0.85 and in_order.max() < shuffled.min() - 0.3
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
        """, """
            На отсортированных данных в каждом батче одна-единственная цифра: модель выучивает «всё — это 0»,
            потом «всё — это 1», ... (каждый скачок потерь — это приход нового класса) и заканчивает эпоху,
            веря в последние классы, которые видела. Перемешанные батчи дают градиенты, которые указывают
            туда, где хорошо *всем* классам.

            ## 3. Оптимизаторы как траектории на поверхности

            Чтобы увидеть, что делает оптимизатор, дадим ему параметр всего из двух чисел и нарисуем путь,
            который он проходит по линиям уровня функции потерь. Оптимизаторы — из `minitorch.optim` (те же,
            что в `torch.optim`); необычен только параметр.

            - **SGD**: $\\theta \\leftarrow \\theta - \\eta g$.
            - **Momentum** (момент, метод тяжёлого шарика): скорость, которая помнит прошлые градиенты,
              $v \\leftarrow \\mu v + g$, $\\theta \\leftarrow \\theta - \\eta v$: разгоняется вдоль
              направлений, где градиенты согласны, и гасит зигзаг там, где они меняют знак.
            - **Nesterov** (момент Нестерова): то же, но шаг использует градиент «после заглядывания вперёд»,
              $\\theta \\leftarrow \\theta - \\eta (g + \\mu v)$.
            - **RMSprop**: градиент по каждой координате делится на скользящее среднеквадратичное его прошлых
              значений, так что крутые и пологие направления движутся с похожей скоростью.
            - **Adam**: момент + RMSprop, с поправкой на смещение оценок в первые шаги.
        """),
        code(f"""
            def ravine(x, y):            {tr('# an elongated quadratic bowl: 100 times steeper across than along',
                                             '# вытянутая квадратичная чаша: поперёк в 100 раз круче, чем вдоль')}
                return 0.01 * x ** 2 + y ** 2

            def rosenbrock(x, y):        {tr('# a curved valley with its minimum at (1, 1)',
                                             '# изогнутая долина с минимумом в (1, 1)')}
                return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2

            def trajectory(make_optimizer, f, start, steps):
                \"\"\"{tr('Minimise f(x, y) from start with the optimizer; returns the (steps + 1, 2) path.',
                        'Минимизирует f(x, y) из точки start оптимизатором; возвращает путь формы (steps + 1, 2).')}\"\"\"
                p = torch.tensor(start, requires_grad=True)    {tr('# the whole "model": two numbers',
                                                                   '# вся «модель»: два числа')}
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
                paths = {{name: trajectory(make, f, start, steps) for name, make in optimizers.items()}}
                contours(ax, f, xlim, ylim, levels)
                for name, path in paths.items():
                    ax.plot(path[:, 0].numpy(), path[:, 1].numpy(), ".-", ms=3, lw=1, label=name)
                ax.set(xlim=xlim, ylim=ylim)
                return {{name: f(path[-1, 0], path[-1, 1]).item() for name, path in paths.items()}}
        """),
        md("""
            First a single step by hand, to be sure we know what `SGD(momentum=0.9)` does.
        """, """
            Сначала посчитаем несколько шагов вручную, чтобы точно знать, что делает `SGD(momentum=0.9)`.
        """),
        *predict(tr("with `lr=0.1, momentum=0.9` and a constant gradient $g = 1$, how far does the parameter "
                    "move in the first three steps?",
                    "при `lr=0.1, momentum=0.9` и постоянном градиенте $g = 1$ насколько сдвинется параметр за "
                    "каждый из первых трёх шагов?"), f"""
            p = torch.zeros(1, requires_grad=True)
            opt = optim.SGD([p], lr=0.1, momentum=0.9)
            moves = []
            for _ in range(3):
                before = p.item()
                opt.zero_grad()
                p.sum().backward()          {tr('# d(p)/dp = 1: a constant gradient', '# d(p)/dp = 1: постоянный градиент')}
                opt.step()
                moves.append(round(before - p.item(), 4))
            print(moves)
        """, options=["0.1, 0.1, 0.1", "0.1, 0.19, 0.271", "0.1, 0.09, 0.081", "0.1, 0.2, 0.3"], answer=1,
            why=tr("the velocity is $v \\leftarrow 0.9v + g$: 1, 1.9, 2.71, and each step moves by lr times it. With a "
                   "constant gradient momentum approaches a 10x larger step ($1/(1 - 0.9)$).",
                   "скорость пересчитывается как $v \\leftarrow 0.9v + g$: 1, 1.9, 2.71, и каждый шаг равен lr, "
                   "умноженной на неё. При постоянном градиенте шаг с моментом приближается к 10-кратному "
                   "($1/(1 - 0.9)$).")),
        code("""
            assert np.allclose(moves, [0.1, 0.19, 0.271])
        """),
        md("""
            These races involve no randomness (a fixed start, exact gradients, no data), so one run is the
            whole experiment: rerunning gives the same paths. What they show depends on the settings (the
            learning rates below), not on luck; the Try-it section changes them.
        """, """
            В этих гонках нет случайности (фиксированная начальная точка, точные градиенты, никаких данных),
            поэтому один запуск — это весь эксперимент: повторный запуск даст те же пути. Что они показывают,
            зависит от настроек (скоростей обучения ниже), а не от везения; в разделе «Попробуйте сами» они
            меняются.
        """),
        *predict(tr("in the ravine (starting far out along the flat direction), which optimizer gets closest "
                    "to the minimum in 80 steps? Which one zigzags the most?",
                    "в овраге (старт далеко вдоль пологого направления) какой оптимизатор подберётся ближе всех к "
                    "минимуму за 80 шагов? Какой сильнее всех петляет зигзагом?"), f"""
            optimizers = {{
                "SGD": lambda p: optim.SGD(p, lr=0.9),
                "Momentum": lambda p: optim.SGD(p, lr=0.3, momentum=0.8),
                "Nesterov": lambda p: optim.SGD(p, lr=0.3, momentum=0.8, nesterov=True),
                "RMSprop": lambda p: optim.RMSprop(p, lr=0.1),
                "Adam": lambda p: optim.Adam(p, lr=0.5),
            }}
            fig, ax = plt.subplots(figsize=(7, 3))
            final_ravine = race(ravine, [-9.0, 2.0], 80, optimizers, (-10, 2), (-2.5, 2.5),
                                [0.01, 0.05, 0.2, 0.5, 1, 2, 4], ax)
            ax.legend(loc="lower right", fontsize=8); ax.set_title("{tr('ravine', 'овраг')}: 0.01 x² + y², 80 {tr('steps', 'шагов')}")
            plt.show()
            for name, value in final_ravine.items():
                print(f"{{name:9s}} {tr('loss after 80 steps', 'потери после 80 шагов')}: {{value:.2e}}")
        """, options=[tr("SGD, which has the largest learning rate, gets closest; Adam zigzags the most",
                         "ближе всех SGD, у него самая большая скорость обучения; сильнее всех петляет Adam"),
                      tr("Momentum gets closest; RMSprop zigzags the most", "ближе всех Momentum; сильнее всех петляет RMSprop"),
                      tr("RMSprop gets closest; SGD zigzags the most", "ближе всех RMSprop; сильнее всех петляет SGD"),
                      tr("Adam gets closest; Nesterov zigzags the most", "ближе всех Adam; сильнее всех петляет Nesterov")],
            answer=2, why=tr(
                "SGD's step is too large for the steep direction: each step maps $y$ to $y - 0.9 \\cdot 2y = -0.8y$, "
                "so it jumps across the ravine and back, while along the flat direction the same step shrinks $x$ by "
                "only $0.9 \\cdot 0.02 = 1.8\\%$, so it crawls. RMSprop divides each coordinate's step by the RMS of "
                "its own gradients, so both directions move at about `lr` per step: it heads almost straight for the "
                "minimum and ends lowest. Adam rescales the same way, but its momentum carries it past the minimum "
                "and back.",
                "шаг SGD слишком велик для крутого направления: каждый шаг переводит $y$ в $y - 0.9 \\cdot 2y = -0.8y$, "
                "и он прыгает через овраг туда и обратно, а вдоль пологого направления тот же шаг уменьшает $x$ всего "
                "на $0.9 \\cdot 0.02 = 1.8\\%$, и он ползёт. RMSprop делит шаг по каждой координате на "
                "среднеквадратичное её собственных градиентов, поэтому оба направления движутся примерно на `lr` за "
                "шаг: он идёт почти прямо к минимуму и заканчивает ниже всех. Adam масштабирует так же, но момент "
                "проносит его мимо минимума и обратно.")),
        code("""
            assert final_ravine["Momentum"] < final_ravine["SGD"] / 10
            assert final_ravine["Nesterov"] < final_ravine["SGD"] / 10
            assert final_ravine["RMSprop"] < final_ravine["SGD"] / 10
            assert min(final_ravine, key=final_ravine.get) == "RMSprop"    # en: the quiz's answer # ru: ответ на вопрос
        """),
        md("""
            SGD's step must stay small enough for the steep direction (here it already overshoots and
            zigzags across the ravine), so it crawls along the flat one. Momentum accumulates the
            consistent push along the ravine; Nesterov's look-ahead damps its overshoot. RMSprop and Adam
            rescale each coordinate, so both directions move at about `lr` per step: RMSprop heads almost
            straight to the minimum, Adam's momentum carries it past and back. Now a harder surface, the
            Rosenbrock valley: finding the valley is easy, following its curve to $(1, 1)$ is not.
        """, """
            Шаг SGD должен оставаться достаточно малым для крутого направления (здесь он уже перескакивает и
            петляет зигзагом поперёк оврага), поэтому вдоль пологого он ползёт. Момент накапливает
            согласованный толчок вдоль оврага; заглядывание вперёд у Нестерова гасит перелёт. RMSprop и Adam
            масштабируют каждую координату, так что оба направления движутся примерно на `lr` за шаг: RMSprop
            идёт почти прямо к минимуму, а Adam из-за момента проскакивает его и возвращается. Теперь поверхность
            потруднее —
            долина Розенброка: найти долину легко, пройти по её изгибу до $(1, 1)$ — нет.
        """),
        code(f"""
            optimizers = {{
                "SGD": lambda p: optim.SGD(p, lr=1e-3),
                "Momentum": lambda p: optim.SGD(p, lr=1e-3, momentum=0.9),
                "Nesterov": lambda p: optim.SGD(p, lr=1e-3, momentum=0.9, nesterov=True),
                "RMSprop": lambda p: optim.RMSprop(p, lr=1e-2),
                "Adam": lambda p: optim.Adam(p, lr=0.2, betas=(0.9, 0.99)),
            }}
            fig, ax = plt.subplots(figsize=(5, 3.6))
            final_rosenbrock = race(rosenbrock, [-1.5, 2.0], 300, optimizers, (-2, 2), (-1, 3),
                                    np.logspace(-1, 3, 12), ax)
            ax.plot([1], [1], "k*", ms=12)
            ax.legend(fontsize=8); ax.set_title("{tr('Rosenbrock, 300 steps (minimum: the star)', 'Розенброк, 300 шагов (минимум: звёздочка)')}", fontsize=10)
            plt.show()
            for name, value in final_rosenbrock.items():
                print(f"{{name:9s}} {tr('loss after 300 steps', 'потери после 300 шагов')}: {{value:.2e}}")
            assert all(final_rosenbrock[name] < final_rosenbrock["SGD"] / 50 for name in ("Momentum", "Nesterov", "Adam"))
        """),
        md("""
            ### Try it: learning rate and momentum

            Move the sliders: too small a learning rate crawls, too large diverges; momentum close to 1
            overshoots and spirals.
        """, """
            ### Попробуйте сами: скорость обучения и момент

            Подвигайте ползунки: при слишком малой скорости обучения спуск ползёт, при слишком большой —
            расходится; при моменте, близком к 1, путь проскакивает минимум и закручивается спиралью.
        """),
        code(f"""
            def descend(lr=0.3, momentum=0.8, nesterov=False):
                make = lambda p: optim.SGD(p, lr=lr, momentum=momentum, nesterov=nesterov and momentum > 0)
                path = trajectory(make, ravine, [-9.0, 2.0], 60)
                fig, ax = plt.subplots(figsize=(8, 3))
                contours(ax, ravine, (-10, 2), (-2.5, 2.5), [0.01, 0.05, 0.2, 0.5, 1, 2, 4])
                ax.plot(path[:, 0].numpy(), path[:, 1].numpy(), ".-", color="C1")
                ax.set(xlim=(-10, 2), ylim=(-2.5, 2.5),
                       title=f"lr={{lr:.2f}}, momentum={{momentum:.2f}}: {tr('loss after 60 steps', 'потери после 60 шагов')} "
                             f"{{ravine(path[-1, 0], path[-1, 1]).item():.2e}}")
                plt.show()

            descend()   {tr('# the default values, drawn even where no widgets can be shown',
                            '# значения по умолчанию: рисуется даже там, где виджеты не показываются')}
        """),
        code(volatile(tr("the sliders' picture is redrawn by the widget, which a re-run outside a browser does not replay",
                          "картинку ползунков перерисовывает виджет, а повторный запуск вне браузера этого не воспроизводит")), f"""
            try:
                from ipywidgets import FloatSlider, interact
                interact(descend, lr=FloatSlider(value=0.3, min=0.05, max=1.2, step=0.05),
                         momentum=FloatSlider(value=0.8, min=0.0, max=0.99, step=0.01))
            except ImportError:
                print("{tr('pip install ipywidgets to get the sliders', 'установите ipywidgets (pip install ipywidgets), чтобы появились ползунки')}")
        """),
        md("""
            ## 4. Learning-rate schedulers

            A large learning rate early moves fast; a small one late settles into the minimum (and quiets
            SGD's noise). A scheduler changes `optimizer.param_groups[i]['lr']` each time you call
            `scheduler.step()`: once per epoch (or per batch for `OneCycleLR`), **after**
            `optimizer.step()`. `ReduceLROnPlateau` is different: it watches a number you pass it (the
            validation loss) and divides the learning rate when it stops improving.
        """, """
            ## 4. Расписания скорости обучения (schedulers)

            С большой скоростью обучения в начале спуск идёт быстро, с маленькой в конце оседает в минимуме
            (и шум SGD стихает). Планировщик («шедулер») меняет `optimizer.param_groups[i]['lr']` при
            каждом вызове `scheduler.step()`: раз в эпоху (или раз в батч для `OneCycleLR`), **после**
            `optimizer.step()`. `ReduceLROnPlateau` устроен иначе: он следит за числом, которое вы ему
            передаёте (потерями на валидации), и делит скорость обучения, когда оно перестаёт улучшаться.
        """),
        code(f"""
            def lr_sequence(make_scheduler, epochs=100, metrics=None):
                \"\"\"{tr('The learning rate used in each epoch under the scheduler.',
                        'Скорость обучения в каждой эпохе под управлением планировщика.')}\"\"\"
                optimizer = optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
                scheduler = make_scheduler(optimizer)
                lrs = []
                for epoch in range(epochs):
                    lrs.append(optimizer.param_groups[0]["lr"])
                    optimizer.step()                       {tr('# (the training of one epoch goes here)',
                                                               '# (здесь идёт обучение в течение одной эпохи)')}
                    if metrics is None:
                        scheduler.step()
                    else:
                        scheduler.step(metrics[epoch])     {tr('# ReduceLROnPlateau: after validation',
                                                               '# ReduceLROnPlateau: после валидации')}
                return lrs

            {tr('# a made-up validation loss that improves, then plateaus',
                '# придуманные потери на валидации: сначала улучшаются, потом выходят на плато')}
            val_loss = 0.2 + 0.8 * np.exp(-np.arange(100) / 10) + 0.02 * np.random.rand(100)

            schedules = {{
                "StepLR(step_size=30, gamma=0.1)": lr_sequence(lambda o: StepLR(o, step_size=30, gamma=0.1)),
                "CosineAnnealingLR(T_max=100)": lr_sequence(lambda o: CosineAnnealingLR(o, T_max=100)),
                "OneCycleLR(max_lr=0.1, total_steps=100)": lr_sequence(lambda o: OneCycleLR(o, max_lr=0.1, total_steps=100)),
                "ReduceLROnPlateau(factor=0.1, patience=5)": lr_sequence(
                    lambda o: ReduceLROnPlateau(o, factor=0.1, patience=5), metrics=val_loss),
            }}
            fig, axes = plt.subplots(2, 2, figsize=(8, 4.4), sharex=True)
            for ax, (name, lrs) in zip(axes.flat, schedules.items()):
                ax.plot(lrs)
                ax.set_title(name, fontsize=9)
                ax.set_yscale("log" if "Step" in name or "Plateau" in name else "linear")
            axes[1, 1].twinx().plot(val_loss, color="C1", lw=0.8)
            axes[1, 1].set_xlabel("{tr('epoch', 'эпоха')}"); axes[1, 0].set_xlabel("{tr('epoch', 'эпоха')}")
            plt.tight_layout(); plt.show()
        """),
        code("""
            step, cosine, one_cycle, plateau = schedules.values()
            assert np.allclose([step[0], step[30], step[60], step[90]], [0.1, 0.01, 0.001, 0.0001])
            assert np.isclose(cosine[50], 0.05) and cosine[-1] < 1e-4       # en: half-way: half the lr # ru: на полпути: половина lr
            assert np.isclose(one_cycle[0], 0.1 / 25) and np.argmax(one_cycle) == 29   # en: peak at 30% # ru: пик на 30%
            assert plateau[0] == 0.1 and plateau[-1] <= 1e-4                 # en: cut each time the loss stalls # ru: снижается, когда потери застревают
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
        """, """
            Оранжевая кривая — потери на валидации, которые получает `ReduceLROnPlateau`: скорость обучения
            падает в 10 раз всякий раз, когда потери не улучшались (на относительный порог `threshold`) в
            течение `patience` эпох. `OneCycleLR` разогревается от `max_lr / 25` до `max_lr`, затем
            опускается намного ниже начального значения; заодно он циклически меняет момент в обратном
            направлении.

            Схема из лекции, с потерями на валидации после каждой эпохи:

            ```python
            scheduler = ReduceLROnPlateau(optimizer, factor=0.1, patience=1, threshold=0.1)
            for epoch in range(epochs):
                train_epoch(...)
                val_loss = evaluate(...)
                scheduler.step(val_loss)      # шаг на эпоху должен быть один, сделаем его после валидации
            ```

            ## 5. Группы параметров: своя скорость обучения для каждого слоя

            При дообучении (fine-tuning) предобученный извлекатель признаков должен двигаться медленно, а
            новый классификатор — быстро (или, как в лекции, наоборот). Оптимизатор принимает список **групп
            параметров** — словарей с ключом `'params'` и любыми настройками, которые нужно переопределить;
            именованные аргументы служат значениями по умолчанию для групп, которые их не задают.
        """),
        code(f"""
            class Net(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.features = nn.Sequential(nn.Linear(784, 64), nn.ReLU())
                    self.classifier = nn.Linear(64, 10)

                def forward(self, x):
                    return self.classifier(self.features(x))

            model = Net()
            optimizer = optim.SGD([
                {{'params': model.features.parameters()}},
                {{'params': model.classifier.parameters(), 'lr': 1e-3}}
            ], lr=1e-2, momentum=0.9)

            for group in optimizer.param_groups:
                print(f"{tr('tensors:', 'тензоров:')} {{len(group['params'])}}  lr={{group['lr']}}  momentum={{group['momentum']}}")
        """),
        *predict(tr("after one step, by how much does each weight move, as a multiple of its gradient? And "
                    "what do the learning rates become after one `StepLR(step_size=1, gamma=0.1)` step?",
                    "насколько сдвинется каждый вес после одного шага, в единицах его градиента? И какими станут "
                    "скорости обучения после одного шага `StepLR(step_size=1, gamma=0.1)`?"), f"""
            before = [p.detach().clone() for p in model.parameters()]
            optimizer.zero_grad()
            F.cross_entropy(model(images[:64]), labels[:64]).backward()
            optimizer.step()
            ratios = {{}}
            for (name, p), old in zip(model.named_parameters(), before):
                ratios[name] = ((old - p.detach()).abs().sum() / p.grad.abs().sum()).item()
                print(f"{{name:18s}} {tr('moved', 'сдвинулся на')} {{ratios[name]:.0e}} x {tr('its gradient', 'свой градиент')}")

            scheduler = StepLR(optimizer, step_size=1, gamma=0.1)
            scheduler.step()
            print("{tr('learning rates now:', 'скорости обучения теперь:')}", scheduler.get_last_lr())
        """, options=[tr("every weight by 1e-2 x its gradient; then both rates become 1e-3",
                         "каждый вес на 1e-2 x градиент; затем обе скорости станут 1e-3"),
                      tr("features by 1e-2, classifier by 1e-3 x its gradient; then 1e-3 and 1e-4",
                         "features на 1e-2, classifier на 1e-3 x градиент; затем 1e-3 и 1e-4"),
                      tr("features by 1e-2, classifier by 1e-3 x its gradient; then only the default changes: 1e-3 and 1e-3",
                         "features на 1e-2, classifier на 1e-3 x градиент; затем меняется только значение по умолчанию: "
                         "1e-3 и 1e-3"),
                      tr("features by 0.9 x 1e-2, classifier by 0.9 x 1e-3 (momentum); then 1e-3 and 1e-4",
                         "features на 0.9 x 1e-2, classifier на 0.9 x 1e-3 (момент); затем 1e-3 и 1e-4")],
            answer=1, why=tr(
                "each group steps with its own `lr` (the keyword `lr=1e-2` is only the default for the groups that "
                "set none), and the first step with momentum moves by exactly `lr` times the gradient, because the "
                "velocity starts as the gradient itself. A scheduler multiplies the `lr` of every group by `gamma`.",
                "каждая группа шагает со своей `lr` (именованный аргумент `lr=1e-2` — лишь значение по умолчанию для "
                "групп, которые свою не задали), а первый шаг с моментом равен ровно `lr`, умноженной на градиент, "
                "потому что скорость начинается с самого градиента. Планировщик умножает `lr` каждой группы на "
                "`gamma`.")),
        code("""
            # en: each group steps with its own lr (rtol: float32 rounding of old - new)
            # ru: каждая группа шагает со своей lr (rtol: округление float32 в old - new)
            assert np.allclose(list(ratios.values()), [1e-2, 1e-2, 1e-3, 1e-3], rtol=0.01)
            assert np.allclose(scheduler.get_last_lr(), [1e-3, 1e-4])    # en: every group is scaled # ru: масштабируется каждая группа
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
        """, r"""
            ## 6. L1- и L2-регуляризация

            Добавим к функции потерь штраф на веса, $L_R = L + \lambda R(W)$:

            - **L2**: $R = \frac12\sum_i w_i^2$, градиент $w_i$: каждый вес уменьшается пропорционально
              своей величине (веса маленькие, но редко ровно нулевые). В оптимизаторах PyTorch это
              `weight_decay=λ`.
            - **L1**: $R = \sum_i |w_i|$, градиент $\operatorname{sign}(w_i)$: каждый вес толкается к нулю на
              одну и ту же величину, поэтому веса, которые данным не нужны, оказываются ровно нулевыми:
              **разреженные** веса.
        """),
        *predict(tr("is one SGD step with `weight_decay=0.1` the same as one step on the loss "
                    "$L + \\frac{0.1}{2}\\sum w^2$?",
                    "совпадает ли один шаг SGD с `weight_decay=0.1` с одним шагом по функции потерь "
                    "$L + \\frac{0.1}{2}\\sum w^2$?"), f"""
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
            print(f"{tr('largest difference', 'наибольшая разница')}: {{difference:.1e}}")
        """, options=[tr("yes, up to rounding", "да, с точностью до округления"),
                      tr("no: weight decay shrinks the weights twice as fast", "нет: weight decay уменьшает веса вдвое быстрее"),
                      tr("no: weight decay does not touch the bias", "нет: weight decay не трогает смещения (bias)")], answer=0,
            why=tr("the gradient of $\\frac{\\lambda}{2}\\sum w^2$ is $\\lambda w$, exactly what `weight_decay` adds to "
                   "every parameter's gradient (biases included) before the step. For plain SGD the two are the same; for Adam "
                   "they are not, which is why AdamW exists.",
                   "градиент $\\frac{\\lambda}{2}\\sum w^2$ равен $\\lambda w$ — ровно то, что `weight_decay` прибавляет к "
                   "градиенту каждого параметра (включая смещения) перед шагом. Для обычного SGD это одно и то же; для Adam — "
                   "нет, поэтому и существует AdamW.")),
        code("""
            assert difference < 1e-6
        """),
        md("""
            Now train the digit classifier three times: without a penalty, with L2 and with L1, and look at
            the weights. Each of the 10 rows of the weight matrix is a 28x28 template of one digit.
        """, """
            Теперь обучим классификатор цифр три раза: без штрафа, с L2 и с L1 — и посмотрим на веса. Каждая
            из 10 строк матрицы весов — это шаблон 28x28 одной цифры.
        """),
        code(f"""
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

            fits = {{"{tr('no penalty', 'без штрафа')}": fit_regularised(),
                    "L2 (weight_decay=1e-2)": fit_regularised(weight_decay=1e-2),
                    "L1 (λ=1e-3)": fit_regularised(l1=1e-3)}}
            sparsity = {{name: (w.abs() < 1e-3).float().mean().item() for name, (w, _) in fits.items()}}

            fig, axes = plt.subplots(3, 6, figsize=(7, 3.8))
            for row, (name, (w, accuracy)) in zip(axes, fits.items()):
                row[0].hist(w.flatten().numpy(), bins=60, log=True)
                row[0].set_title(f"{{name}}\\n{tr('acc', 'точность')} {{accuracy:.3f}}, {tr('zero', 'нулей')} {{sparsity[name]:.0%}}", fontsize=8)
                row[0].tick_params(labelsize=6)
                for digit, ax in enumerate(row[1:]):
                    {tr('# RdBu_r: positive weights red, negative blue (plain "RdBu" would draw positive blue)',
                        '# RdBu_r: положительные веса красные, отрицательные синие (обычная "RdBu" рисует положительные синими)')}
                    ax.imshow(w[digit].view(28, 28).numpy(), cmap="RdBu_r", vmin=-0.2, vmax=0.2, interpolation="nearest")
                    ax.axis("off")
            plt.tight_layout(); plt.show()
        """),
        md("The same three fits with other seeds (initial weights and batch order), to be sure of the comparison:",
           "Те же три обучения с другими seed (начальные веса и порядок батчей), чтобы быть уверенными в сравнении:"),
        code(f"""
            PENALTIES = {{"{tr('no penalty', 'без штрафа')}": {{}}, "L2 (weight_decay=1e-2)": {{"weight_decay": 1e-2}}, "L1 (λ=1e-3)": {{"l1": 1e-3}}}}
            zero_share, accuracies = {{}}, {{}}
            for name, penalty in PENALTIES.items():
                seeded = [fit_regularised(seed=seed, **penalty) for seed in range(SEEDS)]
                zero_share[name] = np.array([(w.abs() < 1e-3).float().mean().item() for w, _ in seeded])
                accuracies[name] = np.array([acc for _, acc in seeded])
                print(f"{{name:24s}} {tr('weights below 1e-3', 'весов меньше 1e-3')}: {{zero_share[name].mean():.0%}} +- {{zero_share[name].std():.0%}}   "
                      f"{tr('test accuracy', 'точность на тесте')} {{accuracies[name].mean():.3f}} +- {{accuracies[name].std():.3f}}")
            none, l2, l1 = zero_share.values()
            assert l1.min() > 0.4 and l1.min() > l2.max() + 0.3 and l2.mean() >= none.mean()  {tr(
                '# L1 zeroes, L2 shrinks', '# L1 обнуляет, L2 уменьшает')}
            assert min(a.min() for a in accuracies.values()) > 0.8                          {tr(
                '# ... at a small cost', '# ... ценой небольшой потери точности')}
        """),
        md("""
            The border pixels of MNIST are always 0, so the data never moves their weights: without a
            penalty they keep their random initial values (the noise around the templates), L2 shrinks
            them geometrically, L1 drives them to zero in a fixed number of steps. L1 also silences the
            pixels that help little, leaving sparse templates (red: positive weights, evidence for the
            digit; blue: negative weights, evidence against).
        """, """
            Пиксели на краю изображений MNIST всегда равны 0, поэтому данные никогда не сдвигают их веса: без
            штрафа они сохраняют случайные начальные значения (шум вокруг шаблонов), L2 уменьшает их в
            геометрической прогрессии, L1 доводит до нуля за фиксированное число шагов. Кроме того, L1
            заглушает пиксели, которые мало помогают, и оставляет разреженные шаблоны (красный: положительные
            веса, свидетельство в пользу цифры; синий: отрицательные веса, свидетельство против).
        """),
        *try_it([
            (tr("Change the batch size in section 1 (8, 64, 128): where is the sweet spot in seconds?",
                "Поменяйте размер батча в разделе 1 (8, 64, 128): где оптимум по секундам?"), tr("""
                `runs = {b: train(b, lr=0.1) for b in (8, 32, 64, 128)}` and plot loss against seconds. Per epoch the
                smallest batches make the most steps; per second, what counts is the cost of a step, which here is
                mostly fixed overhead and grows only slowly with the batch, while larger batches give less noisy
                gradients. Where the best loss per second lies depends on the machine and on the size of the data
                set, which is why the timing cell above is marked volatile: measure it on yours.
            """, """
                `runs = {b: train(b, lr=0.1) for b in (8, 32, 64, 128)}` и постройте потери в зависимости от секунд.
                По эпохам больше всего шагов делают самые маленькие батчи; по секундам важна цена шага, а она здесь
                в основном складывается из постоянных накладных расходов и медленно растёт с батчем, при этом
                большие батчи дают менее шумные градиенты. Где лучшие потери за секунду, зависит от машины и от
                размера данных, поэтому ячейка с замерами времени выше помечена как изменчивая: измерьте на своей.
            """)),
            (tr("In section 2, sort the data but shuffle the *batches* (keep each batch sorted): does it help?",
                "В разделе 2 отсортируйте данные, но перемешайте *батчи* (каждый батч остаётся отсортированным): "
                "поможет ли это?"), tr("""
                ```python
                def sorted_batches_shuffled():
                    order = torch.argsort(labels, stable=True).view(-1, 100)       # 40 single-digit batches
                    return order[torch.randperm(len(order))].flatten()
                fit_classifier(sorted_batches_shuffled)
                ```
                Partly: the model no longer ends believing in the last digits only, but every step still pulls
                towards a single class, so the loss jumps and the test accuracy stays far below that of shuffled
                examples (run it with a few seeds to see by how much).
            """, """
                ```python
                def sorted_batches_shuffled():
                    order = torch.argsort(labels, stable=True).view(-1, 100)       # 40 батчей, в каждом одна цифра
                    return order[torch.randperm(len(order))].flatten()
                fit_classifier(sorted_batches_shuffled)
                ```
                Отчасти: модель больше не заканчивает обучение, веря только в последние цифры, но каждый шаг
                по-прежнему тянет к одному классу, поэтому потери скачут, а точность на тесте остаётся намного
                ниже, чем с перемешанными примерами (запустите с несколькими seed, чтобы увидеть, насколько).
            """)),
            (tr("Give Adam the ravine with `lr=0.05`; give SGD the Rosenbrock valley with `lr=2e-3`.",
                "Дайте Adam овраг с `lr=0.05`, а SGD — долину Розенброка с `lr=2e-3`."), tr("""
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
            """, """
                ```python
                path = trajectory(lambda p: optim.Adam(p, lr=0.05), ravine, [-9.0, 2.0], 80)
                print(ravine(*path[-1]))                      # сравните с final_ravine["Adam"]
                path = trajectory(lambda p: optim.SGD(p, lr=2e-3), rosenbrock, [-1.5, 2.0], 300)
                print(rosenbrock(*path[-1]))                  # сравните с final_rosenbrock["SGD"]
                ```
                Расклад переворачивается: Adam с шагом в 10 раз меньше ползёт и заканчивает далеко от минимума оврага, а
                SGD с вдвое большим шагом спускается по долине Розенброка близко к (1, 1) и на порядки обгоняет
                собственный результат в гонке. Сравнения оптимизаторов говорят о выбранных настройках не меньше,
                чем о самих оптимизаторах.
            """)),
            (tr("Train the section-6 classifier with `OneCycleLR(optimizer, max_lr=1.0, total_steps=200)`, stepped "
                "after every batch.",
                "Обучите классификатор из раздела 6 с `OneCycleLR(optimizer, max_lr=1.0, total_steps=200)`, делая "
                "шаг планировщика после каждого батча."), tr("""
                Create the scheduler after the optimizer in `fit_regularised` and call `scheduler.step()` after
                `optimizer.step()` (5 epochs x 40 batches = 200 steps). Then compare test accuracies over the
                5 seeds, as above, and call it a win only if the difference of the means is larger than the spread.
            """, """
                Создайте планировщик после оптимизатора в `fit_regularised` и вызывайте `scheduler.step()` после
                `optimizer.step()` (5 эпох x 40 батчей = 200 шагов). Затем сравните точности на тесте по 5 seed,
                как выше, и считайте это выигрышем, только если разница средних больше разброса.
            """)),
        ]),
        homework(7, """
            write SGD with momentum and Nesterov momentum, and Adam, and compare them with `minitorch.optim`.
        """, """
            напишите SGD с моментом и с моментом Нестерова, а также Adam и сравните их с `minitorch.optim`.
        """),

    ]
