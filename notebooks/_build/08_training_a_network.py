"""Builds notebooks/08_training_a_network.ipynb (and notebooks/ru/): modules, the training loop, checkpoints,
fine-tuning.

Follows the nn / training part of the source course's PyTorch tutorial (nn.Linear, nn.Sequential
with OrderedDict names, state_dict, init_normal, train_epoch, CrossEntropyLoss = tensor(1.4076),
saving and the checkpoint dict), freezing layers and fine-tuning a pretrained model (the course's
fine-tuning slide, here with the digits model that ships with minitorch).
"""

from notebooks._build.common import (code, header, homework, imports_cell, md, predict, quiz_cell, setup_cell, tr,
                                     try_it, words, with_code)

SEEDS = 5  # every comparison (MLP vs CNN, the fine-tuning baselines) is repeated with this many seeds
# The MLP-vs-CNN comparison trains 2 x SEEDS models; a CNN epoch on all 4,000 images costs several
# seconds, so each of these runs gets a smaller budget than the single runs the lecture shows.
COMPARE_IMAGES, COMPARE_EPOCHS = 2000, 2

FILE = "08_training_a_network.ipynb"
RUNTIME_S = 55


def cells():
    return [
        header(8, tr("Training a network", "Обучение сети"), FILE, [
            tr("build models with `nn.Module`, `nn.Sequential` (named layers), `state_dict` and `apply`",
               "собирать модели из `nn.Module` и `nn.Sequential` (с именованными слоями), пользоваться `state_dict` "
               "и `apply`"),
            tr("write the training loop: `zero_grad`, forward, loss, `backward`, `step`, and evaluation",
               "писать цикл обучения: `zero_grad`, прямой проход, функция потерь, `backward`, `step` — и оценку "
               "качества"),
            tr("train an MLP and a small CNN (dropout, batch norm) on digits, with progress bars and learning curves",
               "обучать на цифрах MLP и небольшую свёрточную сеть (dropout, батч-нормализация), с индикатором "
               "прогресса и кривыми обучения"),
            tr("read a confusion matrix", "читать матрицу ошибок (confusion matrix)"),
            tr("save a checkpoint and resume training exactly where it stopped",
               "сохранять контрольную точку (checkpoint) и продолжать обучение ровно с того места, где оно "
               "остановилось"),
            tr("freeze layers and fine-tune a new head, on a pretrained model too",
               "замораживать слои и обучать новую «голову» (head), в том числе у предобученной модели"),
        ], RUNTIME_S),
        setup_cell(),
        imports_cell("""
            import os
            import sys
            import tempfile
            from collections import OrderedDict

            import numpy as np
            import minitorch as torch
            import minitorch.nn.functional as F
            from minitorch import nn, optim
            from minitorch.utils.data import DataLoader, TensorDataset
            from minitorch.vision import datasets, transforms
            from minitorch.vision.utils import show_images
            from minitorch.vision.models import load_digits, resnet8
            from tqdm import tqdm
            from IPython.display import Markdown, display
        """, """
            torch.backends.cudnn.deterministic = True   # en: on a GPU too, a resumed run must replay exactly # ru: и на GPU продолженное обучение должно повторяться в точности
        """, f"SEEDS = {SEEDS}   # en: every comparison is repeated with this many seeds "
             "# ru: каждое сравнение повторяется со столькими значениями seed"),
        quiz_cell(),
        md("""
            ## 1. Modules

            A layer is an `nn.Module` that owns its parameters. The simplest one, a linear layer
            $y = xW^T + b$:
        """, """
            ## 1. Модули

            Слой — это `nn.Module`, которому принадлежат его параметры. Простейший из них — линейный
            слой $y = xW^T + b$:
        """),
        code("""
            torch.manual_seed(0)
            model = nn.Linear(in_features=2,
                              out_features=1,
                              bias=True)
            print(model.weight)
            print(model.bias)
        """),
        md("""
            Layers compose with `nn.Sequential`; an `OrderedDict` gives the layers names (they become the
            keys of the `state_dict`).
        """, """
            Слои соединяются в цепочку с помощью `nn.Sequential`; `OrderedDict` даёт слоям имена (они
            становятся ключами `state_dict`).
        """),
        code("""
            torch.manual_seed(0)
            net = nn.Sequential(OrderedDict([('hidden_linear', nn.Linear(10, 5)),
                                             ('hidden_activation', nn.ReLU()),
                                             ('output', nn.Linear(5, 2))]))
            print(net)
            X = torch.rand(3, 10)
            net(X)
        """),
        code("""
            print(net.state_dict())   # en: every parameter (and buffer) of the network, by name # ru: все параметры (и буферы) сети, по именам
        """),
        md("""
            `net.apply(fn)` calls `fn` on every submodule (children first, then the module itself): the
            usual way to initialise weights.
        """, """
            `net.apply(fn)` вызывает `fn` для каждого подмодуля (сначала для дочерних, затем для самого
            модуля) — обычный способ инициализировать веса.
        """),
        code("""
            def init_normal(m):
                if type(m) == nn.Linear:
                    nn.init.normal_(m.weight, mean=0, std=0.01)
                    nn.init.zeros_(m.bias)

            net.apply(init_normal)
            print(net[0].weight.data[0], net[0].bias.data[0])
            assert net[0].weight.std().item() < 0.02 and (net[0].bias == 0).all()
        """),
        md("""
            For anything more than a chain, subclass `nn.Module`: create the layers in `__init__` (assigning
            a module to an attribute registers it) and say how data flows in `forward`. `add_module`
            registers a layer under a name chosen at run time.
        """, """
            Если сеть сложнее цепочки, унаследуйте класс от `nn.Module`: создайте слои в `__init__`
            (присваивание модуля атрибуту регистрирует его) и опишите в `forward`, как через них проходят
            данные. `add_module` регистрирует слой под именем, выбранным во время выполнения.
        """),
        code("""
            class MLP(nn.Module):
                def __init__(self):
                    super().__init__()             # en: register the module machinery first # ru: сначала инициализируем родителя: он регистрирует слои
                    self.hidden = nn.Linear(10, 5)  # en: hidden layer # ru: скрытый слой
                    self.out = nn.Linear(5, 2)      # en: output layer # ru: выходной слой

                def forward(self, X):
                    return self.out(F.relu(self.hidden(X)))

            class NNN(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.layers = nn.Sequential()
                    self.layers.add_module('lin1', nn.Linear(10, 5))
                    self.layers.add_module('relu1', nn.ReLU())
                    self.layers.add_module('lin2', nn.Linear(5, 2))

                def forward(self, input):
                    return self.layers(input)

            print(NNN())
            print([name for name, _ in MLP().named_parameters()])
            assert MLP()(X).shape == NNN()(X).shape == (3, 2)
        """),
        md("""
            ### The loss for classification

            `nn.CrossEntropyLoss` takes raw scores (logits) and class indices; it is `log_softmax`
            followed by the negative log-likelihood of the right class.
        """, """
            ### Функция потерь для классификации

            `nn.CrossEntropyLoss` принимает «сырые» оценки классов (логиты) и номера классов: это
            `log_softmax`, а затем отрицательный логарифм правдоподобия правильного класса.
        """),
        *predict(tr(r"for scores `[1, 2, 3]` and the right class 1, what is the loss? (Hint: the loss is "
                    r"$\log(e^1 + e^2 + e^3)$ minus the score of the right class, and $\log(e^1 + e^2 + e^3)$ is a "
                    r"little above the largest score, 3.)",
                    r"каковы потери для оценок `[1, 2, 3]`, если правильный класс 1? (Подсказка: потери равны "
                    r"$\log(e^1 + e^2 + e^3)$ минус оценка правильного класса, а $\log(e^1 + e^2 + e^3)$ чуть больше "
                    r"наибольшей оценки, 3.)"), """
            loss = nn.CrossEntropyLoss()
            a = torch.tensor([[1.0, 2.0, 3.0]])
            y = torch.tensor([1])
            print(a, y, loss(a, y))
        """, options=[tr("about 0.24", "около 0.24"), tr("about 0.41", "около 0.41"),
                      tr("about 1.41", "около 1.41"), tr("about 2.41", "около 2.41")],
            answer=2, why=tr(
                r"Classes count from 0, so class 1 is the second score, 2: the loss is $\log(e^1 + e^2 + e^3) - 2$. "
                r"About 2.41 takes class 1 to be the first score; about 0.41 is the loss of the largest score, 3; "
                r"about 0.24 is the probability softmax gives class 1, not the loss $-\log$ of it.",
                r"Классы нумеруются с 0, поэтому классу 1 соответствует вторая оценка, 2: потери равны "
                r"$\log(e^1 + e^2 + e^3) - 2$. Около 2.41 получится, если считать классом 1 первую оценку; около 0.41 — "
                r"потери для наибольшей оценки, 3; около 0.24 — вероятность, которую softmax даёт классу 1, а не "
                r"потери $-\log$ от неё.")),
        code("""
            by_hand = -torch.log_softmax(a, dim=1)[0, 1]
            assert torch.allclose(loss(a, y), by_hand) and torch.allclose(loss(a, y), F.nll_loss(F.log_softmax(a, dim=1), y))
            assert round(loss(a, y).item(), 4) == 1.4076
        """),
        md("""
            ## 2. Data: `Dataset` and `DataLoader`

            A `Dataset` answers `len(ds)` and `ds[i]`; a `DataLoader` draws batches from it (shuffled if
            asked) and stacks them into tensors. The lecture's toy example, $y = x^2$:
        """, """
            ## 2. Данные: `Dataset` и `DataLoader`

            `Dataset` отвечает на `len(ds)` и `ds[i]`; `DataLoader` набирает из него батчи (перемешивая
            примеры, если попросить) и складывает их в тензоры. Игрушечный пример лекции, $y = x^2$:
        """),
        code("""
            x = torch.from_numpy(np.vstack([np.arange(10, dtype='float32'),
                                            np.ones(10, dtype='float32')]).T)
            y = torch.from_numpy(np.arange(10, dtype='float32')[:, np.newaxis] ** 2)
            train_ds = TensorDataset(x, y)
            train_dl = DataLoader(train_ds, batch_size=4, shuffle=True)
            for xb, yb in train_dl:
                print(xb[:, 0].tolist(), '->', yb[:, 0].tolist())
            assert sorted(i for xb, _ in train_dl for i in xb[:, 0].tolist()) == list(range(10))
        """),
        md("""
            The digits: `MNIST5k` is 5,000 MNIST images bundled with minitorch, split 4,000 for training and
            1,000 held out for testing. The transform turns each PIL image into a normalised tensor, as in
            the lecture (`0.1307` and `0.3081` are MNIST's mean and standard deviation).
        """, """
            Цифры: `MNIST5k` — это 5000 изображений MNIST, которые поставляются вместе с minitorch: 4000 для
            обучения и 1000 отложенных для теста. Преобразование (transform) превращает каждое
            PIL-изображение в нормированный тензор, как в лекции (`0.1307` и `0.3081` — среднее и
            стандартное отклонение MNIST).
        """),
        code("""
            transform = transforms.Compose([
                transforms.ToTensor(),                          # en: PIL image -> float tensor in [0, 1], 1x28x28 # ru: PIL-изображение -> float-тензор со значениями в [0, 1], 1x28x28
                transforms.Normalize((0.1307,), (0.3081,)),     # en: -> mean 0, std 1 # ru: -> среднее 0, стандартное отклонение 1
            ])
            train_set = datasets.MNIST5k(train=True, transform=transform)
            test_set = datasets.MNIST5k(train=False, transform=transform)
            print(train_set)
            images, targets = next(iter(DataLoader(train_set, batch_size=16, shuffle=True)))
            print(images.shape, images.dtype, targets[:8])
            show_images(images, titles=[str(t) for t in targets.tolist()], ncols=16, figsize=(9, 1.2))
            plt.show()
        """),
        md("""
            There is no random augmentation here, so each image is transformed identically every epoch: we
            transform the whole set once, as one vectorised expression, and keep the tensors in a
            `TensorDataset` (much faster than 4,000 PIL conversions per epoch). It gives the same numbers.
        """, """
            Случайной аугментации здесь нет, так что в каждой эпохе изображение преобразуется одинаково:
            преобразуем всю выборку один раз, одним векторным выражением, и храним тензоры в
            `TensorDataset` (намного быстрее, чем 4000 преобразований PIL за эпоху). Числа получаются те же.
        """),
        code(words("""
            def as_tensors(ds):
                x = (ds.data.float().unsqueeze(1) / 255 - 0.1307) / 0.3081     # N x 1 x 28 x 28
                return x, ds.targets

            train_x, train_y = as_tensors(train_set)
            test_x, test_y = as_tensors(test_set)
            assert torch.allclose(train_x[0], train_set[0][0], atol=1e-6) and train_y[0] == train_set[0][1]

            train_loader = DataLoader(TensorDataset(train_x, train_y), batch_size=64, shuffle=True)
            test_loader = DataLoader(TensorDataset(test_x, test_y), batch_size=500)
            print(len(train_loader), "batches per epoch")
        """, {'"batches per epoch"': '"батчей за эпоху"'})),
        md("""
            ## 3. The training loop

            The lecture's `train_epoch`, unchanged: for each batch, clear the old gradients, move the data
            to the model's device, forward, loss, backward, step.
        """, """
            ## 3. Цикл обучения

            `train_epoch` из лекции без изменений: для каждого батча обнуляем старые градиенты, переносим
            данные на устройство модели, затем прямой проход, потери, обратный проход, шаг.
        """),
        code(words("""
            device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")

            def train_epoch(model, train_loader, criterion, optimizer):
                model.train()
                running_loss = 0.0
                for batch_idx, (data, target) in enumerate(train_loader):
                    optimizer.zero_grad(set_to_none=True)  # en: ~ model.zero_grad(): gradients must not accumulate # ru: ~ model.zero_grad(): чтобы градиенты не накапливались
                    data = data.to(device)
                    target = target.to(device)         # en: to the model's device # ru: перенос на device модели
                    outputs = model(data)              # en: the network's output # ru: получили выход сети
                    loss = criterion(outputs, target)  # en: the loss of this output # ru: посчитали потери для этого выхода
                    running_loss += loss.item()
                    loss.backward()                    # en: gradients of the loss w.r.t. the parameters # ru: градиенты потерь по параметрам сети
                    optimizer.step()                   # en: a step against the gradient # ru: шаг по антиградиенту: обновляем веса
                running_loss /= len(train_loader)
                return running_loss

            def evaluate(model, loader, criterion):
                \"\"\"Mean loss and accuracy over the loader, in eval mode and without building graphs.\"\"\"
                model.eval()                           # en: dropout off, batch norm uses its running statistics # ru: dropout выключен, батч-нормализация берёт накопленные статистики
                total_loss, correct = 0.0, 0
                with torch.no_grad():
                    for data, target in loader:
                        data, target = data.to(device), target.to(device)
                        outputs = model(data)
                        total_loss += criterion(outputs, target).item() * len(target)
                        correct += (outputs.argmax(dim=1) == target).sum().item()
                return total_loss / len(loader.dataset), correct / len(loader.dataset)

            criterion = nn.CrossEntropyLoss()

            def fit(model, optimizer, epochs, name):
                history = {"train loss": [], "test loss": [], "test accuracy": []}
                # en: a text progress bar without timings: its last state is what the notebook keeps
                # ru: текстовый индикатор прогресса без времени: в ноутбуке остаётся его последнее состояние
                bar = tqdm(range(epochs), desc=name, file=sys.stdout, mininterval=0,
                           bar_format="{desc}: {percentage:3.0f}%|{bar}| epoch {n_fmt}/{total_fmt}{postfix}")
                for epoch in bar:
                    train_loss = train_epoch(model, train_loader, criterion, optimizer)
                    test_loss, test_accuracy = evaluate(model, test_loader, criterion)
                    for key, value in zip(history, (train_loss, test_loss, test_accuracy)):
                        history[key].append(value)
                    bar.set_postfix({"loss": f"{train_loss:.3f}", "accuracy": f"{test_accuracy:.3f}"})
                return history
        """, {"Mean loss and accuracy over the loader, in eval mode and without building graphs.":
              "Средние потери и точность (accuracy) по загрузчику, в режиме eval и без построения графа.",
              "| epoch {n_fmt}": "| эпоха {n_fmt}", '{"loss": f': '{"потери": f', '"accuracy": f': '"точность": f'})),
        md("""
            ### An MLP with batch norm and dropout

            `BatchNorm1d` normalises each hidden unit over the batch (and keeps running averages for
            evaluation); `Dropout` zeroes random units during training only. Both behave differently in
            `train()` and `eval()` mode, which is why `train_epoch` and `evaluate` switch modes.
        """, """
            ### MLP с батч-нормализацией и dropout

            `BatchNorm1d` нормирует каждый скрытый нейрон по батчу (и накапливает скользящие средние для
            режима оценки); `Dropout` зануляет случайные нейроны, и только при обучении. Оба слоя ведут
            себя по-разному в режимах `train()` и `eval()`, поэтому `train_epoch` и `evaluate` переключают
            режим.
        """),
        code(words("""
            def make_mlp():
                return nn.Sequential(
                    nn.Flatten(),                   # en: 1x28x28 -> 784 # ru: 1x28x28 -> 784 (вытягиваем в вектор)
                    nn.Linear(784, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(0.2),
                    nn.Linear(256, 10),
                )

            torch.manual_seed(0)
            mlp = make_mlp().to(device)
            mlp_history = fit(mlp, optim.SGD(mlp.parameters(), lr=0.05, momentum=0.9), epochs=5, name="MLP")
            print(f"MLP test accuracy: {mlp_history['test accuracy'][-1]:.3f}")
            assert mlp_history["test accuracy"][-1] >= 0.90
        """, {"MLP test accuracy:": "MLP, точность на тесте:"})),
        md("""
            ### A small CNN

            Two convolution blocks (conv, batch norm, ReLU, 2x2 max pooling: 28 -> 14 -> 7) extract
            features, a linear layer classifies them. The two parts are named `features` and `classifier`,
            as in torchvision's models, so we can treat them differently later.
        """, """
            ### Небольшая свёрточная сеть (CNN)

            Два свёрточных блока (свёртка, батч-нормализация, ReLU, max pooling 2x2: 28 -> 14 -> 7)
            извлекают признаки, линейный слой по ним классифицирует. Части называются `features` и
            `classifier`, как в моделях torchvision, чтобы дальше обращаться с ними по-разному.
        """),
        code(words("""
            class CNN(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.features = nn.Sequential(
                        nn.Conv2d(1, 16, kernel_size=3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(16, 32, kernel_size=3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                    )
                    self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.25), nn.Linear(32 * 7 * 7, 10))

                def forward(self, x):
                    return self.classifier(self.features(x))

            def make_optimizer(model):
                return optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

            torch.manual_seed(0)
            cnn = CNN().to(device)
            cnn_optimizer = make_optimizer(cnn)
            cnn_history = fit(cnn, cnn_optimizer, epochs=3, name="CNN")
            n_params = {name: sum(p.numel() for p in m.parameters()) for name, m in [("MLP", mlp), ("CNN", cnn)]}
            print(f"CNN test accuracy: {cnn_history['test accuracy'][-1]:.3f}; parameters: {n_params}")
            assert cnn_history["test accuracy"][-1] >= 0.95
        """, {"CNN test accuracy:": "CNN, точность на тесте:", "; parameters:": "; параметров:"})),
        code(words("""
            fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8, 3))
            for name, history in [("MLP", mlp_history), ("CNN", cnn_history)]:
                epochs = range(1, len(history["train loss"]) + 1)
                line, = ax1.plot(epochs, history["train loss"], "o-", label=f"{name} train")
                ax1.plot(epochs, history["test loss"], "s--", color=line.get_color(), label=f"{name} test")
                ax2.plot(epochs, history["test accuracy"], "o-", label=name)
            ax1.set(xlabel="epoch", ylabel="loss"); ax1.legend(fontsize=8)
            ax2.set(xlabel="epoch", ylabel="test accuracy"); ax2.legend()
            plt.tight_layout(); plt.show()

            mistakes = {name: round((1 - h["test accuracy"][-1]) * len(test_y)) for name, h in
                        [("MLP", mlp_history), ("CNN", cnn_history)]}
            ratio = n_params["MLP"] / n_params["CNN"]
            mlp_epochs, cnn_epochs = len(mlp_history["train loss"]), len(cnn_history["train loss"])
            display(Markdown(
                f"With seed 0 the CNN, with {ratio:.0f}x fewer parameters than the MLP and {cnn_epochs} epochs "
                f"against its {mlp_epochs}, makes {mistakes['CNN']} mistakes on the {len(test_y)} test digits "
                f"against the MLP's {mistakes['MLP']}. That is one run of each: another seed gives another "
                f"initialisation and another batch order."))
        """, {'f"{name} train"': 'f"{name}, обуч."', 'f"{name} test"': 'f"{name}, тест"',
              'xlabel="epoch", ylabel="loss"': 'xlabel="эпоха", ylabel="потери"',
              'xlabel="epoch", ylabel="test accuracy"': 'xlabel="эпоха", ylabel="точность на тесте"',
              'f"With seed 0 the CNN, with {ratio:.0f}x fewer parameters than the MLP and {cnn_epochs} epochs "':
              'f"При seed 0 свёрточная сеть, у которой в {ratio:.0f} раз меньше параметров, чем у MLP, и {cnn_epochs} эпохи "',
              'f"against its {mlp_epochs}, makes {mistakes[\'CNN\']} mistakes on the {len(test_y)} test digits "':
              'f"обучения против {mlp_epochs}, ошибается на {mistakes[\'CNN\']} из {len(test_y)} тестовых цифр, "',
              'f"against the MLP\'s {mistakes[\'MLP\']}. That is one run of each: another seed gives another "':
              'f"а MLP — на {mistakes[\'MLP\']}. Но это по одному запуску каждой: другой seed даёт другую "',
              'f"initialisation and another batch order."': 'f"инициализацию и другой порядок батчей."'})),
        md(f"""
            Is the CNN's lead more than the luck of one run? Both models again, each with {SEEDS} seeds (seed
            $s$ fixes the initialisation and the batch order). A CNN epoch costs far more than an MLP epoch,
            so to keep this notebook within its runtime each of these runs gets a smaller budget than the
            runs above, the same for both models: the first {COMPARE_IMAGES} training images, {COMPARE_EPOCHS}
            epochs, the learning rates above.
        """, f"""
            Больше ли преимущество CNN, чем везение одного запуска? Обучим обе модели ещё раз, каждую с
            {SEEDS} значениями seed (seed $s$ задаёт инициализацию и порядок батчей). Эпоха свёрточной сети
            стоит намного дороже эпохи MLP, поэтому, чтобы ноутбук уложился в заявленное время, каждый из
            этих запусков получает меньший бюджет, чем запуски выше, одинаковый для обеих моделей: первые
            {COMPARE_IMAGES} обучающих изображений, {COMPARE_EPOCHS} эпохи, те же скорости обучения.
        """),
        code(words(f"""
            COMPARE_IMAGES, COMPARE_EPOCHS = {COMPARE_IMAGES}, {COMPARE_EPOCHS}   # en: the smaller budget of each run # ru: меньший бюджет каждого запуска

            def accuracy_from_seed(make_model, lr, seed):
                \"\"\"Test accuracy of a model trained from `seed` for COMPARE_EPOCHS epochs on the first COMPARE_IMAGES images.\"\"\"
                torch.manual_seed(seed)
                model = make_model().to(device)
                optimizer = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
                subset = DataLoader(TensorDataset(train_x[:COMPARE_IMAGES], train_y[:COMPARE_IMAGES]), batch_size=64,
                                    shuffle=True)
                for epoch in range(COMPARE_EPOCHS):
                    train_epoch(model, subset, criterion, optimizer)
                return evaluate(model, test_loader, criterion)[1]

            models = {{"MLP": (make_mlp, 0.05), "CNN": (CNN, 0.01)}}   # en: the learning rates used above # ru: скорости обучения те же, что выше
            seed_accuracy = {{name: np.array([accuracy_from_seed(make, lr, seed) for seed in range(SEEDS)])
                             for name, (make, lr) in models.items()}}
            for name, acc in seed_accuracy.items():
                print(f"{{name}}: test accuracy {{acc.mean():.3f}} +- {{acc.std():.3f}} over {{SEEDS}} seeds, each",
                      acc.round(3).tolist())
        """, {"Test accuracy of a model trained from `seed` for COMPARE_EPOCHS epochs on the first COMPARE_IMAGES images.":
              "Точность на тесте модели, обученной с этим `seed` COMPARE_EPOCHS эпох на первых COMPARE_IMAGES изображениях.",
              "test accuracy {acc.mean():.3f} +- {acc.std():.3f} over {SEEDS} seeds, each":
              "точность на тесте {acc.mean():.3f} +- {acc.std():.3f} по {SEEDS} seed, по отдельности"})),
        code(words("""
            mlp_accuracy, cnn_accuracy = seed_accuracy["MLP"], seed_accuracy["CNN"]
            gap = cnn_accuracy.mean() - mlp_accuracy.mean()
            spread = max(mlp_accuracy.std(), cnn_accuracy.std())      # en: seed-to-seed spread (std) # ru: разброс между seed (std)
            how = ("on every seed (its worst run beats the MLP's best)" if cnn_accuracy.min() > mlp_accuracy.max()
                   else "on average, by more than twice the seed-to-seed spread")
            display(Markdown(
                f"At this budget the CNN is more accurate {how}: {cnn_accuracy.mean():.1%} ± {cnn_accuracy.std():.1%} "
                f"against {mlp_accuracy.mean():.1%} ± {mlp_accuracy.std():.1%} over {SEEDS} seeds, a gap of "
                f"{100 * gap:.1f} points where the seeds spread each model by {100 * spread:.1f} points at most. "
                f"Convolutions reuse the same small filters at every position of the image, so they need far fewer "
                f"parameters and learn the digits' strokes wherever they are."))
            assert gap > 2 * spread                                   # en: the claim above, checked # ru: проверяем утверждение выше
        """, {'"on every seed (its worst run beats the MLP\'s best)"': '"при каждом seed (её худший запуск лучше лучшего запуска MLP)"',
              '"on average, by more than twice the seed-to-seed spread"': '"в среднем, с отрывом больше двух разбросов между seed"',
              'f"At this budget the CNN is more accurate {how}: ': 'f"С таким бюджетом свёрточная сеть точнее {how}: ',
              'f"against {mlp_accuracy.mean():.1%} ± {mlp_accuracy.std():.1%} over {SEEDS} seeds, a gap of "':
              'f"против {mlp_accuracy.mean():.1%} ± {mlp_accuracy.std():.1%} по {SEEDS} seed: разница "',
              'f"{100 * gap:.1f} points where the seeds spread each model by {100 * spread:.1f} points at most. "':
              'f"{100 * gap:.1f} процентного пункта при разбросе между seed не больше {100 * spread:.1f} пункта у каждой модели. "',
              'f"Convolutions reuse the same small filters at every position of the image, so they need far fewer "':
              'f"Свёртка применяет одни и те же маленькие фильтры в каждой точке изображения, поэтому ей нужно намного "',
              'f"parameters and learn the digits\' strokes wherever they are."':
              'f"меньше параметров, и штрихи цифр она выучивает, где бы они ни находились."'})),
        md("""
            ### Where are the mistakes? The confusion matrix

            Row = true digit, column = predicted digit. With one-hot encodings it is a single matrix product.
        """, """
            ### Где ошибки? Матрица ошибок

            Строка — истинная цифра, столбец — предсказанная. С one-hot-кодированием это одно произведение
            матриц.
        """),
        code(words("""
            cnn.eval()
            with torch.no_grad():
                predictions = cnn(test_x.to(device)).argmax(dim=1).cpu()
            confusion = F.one_hot(test_y, 10).T @ F.one_hot(predictions, 10)   # en: (true, predicted) counts # ru: число пар (истинная, предсказанная)

            fig, ax = plt.subplots(figsize=(4.2, 4.2))
            ax.imshow(confusion.numpy(), cmap="Blues")
            for (i, j), count in np.ndenumerate(confusion.numpy()):
                if count:
                    ax.text(j, i, count, ha="center", va="center", fontsize=7,
                            color="white" if i == j else "black")
            ax.set(xlabel="predicted", ylabel="true", xticks=range(10), yticks=range(10))
            plt.show()

            accuracy = confusion.trace().item() / confusion.sum().item()
            assert accuracy == cnn_history["test accuracy"][-1]
            wrong = (predictions != test_y).nonzero().flatten()[:12]
            show_images(test_x[wrong], titles=[f"{t}→{p}" for t, p in zip(test_y[wrong].tolist(), predictions[wrong].tolist())],
                        ncols=12, figsize=(9, 1.2))
            plt.show()
        """, {'xlabel="predicted", ylabel="true"': 'xlabel="предсказанная", ylabel="истинная"'})),
        md("""
            ## 4. Saving, loading, resuming

            The learned numbers live in `model.state_dict()` (parameters and buffers such as batch norm's
            running statistics). Save that, and rebuild the model from code when loading:

            ```python
            torch.save(model.state_dict(), PATH)
            model = CNN()
            model.load_state_dict(torch.load(PATH))
            model.to(device)
            model.eval()
            ```

            The lecture also shows `torch.save(model, PATH)`, which pickles the whole object, code
            references included. minitorch never pickles (a file must not be able to run code when loaded),
            and PyTorch's `torch.load` refuses such files by default since version 2.6 (`weights_only=True`):
        """, """
            ## 4. Сохранение, загрузка, продолжение обучения

            Выученные числа хранятся в `model.state_dict()` (параметры и буферы, например накопленные
            статистики батч-нормализации). Сохраняйте его, а при загрузке заново создавайте модель кодом:

            ```python
            torch.save(model.state_dict(), PATH)
            model = CNN()
            model.load_state_dict(torch.load(PATH))
            model.to(device)
            model.eval()
            ```

            В лекции показан и `torch.save(model, PATH)`: он сохраняет через pickle весь объект, вместе со
            ссылками на код. minitorch никогда не использует pickle (загрузка файла не должна выполнять
            код), а `torch.load` в PyTorch с версии 2.6 по умолчанию отказывается загружать такие файлы
            (`weights_only=True`):
        """),
        code("""
            checkpoint_dir = tempfile.TemporaryDirectory()          # en: removed at the end of the notebook # ru: удаляется в конце ноутбука
            try:
                torch.save(cnn, os.path.join(checkpoint_dir.name, "model.pth"))
            except TypeError as error:
                print("TypeError:", str(error)[:120], "...")
        """),
        md("""
            To **resume** training later you need more than the weights: the optimizer's state (here the
            momentum buffers), the epoch, and for an exact replay the random number generator. The
            lecture's checkpoint:
        """, """
            Чтобы потом **продолжить** обучение, одних весов мало: нужны состояние оптимизатора (здесь —
            буферы момента), номер эпохи, а для точного повторения — ещё и генератор случайных чисел.
            Контрольная точка из лекции:
        """),
        code(words("""
            epoch = len(cnn_history["train loss"]) - 1
            state = {
                'epoch': epoch + 1,
                'state_dict': cnn.state_dict(),
                'optimizer': cnn_optimizer.state_dict()
            }
            path = os.path.join(checkpoint_dir.name, "my_checkpoint.pth")
            torch.save(state, path)
            print(f"{os.path.getsize(path) / 1e3:.0f} kB;", list(state["state_dict"])[:5], "...")
            print("optimizer state of the first parameter:", list(cnn_optimizer.state_dict()["state"][0]))
        """, {":.0f} kB;": ":.0f} кБ;",
              '"optimizer state of the first parameter:"': '"состояние оптимизатора для первого параметра:"'})),
        *predict(tr("we train 3 more steps from the checkpoint twice: with the original model and optimizer, "
                    "and with a new model and optimizer loaded from the file. Same losses? And if we load "
                    "only the weights and start a fresh optimizer?",
                    "сделаем от контрольной точки ещё 3 шага обучения дважды: исходными моделью и оптимизатором "
                    "и новыми, загруженными из файла. Потери совпадут? А если загрузить только веса и начать "
                    "с нового оптимизатора?"), words("""
            batches = [(train_x[i:i + 64], train_y[i:i + 64]) for i in range(0, 192, 64)]

            def next_losses(model, optimizer):
                \"\"\"Losses of 3 more training steps on fixed batches (dropout's generator seeded).\"\"\"
                torch.manual_seed(1)
                model.train()
                losses = []
                for data, target in batches:
                    optimizer.zero_grad(set_to_none=True)
                    loss = criterion(model(data.to(device)), target.to(device))
                    loss.backward()
                    optimizer.step()
                    losses.append(loss.item())
                return losses

            def from_checkpoint(load_optimizer=True):
                checkpoint = torch.load(path)
                model = CNN().to(device)
                optimizer = make_optimizer(model)
                model.load_state_dict(checkpoint['state_dict'])
                if load_optimizer:
                    optimizer.load_state_dict(checkpoint['optimizer'])
                return model, optimizer, checkpoint['epoch']

            resumed, resumed_optimizer, start_epoch = from_checkpoint()
            weights_only, fresh_optimizer, _ = from_checkpoint(load_optimizer=False)

            continued = next_losses(cnn, cnn_optimizer)
            reloaded = next_losses(resumed, resumed_optimizer)
            restarted = next_losses(weights_only, fresh_optimizer)
            print("continued  ", continued)
            print("resumed    ", reloaded, "from epoch", start_epoch)
            print("fresh optim", restarted)
        """, {"Losses of 3 more training steps on fixed batches (dropout's generator seeded).":
              "Потери ещё 3 шагов обучения на фиксированных батчах (генератор для dropout задан seed).",
              '"continued  "': '"продолжение"', '"resumed    "': '"загрузка   "', '"from epoch"': '"с эпохи"',
              '"fresh optim"': '"новый оптим"'}),
            options=[tr("the same three losses all three times: the weights are the same",
                        "все три раза одни и те же три значения: веса ведь одинаковые"),
                     tr("the resumed run repeats the original exactly; the fresh optimizer matches on the first "
                        "loss only, then differs",
                        "загруженный запуск в точности повторяет исходный; с новым оптимизатором совпадает только "
                        "первое значение, дальше потери расходятся"),
                     tr("the resumed run repeats the original exactly; the fresh optimizer differs from the first "
                        "loss on",
                        "загруженный запуск в точности повторяет исходный; с новым оптимизатором потери расходятся "
                        "с самого первого значения"),
                     tr("all three differ: a model loaded from a file never computes exactly the same numbers",
                        "все три разные: модель, загруженная из файла, никогда не считает в точности те же числа")],
            answer=1, why=tr(
                "The first loss is computed before any step, from the same weights on the same batch with the same "
                "dropout masks (`next_losses` seeds the generator), so all three agree. A momentum step then adds the "
                "momentum buffer: the resumed optimizer has the saved buffers and replays the original run to the "
                "last digit, while the fresh one starts from zero momentum, so its first step already moves the "
                "weights elsewhere and the next losses differ.",
                "Первые потери считаются до всякого шага, по тем же весам на том же батче с теми же масками dropout "
                "(`next_losses` задаёт seed генератора), поэтому все три совпадают. Шаг с моментом добавляет буфер "
                "момента: у загруженного оптимизатора сохранённые буферы, и он повторяет исходный запуск до "
                "последней цифры, а новый начинает с нулевого момента, поэтому уже первый его шаг сдвигает веса "
                "иначе, и следующие потери другие.")),
        code("""
            assert reloaded == continued                 # en: exactly the same next steps # ru: в точности те же следующие шаги
            assert restarted[0] == continued[0]          # en: the same weights give the same first loss ... # ru: те же веса дают те же первые потери...
            assert restarted[1:] != continued[1:]        # en: ... but without the momentum buffers the steps differ # ru: ...но без буферов момента шаги другие
        """),
        md("""
            ## 5. Freezing layers and fine-tuning

            Reuse the trained convolutional features for a new task, "is the digit even or odd?": freeze
            the features (`requires_grad = False`: no gradients, no updates), replace the classifier with
            a new head (new modules have `requires_grad=True`) and give the optimizer only the head's
            parameters.
        """, """
            ## 5. Заморозка слоёв и дообучение

            Используем обученные свёрточные признаки для новой задачи «чётная цифра или нечётная?»:
            заморозим признаки (`requires_grad = False`: ни градиентов, ни обновлений), заменим
            классификатор новой «головой» (у новых модулей `requires_grad=True`) и передадим оптимизатору
            только параметры головы.
        """),
        code(words("""
            model = resumed
            for param in model.features.parameters():
                param.requires_grad = False
            # en: Replace the last layers; parameters of newly constructed modules have requires_grad=True by default
            # ru: Заменяем последние слои; у параметров только что созданных модулей по умолчанию requires_grad=True
            model.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32 * 7 * 7, 2)).to(device)
            # en: Optimize only the classifier
            # ru: Оптимизируем только классификатор
            optimizer = optim.SGD(model.classifier.parameters(), lr=1e-2, momentum=0.9)

            trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
            total = sum(p.numel() for p in model.parameters())
            print(f"training {trainable} of {total} parameters")
        """, {'f"training {trainable} of {total} parameters"': 'f"обучаем {trainable} из {total} параметров"'})),
        *predict(tr("`requires_grad = False` stops the features' weights from changing. Does it also stop "
                    "batch norm's running statistics from changing in `model.train()` mode?",
                    "`requires_grad = False` не даёт меняться весам признаков. А накопленным статистикам "
                    "батч-нормализации в режиме `model.train()` оно тоже не даёт меняться?"), words("""
            probe = from_checkpoint()[0]         # en: a spare copy of the trained CNN # ru: запасная копия обученной CNN
            for param in probe.parameters():
                param.requires_grad = False
            before = probe.features[1].running_mean.clone()
            probe.train()
            probe(train_x[:64].to(device))       # en: one forward pass in train mode, no optimizer at all # ru: один прямой проход в режиме train, без всякого оптимизатора
            changed = not torch.equal(before, probe.features[1].running_mean)
            print("running_mean changed:", changed)
        """, {'"running_mean changed:"': '"running_mean изменилось:"'}),
            options=[tr("yes: frozen means nothing changes", "да: заморожено — значит, ничего не меняется"),
                     tr("no: batch norm still updates its running statistics",
                        "нет: батч-нормализация всё равно обновляет накопленные статистики")],
            answer=1, why=tr("The running mean and variance are buffers, not parameters: they are updated by every "
                             "forward pass in train mode, with or without gradients.",
                             "Скользящие среднее и дисперсия — буферы, а не параметры: их обновляет каждый прямой "
                             "проход в режиме train, с градиентами или без.")),
        code("""
            assert changed
        """),
        md("""
            Batch norm updates its statistics in every forward pass in train mode, gradients or not. A
            frozen block should stay in eval mode: here a `Sequential` that ignores `train()`.
        """, """
            Батч-нормализация обновляет свои статистики при каждом прямом проходе в режиме train, есть
            градиенты или нет. Замороженный блок должен оставаться в режиме eval: здесь это `Sequential`,
            который не слушается `train()`.
        """),
        code(words("""
            class Frozen(nn.Sequential):
                \"\"\"A block that always stays in eval mode (dropout off, batch norm statistics fixed).\"\"\"
                def train(self, mode=True):
                    return super().train(False)

            model.features = Frozen(*model.features)     # en: the same layers, now always in eval mode # ru: те же слои, теперь всегда в режиме eval
            frozen_before = {k: v.clone() for k, v in model.features.state_dict().items()}

            parity = lambda y: y % 2                     # en: the new labels: 0 even, 1 odd # ru: новые метки: 0 — чётная, 1 — нечётная
            train_loader = DataLoader(TensorDataset(train_x, parity(train_y)), batch_size=64, shuffle=True)
            test_loader = DataLoader(TensorDataset(test_x, parity(test_y)), batch_size=500)
            finetune_history = fit(model, optimizer, epochs=1, name="fine-tune")
            print(f"even/odd test accuracy after one epoch of the head only: {finetune_history['test accuracy'][-1]:.3f}")
        """, {"A block that always stays in eval mode (dropout off, batch norm statistics fixed).":
              "Блок, который всегда остаётся в режиме eval (dropout выключен, статистики батч-нормализации не меняются).",
              'name="fine-tune"': 'name="дообучение"',
              "even/odd test accuracy after one epoch of the head only:":
              "точность «чётная/нечётная» на тесте после одной эпохи обучения одной головы:"})),
        code(words("""
            unchanged = all(torch.equal(v, model.features.state_dict()[k]) for k, v in frozen_before.items())
            print("features (weights and statistics) unchanged:", unchanged)
            assert unchanged
            assert finetune_history["test accuracy"][-1] >= 0.9
            checkpoint_dir.cleanup()
        """, {'"features (weights and statistics) unchanged:"': '"признаки (веса и статистики) не изменились:"'})),
        md("""
            ## 6. Fine-tuning a pretrained model

            The usual case: someone trained a network on a large dataset, and you have few labelled examples
            of a related task. minitorch ships such a model: `resnet8(weights="DIGITS04")`, a small ResNet
            trained on the digits **0-4** only. Our task: the digits **5-9**, with just 50 labelled images of
            each. The lecture's recipe: freeze every parameter, replace the last layer (`fc`) with a new one
            for the new classes, and optimise only that layer.
        """, """
            ## 6. Дообучение предобученной модели

            Обычная ситуация: кто-то обучил сеть на большом датасете, а у вас мало размеченных примеров
            родственной задачи. В minitorch есть такая модель: `resnet8(weights="DIGITS04")` — небольшая
            ResNet, обученная только на цифрах **0-4**. Наша задача — цифры **5-9**, всего по 50
            размеченных изображений каждой. Рецепт лекции: заморозить все параметры, заменить последний
            слой (`fc`) новым, под новые классы, и оптимизировать только его.
        """),
        code(words("""
            model = resnet8(weights="DIGITS04")               # en: bundled weights: no download # ru: веса в комплекте: ничего не скачиваем
            for param in model.parameters():
                param.requires_grad = False                   # en: freeze the whole network # ru: замораживаем всю сеть
            model.fc = nn.Linear(model.fc.in_features, 5)     # en: a new head: digits 5-9 (trainable) # ru: новая голова: цифры 5-9 (обучаемая)
            optimizer = optim.SGD(model.fc.parameters(), lr=0.1, momentum=0.9)

            x_all, y_all = load_digits(range(5, 10), train=True)       # en: labels 0-4 stand for the digits 5-9 # ru: метки 0-4 обозначают цифры 5-9
            few = torch.cat([(y_all == c).nonzero().flatten()[:50] for c in range(5)])   # en: the first 50 of each # ru: первые 50 изображений каждой цифры
            x_few, y_few = x_all[few], y_all[few]
            x_new_test, y_new_test = load_digits(range(5, 10), train=False)           # en: 500 held-out images # ru: 500 отложенных изображений
            print(x_few.shape, "per digit:", F.one_hot(y_few, 5).sum(0).tolist(), "| test:", x_new_test.shape)
            print("trainable:", [name for name, p in model.named_parameters() if p.requires_grad])
        """, {'"per digit:"': '"по цифрам:"', '"| test:"': '"| тест:"', '"trainable:"': '"обучаются:"'})),
        md("""
            A frozen backbone computes the same features every epoch, so we compute them once (everything
            before `fc`: `model.fc = nn.Identity()` for a moment) and train the head on them, which is exactly
            what the recipe trains. What did pretraining buy? Two comparisons, each over 5 seeds: the same
            head on the features of the **same architecture with random weights** (frozen too), and the same
            head on the **raw 784 pixels**.
        """, """
            Замороженная основа сети (backbone) в каждой эпохе вычисляет одни и те же признаки, поэтому
            вычислим их один раз (всё, что до `fc`: ненадолго `model.fc = nn.Identity()`) и обучим голову на
            них — рецепт обучает ровно это. Что дало предобучение? Два сравнения, каждое по 5 значениям seed:
            та же голова на признаках **той же архитектуры со случайными весами** (тоже замороженной) и та
            же голова на **исходных 784 пикселях**.
        """),
        code(words("""
            def features_of(backbone, *images):
                \"\"\"The backbone's output before its head, for each batch of images (frozen: eval, no graph).\"\"\"
                head, backbone.fc = backbone.fc, nn.Identity()
                backbone.eval()
                with torch.no_grad():
                    out = [backbone(x) for x in images]
                backbone.fc = head
                return out

            def train_head(x, x_test, seed, epochs=30):
                \"\"\"A new linear head trained on fixed inputs x; its accuracy on x_test.\"\"\"
                torch.manual_seed(seed)
                linear = nn.Linear(x.shape[1], 5)
                opt = optim.SGD(linear.parameters(), lr=0.1, momentum=0.9)
                loader = DataLoader(TensorDataset(x, y_few), batch_size=25, shuffle=True)
                for epoch in range(epochs):
                    for xb, yb in loader:
                        opt.zero_grad()
                        F.cross_entropy(linear(xb), yb).backward()
                        opt.step()
                with torch.no_grad():
                    return (linear(x_test).argmax(1) == y_new_test).float().mean().item()

            pretrained_features = features_of(model, x_few, x_new_test)
            print("features per image:", pretrained_features[0].shape[1])

            def random_backbone(seed):
                torch.manual_seed(seed)
                return resnet8(num_classes=5)       # en: the same network, untrained # ru: та же сеть, необученная

            compared = {
                "pretrained backbone (0-4) + head": [train_head(*pretrained_features, s) for s in range(SEEDS)],
                "random backbone + head": [train_head(*features_of(random_backbone(s), x_few, x_new_test), s)
                                           for s in range(SEEDS)],
                "raw pixels + head": [train_head(x_few.flatten(1), x_new_test.flatten(1), s) for s in range(SEEDS)],
            }
            compared = {name: np.array(acc) for name, acc in compared.items()}
            for name, acc in compared.items():
                print(f"{name:34s} test accuracy on digits 5-9: {acc.mean():.3f} +- {acc.std():.3f} ({SEEDS} seeds)")
        """, {"The backbone's output before its head, for each batch of images (frozen: eval, no graph).":
              "Выход основы сети до головы для каждого батча изображений (заморожена: режим eval, без графа).",
              "A new linear head trained on fixed inputs x; its accuracy on x_test.":
              "Новая линейная голова, обученная на фиксированных входах x; её точность на x_test.",
              '"features per image:"': '"признаков на изображение:"',
              '"pretrained backbone (0-4) + head"': '"обученная на 0-4 основа + голова"',
              '"random backbone + head"': '"случайная основа + голова"', '"raw pixels + head"': '"пиксели + голова"',
              "test accuracy on digits 5-9: {acc.mean():.3f} +- {acc.std():.3f} ({SEEDS} seeds)":
              "точность на тесте (цифры 5-9): {acc.mean():.3f} +- {acc.std():.3f} ({SEEDS} seed)"})),
        code(words("""
            pretrained, random_init, raw = compared.values()
            versus_raw = ("better than" if pretrained.mean() - raw.mean() > 2 * max(pretrained.std(), raw.std())
                          else "about as good as")
            display(Markdown(
                f"Pretraining is what makes the frozen features useful: the same network with random weights "
                f"gives a head {random_init.mean():.1%} accuracy, the pretrained one {pretrained.mean():.1%} "
                f"(every seed: worst pretrained {pretrained.min():.1%}, best random {random_init.max():.1%}). "
                f"Against raw pixels ({raw.mean():.1%}) the pretrained features are {versus_raw} them: features "
                f"learned on the digits 0-4 only partly fit 5-9. The next step of the recipe is to unfreeze the "
                f"last block too (`model.layer3`) with a small learning rate: fine-tuning proper (Try it)."))
            assert pretrained.min() > random_init.max()          # en: every seed # ru: при каждом seed
            assert all(not p.requires_grad for name, p in model.named_parameters() if not name.startswith("fc."))
        """, {'"better than"': '"лучше них"', '"about as good as"': '"примерно так же хороши, как они"',
              'f"Pretraining is what makes the frozen features useful: the same network with random weights "':
              'f"Замороженные признаки полезны именно благодаря предобучению: с той же сетью со случайными весами "',
              'f"gives a head {random_init.mean():.1%} accuracy, the pretrained one {pretrained.mean():.1%} "':
              'f"голова достигает точности {random_init.mean():.1%}, с предобученной — {pretrained.mean():.1%} "',
              'f"(every seed: worst pretrained {pretrained.min():.1%}, best random {random_init.max():.1%}). "':
              'f"(при каждом seed: худшая предобученная {pretrained.min():.1%}, лучшая случайная {random_init.max():.1%}). "',
              'f"Against raw pixels ({raw.mean():.1%}) the pretrained features are {versus_raw} them: features "':
              'f"По сравнению с исходными пикселями ({raw.mean():.1%}) предобученные признаки {versus_raw}: признаки, "',
              'f"learned on the digits 0-4 only partly fit 5-9. The next step of the recipe is to unfreeze the "':
              'f"выученные на цифрах 0-4, лишь отчасти подходят для 5-9. Следующий шаг рецепта — разморозить и "',
              'f"last block too (`model.layer3`) with a small learning rate: fine-tuning proper (Try it)."':
              'f"последний блок (`model.layer3`) с маленькой скоростью обучения: это и есть дообучение в полном смысле '
              '(«Попробуйте сами»)."'})),
        *try_it([
            (tr("Replace `optim.SGD(..., lr=0.05, momentum=0.9)` by `optim.Adam(..., lr=1e-3)` for the MLP.",
                "Замените для MLP `optim.SGD(..., lr=0.05, momentum=0.9)` на `optim.Adam(..., lr=1e-3)`."), tr("""
                `fit(mlp, optim.Adam(mlp.parameters(), lr=1e-3), epochs=5, name="MLP")` (rebuild `mlp` first with
                `torch.manual_seed(0)`), and compare the two `history["test accuracy"]` curves epoch by epoch. One run
                each is an anecdote: repeat with a few seeds before concluding which optimizer is better here.
            """, """
                `fit(mlp, optim.Adam(mlp.parameters(), lr=1e-3), epochs=5, name="MLP")` (сначала заново создайте `mlp`
                после `torch.manual_seed(0)`) и сравните две кривые `history["test accuracy"]` по эпохам. Один запуск
                каждого — это случай, а не вывод: прежде чем решать, какой оптимизатор здесь лучше, повторите с
                несколькими значениями seed.
            """)),
            (tr("Remove the `BatchNorm` layers from the CNN: how do the learning curves change? Can you then use a larger "
                "learning rate?",
                "Уберите из CNN слои `BatchNorm`: как изменятся кривые обучения? Можно ли тогда взять скорость "
                "обучения побольше?"), tr("""
                Delete the two `nn.BatchNorm2d` lines and run `fit` with `lr` 0.01, 0.05 and 0.1, with and without
                them. Batch norm keeps every layer's input at a fixed scale whatever the weights do, which is what
                usually lets a network take larger steps; without it, watch for the loss jumping or the accuracy
                stalling at the larger learning rates.
            """, """
                Удалите оба `nn.BatchNorm2d` и запустите `fit` с `lr` 0.01, 0.05 и 0.1, с ними и без них.
                Батч-нормализация держит вход каждого слоя в одном масштабе, что бы ни делали веса, — обычно именно
                это позволяет сети делать шаги побольше; без неё при больших скоростях обучения следите, не скачут
                ли потери и не застревает ли точность.
            """)),
            (tr("Add a `StepLR` scheduler to `fit` (one `scheduler.step()` per epoch) and resume it too.",
                "Добавьте в `fit` планировщик `StepLR` (один `scheduler.step()` за эпоху) и научитесь продолжать "
                "и его."), tr("""
                Create `scheduler = StepLR(optimizer, step_size=2, gamma=0.5)`, call `scheduler.step()` after each
                epoch, save `'scheduler': scheduler.state_dict()` in the checkpoint and
                `scheduler.load_state_dict(checkpoint['scheduler'])` when resuming; otherwise the resumed run
                restarts the schedule at the initial learning rate.
            """, """
                Создайте `scheduler = StepLR(optimizer, step_size=2, gamma=0.5)`, вызывайте `scheduler.step()` после
                каждой эпохи, сохраните в контрольной точке `'scheduler': scheduler.state_dict()`, а при продолжении
                вызовите `scheduler.load_state_dict(checkpoint['scheduler'])`; иначе продолженное обучение начнёт
                расписание заново, с начальной скорости обучения.
            """)),
            (tr("Fine-tune the pretrained ResNet of section 6 properly: unfreeze its last block `model.layer3` and train it "
                "with the head, on the 250 images, a few epochs.",
                "Дообучите предобученную ResNet из раздела 6 по-настоящему: разморозьте её последний блок "
                "`model.layer3` и обучите его вместе с головой на тех же 250 изображениях несколько эпох."),
             with_code("""
                ```python
                for p in model.layer3.parameters():
                    p.requires_grad = True
                optimizer = optim.SGD([{"params": model.layer3.parameters(), "lr": 1e-3},
                                       {"params": model.fc.parameters(), "lr": 1e-2}], momentum=0.9)
                loader = DataLoader(TensorDataset(x_few, y_few), batch_size=25, shuffle=True)
                for epoch in range(5):
                    model.train()
                    for frozen in (model.bn1, model.layer1, model.layer2):
                        frozen.eval()                              # en: frozen blocks keep their batch-norm statistics # ru: замороженные блоки сохраняют статистики батч-нормализации
                    for xb, yb in loader:
                        optimizer.zero_grad()
                        F.cross_entropy(model(xb), yb).backward()
                        optimizer.step()
                ```""", """
                Now the last block adapts to the digits 5-9; evaluate with `model.eval()` on `x_new_test` and
                compare with the frozen numbers above, over a few seeds. It costs a backward pass through
                `layer3` per batch, which the frozen version avoided.
            """, """
                Теперь последний блок подстраивается под цифры 5-9; оцените модель в режиме `model.eval()` на
                `x_new_test` и сравните с числами для замороженной сети выше, по нескольким значениям seed. Это
                стоит обратного прохода через `layer3` на каждом батче, которого замороженный вариант избегал.
            """)),
            (tr("Fine-tune with per-layer learning rates instead of freezing: features at `1e-4`, head at `1e-2`.",
                "Дообучите с разными скоростями обучения для слоёв вместо заморозки: признаки с `1e-4`, голова с "
                "`1e-2`."), with_code("""
                ```python
                optimizer = optim.SGD([{"params": model.features.parameters(), "lr": 1e-4},
                                       {"params": model.classifier.parameters()}], lr=1e-2, momentum=0.9)
                ```""", """
                (and `requires_grad = True` on the features again). The features then adapt slowly to the new task.
            """, """
                (и снова `requires_grad = True` у признаков). Тогда признаки медленно подстраиваются под новую задачу.
            """)),
        ]),
        homework(8, """
            write the backward of a 2-d convolution (the layer the CNN above is built from) and check it with `gradcheck`.
        """, """
            напишите обратный проход двумерной свёртки (слоя, из которого построена CNN выше) и проверьте его
            с помощью `gradcheck`.
        """),
    ]
