"""Builds notebooks/08_training_a_network.ipynb: modules, the training loop, checkpoints, fine-tuning.

Follows the nn / training part of the source course's PyTorch tutorial (nn.Linear, nn.Sequential
with OrderedDict names, state_dict, init_normal, train_epoch, CrossEntropyLoss = tensor(1.4076),
saving and the checkpoint dict), freezing layers and fine-tuning a pretrained model (the course's
fine-tuning slide, here with the digits model that ships with minitorch).
"""

from notebooks._build.common import code, header, homework, imports_cell, md, predict, quiz_cell, setup_cell, try_it

SEEDS = 5  # the fine-tuning comparison is repeated with this many seeds

FILE = "08_training_a_network.ipynb"
RUNTIME_S = 40


def cells():
    return [
        header(8, "Training a network", FILE, [
            "build models with `nn.Module`, `nn.Sequential` (named layers), `state_dict` and `apply`",
            "write the training loop: `zero_grad`, forward, loss, `backward`, `step`, and evaluation",
            "train an MLP and a small CNN (dropout, batch norm) on digits, with progress bars and learning curves",
            "read a confusion matrix",
            "save a checkpoint and resume training exactly where it stopped",
            "freeze layers and fine-tune a new head, on a pretrained model too",
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
            torch.backends.cudnn.deterministic = True   # on a GPU too, a resumed run must replay exactly
        """, f"SEEDS = {SEEDS}   # the fine-tuning comparison is repeated with this many seeds"),
        quiz_cell(),
        md("""
            ## 1. Modules

            A layer is an `nn.Module` that owns its parameters. The simplest one, a linear layer
            $y = xW^T + b$:
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
            print(net.state_dict())   # every parameter (and buffer) of the network, by name
        """),
        md("""
            `net.apply(fn)` calls `fn` on every submodule (children first, then the module itself): the
            usual way to initialise weights.
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
        """),
        code("""
            class MLP(nn.Module):
                def __init__(self):
                    super().__init__()             # register the module machinery first
                    self.hidden = nn.Linear(10, 5)  # hidden layer
                    self.out = nn.Linear(5, 2)      # output layer

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
        """),
        *predict("for scores `[1, 2, 3]` and the right class 1, what is the loss? (Hint: "
                 "$-\\log\\frac{e^2}{e^1 + e^2 + e^3}$.)", """
            loss = nn.CrossEntropyLoss()
            a = torch.tensor([[1.0, 2.0, 3.0]])
            y = torch.tensor([1])
            print(a, y, loss(a, y))
        """),
        code("""
            by_hand = -torch.log_softmax(a, dim=1)[0, 1]
            assert torch.allclose(loss(a, y), by_hand) and torch.allclose(loss(a, y), F.nll_loss(F.log_softmax(a, dim=1), y))
            assert round(loss(a, y).item(), 4) == 1.4076
        """),
        md("""
            ## 2. Data: `Dataset` and `DataLoader`

            A `Dataset` answers `len(ds)` and `ds[i]`; a `DataLoader` draws batches from it (shuffled if
            asked) and stacks them into tensors. The lecture's toy example, $y = x^2$:
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
        """),
        code("""
            transform = transforms.Compose([
                transforms.ToTensor(),                          # PIL image -> float tensor in [0, 1], 1x28x28
                transforms.Normalize((0.1307,), (0.3081,)),     # -> mean 0, std 1
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
        """),
        code("""
            def as_tensors(ds):
                x = (ds.data.float().unsqueeze(1) / 255 - 0.1307) / 0.3081     # N x 1 x 28 x 28
                return x, ds.targets

            train_x, train_y = as_tensors(train_set)
            test_x, test_y = as_tensors(test_set)
            assert torch.allclose(train_x[0], train_set[0][0], atol=1e-6) and train_y[0] == train_set[0][1]

            train_loader = DataLoader(TensorDataset(train_x, train_y), batch_size=64, shuffle=True)
            test_loader = DataLoader(TensorDataset(test_x, test_y), batch_size=500)
            print(len(train_loader), "batches per epoch")
        """),
        md("""
            ## 3. The training loop

            The lecture's `train_epoch`, unchanged: for each batch, clear the old gradients, move the data
            to the model's device, forward, loss, backward, step.
        """),
        code("""
            device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")

            def train_epoch(model, train_loader, criterion, optimizer):
                model.train()
                running_loss = 0.0
                for batch_idx, (data, target) in enumerate(train_loader):
                    optimizer.zero_grad(set_to_none=True)  # ~ model.zero_grad(): gradients must not accumulate
                    data = data.to(device)
                    target = target.to(device)         # to the model's device
                    outputs = model(data)              # the network's output
                    loss = criterion(outputs, target)  # the loss of this output
                    running_loss += loss.item()
                    loss.backward()                    # gradients of the loss w.r.t. the parameters
                    optimizer.step()                   # a step against the gradient
                running_loss /= len(train_loader)
                return running_loss

            def evaluate(model, loader, criterion):
                \"\"\"Mean loss and accuracy over the loader, in eval mode and without building graphs.\"\"\"
                model.eval()                           # dropout off, batch norm uses its running statistics
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
                # a text progress bar without timings: its last state is what the notebook keeps
                bar = tqdm(range(epochs), desc=name, file=sys.stdout, mininterval=0,
                           bar_format="{desc}: {percentage:3.0f}%|{bar}| epoch {n_fmt}/{total_fmt}{postfix}")
                for epoch in bar:
                    train_loss = train_epoch(model, train_loader, criterion, optimizer)
                    test_loss, test_accuracy = evaluate(model, test_loader, criterion)
                    for key, value in zip(history, (train_loss, test_loss, test_accuracy)):
                        history[key].append(value)
                    bar.set_postfix(loss=f"{train_loss:.3f}", accuracy=f"{test_accuracy:.3f}")
                return history
        """),
        md("""
            ### An MLP with batch norm and dropout

            `BatchNorm1d` normalises each hidden unit over the batch (and keeps running averages for
            evaluation); `Dropout` zeroes random units during training only. Both behave differently in
            `train()` and `eval()` mode, which is why `train_epoch` and `evaluate` switch modes.
        """),
        code("""
            torch.manual_seed(0)
            mlp = nn.Sequential(
                nn.Flatten(),                   # 1x28x28 -> 784
                nn.Linear(784, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(0.2),
                nn.Linear(256, 10),
            ).to(device)
            mlp_history = fit(mlp, optim.SGD(mlp.parameters(), lr=0.05, momentum=0.9), epochs=5, name="MLP")
            print(f"MLP test accuracy: {mlp_history['test accuracy'][-1]:.3f}")
            assert mlp_history["test accuracy"][-1] >= 0.90
        """),
        md("""
            ### A small CNN

            Two convolution blocks (conv, batch norm, ReLU, 2x2 max pooling: 28 -> 14 -> 7) extract
            features, a linear layer classifies them. The two parts are named `features` and `classifier`,
            as in torchvision's models, so we can treat them differently later.
        """),
        code("""
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
        """),
        code("""
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
            display(Markdown(
                f"The CNN has {n_params['MLP'] / n_params['CNN']:.0f}x fewer parameters than the MLP and makes "
                f"{mistakes['CNN']} mistakes on the {len(test_y)} test digits against the MLP's {mistakes['MLP']} "
                f"(one seed each: the gap is far larger than the seed-to-seed spread of about a point seen in "
                f"lectures 5 and 6). Convolutions reuse the same small filters at every position, which suits images."))
        """),
        md("""
            ### Where are the mistakes? The confusion matrix

            Row = true digit, column = predicted digit. With one-hot encodings it is a single matrix product.
        """),
        code("""
            cnn.eval()
            with torch.no_grad():
                predictions = cnn(test_x.to(device)).argmax(dim=1).cpu()
            confusion = F.one_hot(test_y, 10).T @ F.one_hot(predictions, 10)   # (true, predicted) counts

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
        """),
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
        """),
        code("""
            checkpoint_dir = tempfile.TemporaryDirectory()          # removed at the end of the notebook
            try:
                torch.save(cnn, os.path.join(checkpoint_dir.name, "model.pth"))
            except TypeError as error:
                print("TypeError:", str(error)[:120], "...")
        """),
        md("""
            To **resume** training later you need more than the weights: the optimizer's state (here the
            momentum buffers), the epoch, and for an exact replay the random number generator. The
            lecture's checkpoint:
        """),
        code("""
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
        """),
        *predict("we train 3 more steps from the checkpoint twice: with the original model and optimizer, "
                 "and with a new model and optimizer loaded from the file. Same losses? And if we load "
                 "only the weights and start a fresh optimizer?", """
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
        """),
        code("""
            assert reloaded == continued                 # exactly the same next steps
            assert restarted[0] == continued[0]          # the same weights give the same first loss ...
            assert restarted[1:] != continued[1:]        # ... but without the momentum buffers the steps differ
        """),
        md("""
            ## 5. Freezing layers and fine-tuning

            Reuse the trained convolutional features for a new task, "is the digit even or odd?": freeze
            the features (`requires_grad = False`: no gradients, no updates), replace the classifier with
            a new head (new modules have `requires_grad=True`) and give the optimizer only the head's
            parameters.
        """),
        code("""
            model = resumed
            for param in model.features.parameters():
                param.requires_grad = False
            # Replace the last layers; parameters of newly constructed modules have requires_grad=True by default
            model.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32 * 7 * 7, 2)).to(device)
            # Optimize only the classifier
            optimizer = optim.SGD(model.classifier.parameters(), lr=1e-2, momentum=0.9)

            trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
            total = sum(p.numel() for p in model.parameters())
            print(f"training {trainable} of {total} parameters")
        """),
        *predict("`requires_grad = False` stops the features' weights from changing. Does it also stop "
                 "batch norm's running statistics from changing in `model.train()` mode?", """
            probe = from_checkpoint()[0]         # a spare copy of the trained CNN
            for param in probe.parameters():
                param.requires_grad = False
            before = probe.features[1].running_mean.clone()
            probe.train()
            probe(train_x[:64].to(device))       # one forward pass in train mode, no optimizer at all
            changed = not torch.equal(before, probe.features[1].running_mean)
            print("running_mean changed:", changed)
        """, options=["yes: frozen means nothing changes", "no: batch norm still updates its running statistics"],
            answer=1, why="the running mean and variance are buffers, not parameters: they are updated by every "
            "forward pass in train mode, with or without gradients."),
        code("""
            assert changed
        """),
        md("""
            Batch norm updates its statistics in every forward pass in train mode, gradients or not. A
            frozen block should stay in eval mode: here a `Sequential` that ignores `train()`.
        """),
        code("""
            class Frozen(nn.Sequential):
                \"\"\"A block that always stays in eval mode (dropout off, batch norm statistics fixed).\"\"\"
                def train(self, mode=True):
                    return super().train(False)

            model.features = Frozen(*model.features)     # the same layers, now always in eval mode
            frozen_before = {k: v.clone() for k, v in model.features.state_dict().items()}

            parity = lambda y: y % 2                     # the new labels: 0 even, 1 odd
            train_loader = DataLoader(TensorDataset(train_x, parity(train_y)), batch_size=64, shuffle=True)
            test_loader = DataLoader(TensorDataset(test_x, parity(test_y)), batch_size=500)
            finetune_history = fit(model, optimizer, epochs=1, name="fine-tune")
            print(f"even/odd test accuracy after one epoch of the head only: {finetune_history['test accuracy'][-1]:.3f}")
        """),
        code("""
            unchanged = all(torch.equal(v, model.features.state_dict()[k]) for k, v in frozen_before.items())
            print("features (weights and statistics) unchanged:", unchanged)
            assert unchanged
            assert finetune_history["test accuracy"][-1] >= 0.9
            checkpoint_dir.cleanup()
        """),
        md("""
            ## 6. Fine-tuning a pretrained model

            The usual case: someone trained a network on a large dataset, and you have few labelled examples
            of a related task. minitorch ships such a model: `resnet8(weights="DIGITS04")`, a small ResNet
            trained on the digits **0-4** only. Our task: the digits **5-9**, with just 50 labelled images of
            each. The lecture's recipe: freeze every parameter, replace the last layer (`fc`) with a new one
            for the new classes, and optimise only that layer.
        """),
        code("""
            model = resnet8(weights="DIGITS04")               # bundled weights: no download
            for param in model.parameters():
                param.requires_grad = False                   # freeze the whole network
            model.fc = nn.Linear(model.fc.in_features, 5)     # a new head: digits 5-9 (trainable)
            optimizer = optim.SGD(model.fc.parameters(), lr=0.1, momentum=0.9)

            x_all, y_all = load_digits(range(5, 10), train=True)       # labels 0-4 stand for the digits 5-9
            few = torch.cat([(y_all == c).nonzero().flatten()[:50] for c in range(5)])   # the first 50 of each
            x_few, y_few = x_all[few], y_all[few]
            x_new_test, y_new_test = load_digits(range(5, 10), train=False)           # 500 held-out images
            print(x_few.shape, "per digit:", F.one_hot(y_few, 5).sum(0).tolist(), "| test:", x_new_test.shape)
            print("trainable:", [name for name, p in model.named_parameters() if p.requires_grad])
        """),
        md("""
            A frozen backbone computes the same features every epoch, so we compute them once (everything
            before `fc`: `model.fc = nn.Identity()` for a moment) and train the head on them, which is exactly
            what the recipe trains. What did pretraining buy? Two comparisons, each over 5 seeds: the same
            head on the features of the **same architecture with random weights** (frozen too), and the same
            head on the **raw 784 pixels**.
        """),
        code("""
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
                return resnet8(num_classes=5)       # the same network, untrained

            compared = {
                "pretrained backbone (0-4) + head": [train_head(*pretrained_features, s) for s in range(SEEDS)],
                "random backbone + head": [train_head(*features_of(random_backbone(s), x_few, x_new_test), s)
                                           for s in range(SEEDS)],
                "raw pixels + head": [train_head(x_few.flatten(1), x_new_test.flatten(1), s) for s in range(SEEDS)],
            }
            compared = {name: np.array(acc) for name, acc in compared.items()}
            for name, acc in compared.items():
                print(f"{name:34s} test accuracy on digits 5-9: {acc.mean():.3f} +- {acc.std():.3f} ({SEEDS} seeds)")
        """),
        code("""
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
            assert pretrained.min() > random_init.max()          # every seed
            assert all(not p.requires_grad for name, p in model.named_parameters() if not name.startswith("fc."))
        """),
        *try_it([
            ("Replace `optim.SGD(..., lr=0.05, momentum=0.9)` by `optim.Adam(..., lr=1e-3)` for the MLP.", """
                `fit(mlp, optim.Adam(mlp.parameters(), lr=1e-3), epochs=5, name="MLP")` (rebuild `mlp` first with
                `torch.manual_seed(0)`), and compare the two `history["test accuracy"]` curves epoch by epoch. One run
                each is an anecdote: repeat with a few seeds before concluding which optimizer is better here.
            """),
            ("Remove the `BatchNorm` layers from the CNN: how do the learning curves change? Can you then use a larger "
             "learning rate?", """
                Delete the two `nn.BatchNorm2d` lines and run `fit` with `lr` 0.01, 0.05 and 0.1, with and without
                them. Batch norm keeps every layer's input at a fixed scale whatever the weights do, which is what
                usually lets a network take larger steps; without it, watch for the loss jumping or the accuracy
                stalling at the larger learning rates.
            """),
            ("Add a `StepLR` scheduler to `fit` (one `scheduler.step()` per epoch) and resume it too.", """
                Create `scheduler = StepLR(optimizer, step_size=2, gamma=0.5)`, call `scheduler.step()` after each
                epoch, save `'scheduler': scheduler.state_dict()` in the checkpoint and
                `scheduler.load_state_dict(checkpoint['scheduler'])` when resuming; otherwise the resumed run
                restarts the schedule at the initial learning rate.
            """),
            ("Fine-tune the pretrained ResNet of section 6 properly: unfreeze its last block `model.layer3` and train it "
             "with the head, on the 250 images, a few epochs.", """
                ```python
                for p in model.layer3.parameters():
                    p.requires_grad = True
                optimizer = optim.SGD([{"params": model.layer3.parameters(), "lr": 1e-3},
                                       {"params": model.fc.parameters(), "lr": 1e-2}], momentum=0.9)
                loader = DataLoader(TensorDataset(x_few, y_few), batch_size=25, shuffle=True)
                for epoch in range(5):
                    model.train()
                    for frozen in (model.bn1, model.layer1, model.layer2):
                        frozen.eval()                              # frozen blocks keep their batch-norm statistics
                    for xb, yb in loader:
                        optimizer.zero_grad()
                        F.cross_entropy(model(xb), yb).backward()
                        optimizer.step()
                ```
                Now the last block adapts to the digits 5-9; evaluate with `model.eval()` on `x_new_test` and
                compare with the frozen numbers above, over a few seeds. It costs a backward pass through
                `layer3` per batch, which the frozen version avoided.
            """),
            ("Fine-tune with per-layer learning rates instead of freezing: features at `1e-4`, head at `1e-2`.", """
                ```python
                optimizer = optim.SGD([{"params": model.features.parameters(), "lr": 1e-4},
                                       {"params": model.classifier.parameters()}], lr=1e-2, momentum=0.9)
                ```
                (and `requires_grad = True` on the features again). The features then adapt slowly to the new task.
            """),
        ]),
        homework(8, """
            write the backward of a 2-d convolution (the layer the CNN above is built from) and check it with `gradcheck`.
        """),
    ]
