"""Builds notebooks/06_data_augmentation.ipynb: Dataset, DataLoader, transforms and augmentation.

The source course's "Overfitting: augmentation" slides (small rotations, flips, colour changes, shifts),
the tutorial's TensorDataset / DataLoader example, the MNIST loader with
ColorJitter + RandomRotation((-15, 15)) + ToTensor + Normalize, the custom ``Noise`` transform and
``CustomTextDataset``; the homework asks for rotations of -15..15, random shifts and noise.
"""

from notebooks._build.common import (code, header, homework, imports_cell, md, predict, quiz_cell, setup_cell, tr,
                                     try_it, write_and_execute, with_code)

SEEDS = 5  # plain vs augmented training is compared over this many seeds

FILE = "06_data_augmentation.ipynb"
RUNTIME_S = 35


def cells():
    plain, augmented = tr("plain", "без аугментации"), tr("augmented", "с аугментацией")
    return [
        header(6, tr("Datasets, loaders and data augmentation", "Датасеты, загрузчики и аугментация данных"), FILE, [
            tr("wrap data in a `Dataset` (ready-made or your own) and batch it with a `DataLoader`",
               "оборачивать данные в `Dataset` (готовый или свой) и подавать их батчами через `DataLoader`"),
            tr("chain image transforms with `transforms.Compose`",
               "собирать преобразования изображений в цепочку с `transforms.Compose`"),
            tr("augment images: small rotations, flips, shifts, colour jitter, noise",
               "аугментировать изображения: небольшие вращения, отражения, сдвиги, изменения цвета, шум"),
            tr("write your own transform class", "писать свой класс преобразования"),
            tr("measure what augmentation does to held-out accuracy on a small training set",
               "измерять, что аугментация делает с точностью на отложенных данных при маленькой обучающей выборке"),
        ], RUNTIME_S),
        setup_cell(),
        imports_cell("""
            import numpy as np
            import minitorch as torch
            from minitorch import nn
            import minitorch.nn.functional as F
            from minitorch.utils.data import DataLoader, Dataset, Subset, TensorDataset
            from minitorch.vision import datasets, transforms
            from minitorch.vision.utils import make_grid, show_images
            from IPython.display import Markdown, display
        """, f"SEEDS = {SEEDS}   " + tr("# plain vs augmented training is compared over this many seeds",
                                       "# обучение без аугментации и с ней сравнивается на стольких seed")),
        quiz_cell(),
        md("""
            ## 1. Dataset and DataLoader

            The lecture's two building blocks:
            1. a **dataset** (`TensorDataset`, or your own class) answers `len(ds)` and `ds[i]`;
            2. a **DataLoader** serves it in batches, shuffled if asked, stacking the samples into tensors.

            $y = x^2$ for $x = 0..9$, with a column of ones (for a bias), in shuffled batches of 4:
        """, """
            ## 1. Dataset и DataLoader

            Два строительных блока из лекции:
            1. **датасет** (`TensorDataset` или свой класс) отвечает на `len(ds)` и `ds[i]`;
            2. **DataLoader** подаёт его батчами, если попросить — перемешанными, и собирает примеры в тензоры.

            $y = x^2$ для $x = 0..9$, со столбцом единиц (для свободного члена, bias), перемешанными батчами по 4:
        """),
        *predict(
            tr("10 samples in batches of 4: how many batches, and how big is the last one?",
               "10 примеров, батчи по 4: сколько получится батчей и какого размера последний?"),
            """
            x = torch.from_numpy(np.vstack([np.arange(10, dtype='float32'),
                                            np.ones(10, dtype='float32')]).T)
            y = torch.from_numpy(np.arange(10, dtype='float32')[:, np.newaxis] ** 2)
            train_ds = TensorDataset(x, y)
            train_dl = DataLoader(train_ds, batch_size=4, shuffle=True)
            for xb, yb in train_dl:
                print(xb)
                print(yb)
            """, options=[tr("2 batches of 4: the last 2 samples are dropped",
                             "2 батча по 4: последние 2 примера отбрасываются"),
                          tr("3 batches: 4, 4 and 2", "3 батча: 4, 4 и 2"),
                          tr("3 batches: 4, 3 and 3", "3 батча: 4, 3 и 3"),
                          tr("3 batches of 4: the last one is topped up with repeated samples",
                             "3 батча по 4: последний дополняется повторёнными примерами")],
            answer=1, why=tr(
                "a `DataLoader` cuts the (shuffled) indices into consecutive batches of `batch_size`; the last "
                "batch gets what is left, 10 - 2 x 4 = 2 samples. Every sample is served exactly once per epoch; "
                "`drop_last=True` would drop the short batch instead.",
                "`DataLoader` режет (перемешанные) индексы на идущие подряд батчи по `batch_size`; последнему "
                "достаётся остаток, 10 - 2 x 4 = 2 примера. За эпоху каждый пример подаётся ровно один раз; "
                "с `drop_last=True` короткий батч был бы отброшен.")),
        code("""
            assert len(train_ds) == 10 and len(train_dl) == 3 and xb.shape == (2, 2)   # 4 + 4 + 2
            assert sorted(torch.cat([b for b, _ in train_dl])[:, 0].tolist()) == list(range(10))  # en: each once # ru: каждый по разу
        """),
        md("""
            Your own dataset: subclass `Dataset` and define `__len__` and `__getitem__`. The lecture's example
            keeps (text, label) pairs sorted by length, so that a batch holds texts of similar length:
        """, """
            Свой датасет: унаследуйте класс от `Dataset` и определите `__len__` и `__getitem__`. Пример из
            лекции хранит пары (текст, метка), отсортированные по длине текста, чтобы в батч попадали тексты
            похожей длины:
        """),
        code("""
            class CustomTextDataset(Dataset):
                \"\"\"
                Simple Dataset initializes with X and y vectors
                \"\"\"
                def __init__(self, X, y=None):
                    self.data = list(zip(X, y))
                    # Sort by length of first element in tuple
                    self.data = sorted(self.data, key=lambda x: len(x[0]))

                def __len__(self):
                    return len(self.data)

                def __getitem__(self, idx):
                    return self.data[idx]


            texts = ["a fine day", "no", "deep nets need data", "augment it"]
            ds = CustomTextDataset(texts, [1, 0, 1, 1])
            print(len(ds), ds[0], ds[3])
            # en: in a batch, strings stay a list and numbers become a tensor
            # ru: в батче строки остаются списком, а числа становятся тензором
            for batch in DataLoader(ds, batch_size=2):
                print(batch)
        """),
        md("""
            ## 2. Transforms, one at a time

            Fewer examples than parameters means overfitting. **Augmentation** artificially enlarges the
            training set with changes that keep the label: small rotations, flips, small colour changes,
            small shifts, ... A transform is a callable `image -> image`, drawing new random parameters on
            every call. On the bundled photo (shrunk to 80 pixels high to keep it quick):
        """, """
            ## 2. Преобразования по одному

            Когда примеров меньше, чем параметров, сеть переобучается. **Аугментация** искусственно
            увеличивает обучающую выборку изменениями, которые сохраняют метку: небольшие вращения,
            отражения, небольшие изменения цвета, небольшие сдвиги, ... Преобразование (трансформация,
            transform) — это вызываемый объект `изображение -> изображение`, который при каждом вызове
            выбирает новые случайные параметры. На фотографии, которая поставляется с библиотекой
            (уменьшенной до 80 пикселей в высоту, чтобы всё шло быстро):
        """),
        code(f"""
            cat = transforms.Resize(80)(datasets.sample_image("cat"))   {tr('# a PIL image, 120 x 80', '# изображение PIL, 120 x 80')}
            AUGMENTATIONS = {{
                "{tr('rotation -15..15', 'поворот -15..15')}": transforms.RandomRotation((-15, 15)),
                "{tr('horizontal flip', 'отражение')}": transforms.RandomHorizontalFlip(),
                "{tr('shift up to 10%', 'сдвиг до 10%')}": transforms.RandomAffine(degrees=0, translate=(0.1, 0.1)),
                "{tr('colour jitter', 'изменение цвета')}": transforms.ColorJitter(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1),
            }}
            images, titles = [], []
            for name, augment in AUGMENTATIONS.items():
                images += [cat] + [augment(cat) for _ in range(3)]
                titles += [name] + [""] * 3
            show_images(images, titles=titles, ncols=4, figsize=(5, 3.8))   {tr('# small: photos make big PNGs',
                                                                              '# мелко: фотографии дают большие PNG')}
            plt.show()
        """),
        md("""
            Noise is added to a tensor (values in [0, 1]) rather than to a PIL image, so `ToTensor` comes first.
            The lecture writes its own transform for it: any class with `__call__` will do, and a
            `__repr__` makes it print nicely inside `Compose`.
        """, """
            Шум прибавляется к тензору (значения в [0, 1]), а не к изображению PIL, поэтому первым идёт
            `ToTensor`. Для шума в лекции написано своё преобразование: подойдёт любой класс с `__call__`,
            а `__repr__` позволяет ему красиво печататься внутри `Compose`.
        """),
        code("""
            class Noise():
                \"\"\"
                Adds gaussian noise to a tensor.
                \"\"\"
                def __init__(self, mean, stddev):
                    self.mean = mean
                    self.stddev = stddev

                def __call__(self, tensor):
                    noise = torch.zeros_like(tensor).normal_(self.mean, self.stddev)
                    return tensor.add_(noise)

                def __repr__(self):
                    repr = f'{self.__class__.__name__}(mean={self.mean}, stddev={self.stddev})'
                    return repr
        """),
        code("""
            noisy = transforms.Compose([transforms.ToTensor(), Noise(0, 0.1)])
            print(noisy)
        """),
        code(f"""
            clean = transforms.ToTensor()(cat)
            samples = [noisy(cat) for _ in range(3)]
            added = samples[0] - clean
            print(f"{tr('noise mean', 'шум: среднее')} {{added.mean().item():+.4f}}, {tr('std', 'ст. отклонение')} {{added.std().item():.4f}}")
            show_images([clean, samples[0], samples[1], transforms.GaussianNoise(sigma=0.1)(clean)],
                        titles=["{tr('clean', 'исходное')}", "Noise(0, 0.1)", "Noise(0, 0.1)", "GaussianNoise"], ncols=4, figsize=(5, 1.1))
            plt.show()
        """),
        md("""
            Note `tensor.add_(noise)`: the lecture's `Noise` changes the tensor it is given, in place. Inside
            `Compose`, after `ToTensor` made a fresh tensor, that is harmless; called on a tensor you still need,
            it is not. torchvision's ready-made version is `transforms.GaussianNoise` (it also clips to [0, 1]).
        """, """
            Обратите внимание на `tensor.add_(noise)`: `Noise` из лекции меняет переданный ему тензор на месте.
            Внутри `Compose`, после того как `ToTensor` создал новый тензор, это безвредно; на тензоре, который
            вам ещё нужен, — нет. Готовая версия в torchvision — `transforms.GaussianNoise` (она ещё и
            обрезает значения до [0, 1]).
        """),
        code("""
            assert abs(added.mean().item()) < 0.005 and abs(added.std().item() - 0.1) < 0.005
            assert not torch.equal(samples[0], samples[1])        # en: new noise on every call # ru: при каждом вызове новый шум
        """),
        md("""
            ## 3. The lecture's MNIST pipeline

            The lecture loads MNIST with colour jitter and rotations, then converts to a tensor and
            normalises with MNIST's mean and std. Here with the 4,000 digits shipped with minitorch
            (`datasets.MNIST5k`, no download) instead of `datasets.MNIST('../data', download=True)`;
            `num_workers=8` loads batches in 8 worker processes, as torch does; `pin_memory` is accepted (it only matters for copies to a GPU).
        """, """
            ## 3. Загрузка MNIST из лекции

            Лекция загружает MNIST с изменением яркости и контраста и с вращениями, затем переводит
            изображения в тензор и нормирует их средним и стандартным отклонением MNIST. Здесь вместо
            `datasets.MNIST('../data', download=True)` — 4 000 цифр, которые поставляются с minitorch
            (`datasets.MNIST5k`, без скачивания); `num_workers=8` загружает батчи в 8 рабочих процессах, как
            в torch; `pin_memory` принимается (он важен только при копировании на GPU).
        """),
        code("""
            lecture_transform = transforms.Compose([
                transforms.ColorJitter(brightness=(0.6, 1),
                    contrast=(0.8, 1)),
                transforms.RandomRotation((-15, 15)),
                # en: convert to a tensor + normalise
                # ru: перевод в тензор + нормировка
                transforms.ToTensor(),
                transforms.Normalize((0.1307,), (0.3081,))
            ])
            print(lecture_transform)
        """),
        code(f"""
            train_loader = DataLoader(datasets.MNIST5k(train=True, transform=lecture_transform),
                                      batch_size=64, shuffle=True, num_workers=8, pin_memory=True)
            images, labels = next(iter(train_loader))
            print(images.shape, images.dtype, labels[:10])
            print(f"{tr('mean', 'среднее')} {{images.mean().item():.3f}}, {tr('std', 'ст. отклонение')} {{images.std().item():.3f}}")  {tr(
                '# below 0 and 1: brightness 0.6..1 darkens the digits', '# меньше 0 и 1: яркость 0.6..1 затемняет цифры')}
            show_images(images[:16], titles=labels[:16].tolist(), ncols=8)
            plt.show()
        """),
        code("""
            assert len(train_loader.dataset) == 4000 and images.shape == (64, 1, 28, 28) and labels.shape == (64,)
            assert abs(images.mean().item()) < 0.3 and 0.7 < images.std().item() < 1.3
        """),
        md("""
            The same digit, eight times through the pipeline, one row per digit (`make_grid` tiles a batch
            into one image):
        """, """
            Одна и та же цифра восемь раз через весь конвейер, по строке на цифру (`make_grid` раскладывает
            батч плиткой в одно изображение):
        """),
        code("""
            digits = datasets.MNIST5k(train=True)
            rows = [lecture_transform(digits[i][0]) for i in range(6) for _ in range(8)]
            grid = make_grid(torch.stack(rows), nrow=8, normalize=True)
            print(grid.shape)
            plt.figure(figsize=(6, 4.5))
            plt.imshow(grid.permute(1, 2, 0).numpy())
            plt.axis("off")
            plt.show()
        """),
        md("""
            Transforms can and should differ for training and testing: the test set gets only `ToTensor`
            and `Normalize`, never random changes.

            ## 4. Does augmentation help? 500 training digits

            A small MLP (784-128-10), trained with Adam for 15 epochs on only 500 digits, once on the plain
            images and once through the lecture's augmentation; accuracy on the 1,000 held-out digits.
            One run decides nothing (another initialisation and batch order move the accuracy too), so both
            are trained with the same 5 seeds. (Augmenting costs time: every epoch transforms every image again.)
        """, """
            Преобразования можно и нужно делать разными для обучения и теста: тестовая выборка получает
            только `ToTensor` и `Normalize`, никаких случайных изменений.

            ## 4. Помогает ли аугментация? 500 обучающих цифр

            Небольшой MLP (784-128-10) обучается с Adam 15 эпох всего на 500 цифрах: один раз на исходных
            изображениях, другой — через аугментацию из лекции; точность измеряется на 1 000 отложенных
            цифр. Один запуск ничего не решает (другая инициализация и другой порядок батчей тоже сдвигают
            точность), поэтому обе сети обучаются с одними и теми же 5 значениями seed. (Аугментация стоит
            времени: каждую эпоху каждое изображение преобразуется заново.)
        """),
        code(f"""
            plain_transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
            test_set = datasets.MNIST5k(train=False, transform=plain_transform)
            x_test = torch.stack([image for image, _ in test_set])
            y_test = test_set.targets
            x_train_plain = torch.stack([plain_transform(digits[i][0]) for i in range(500)])
            y_train = digits.targets[:500]


            def accuracy(net, x, y):
                with torch.no_grad():
                    return (net(x).argmax(1) == y).float().mean().item()


            def train(transform, seed, epochs=15):
                torch.manual_seed(seed)
                train_set = Subset(datasets.MNIST5k(train=True, transform=transform), range(500))
                loader = DataLoader(train_set, batch_size=50, shuffle=True)
                net = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
                optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
                test_accuracy = []
                for epoch in range(epochs):
                    for xb, yb in loader:
                        optimizer.zero_grad()
                        F.cross_entropy(net(xb), yb).backward()
                        optimizer.step()
                    test_accuracy.append(accuracy(net, x_test, y_test))
                return net, test_accuracy


            runs = {{name: [train(transform, seed) for seed in range(SEEDS)]
                    for name, transform in [("{plain}", plain_transform), ("{augmented}", lecture_transform)]}}
            test_curves = {{name: np.array([curve for _, curve in rs]) for name, rs in runs.items()}}   {tr(
                '# (seeds, epochs)', '# (seed, эпохи)')}
            train_acc = {{name: np.array([accuracy(net, x_train_plain, y_train) for net, _ in rs]) for name, rs in runs.items()}}
            plain_test, augmented_test = test_curves.values()
            plain_train, augmented_train = train_acc.values()
        """),
        *predict(
            tr("which net fits its 500 training digits better, and which one does better on new digits?",
               "какая сеть лучше подстраивается под свои 500 обучающих цифр и какая лучше справляется с новыми?"),
            f"""
            print(f"{tr('mean +- std over', 'среднее +- ст. отклонение по')} {{SEEDS}} seed{tr('s', '')}")
            print(f"{{'':16s}}{{'{tr('train accuracy', 'точность (обуч.)')}':>18s}}{{'{tr('test accuracy', 'точность (тест)')}':>18s}}")
            for name, curves in test_curves.items():
                final = curves[:, -1]
                print(f"{{name:16s}}{{train_acc[name].mean():11.3f}} +-{{train_acc[name].std():.3f}}"
                      f"{{final.mean():11.3f}} +-{{final.std():.3f}}")
                plt.errorbar(range(1, 16), curves.mean(0), yerr=curves.std(0), marker="o", capsize=2, label=name)
            plt.xlabel("{tr('epoch', 'эпоха')}")
            plt.ylabel(f"{tr('test accuracy (mean +- std,', 'точность на тесте (ср. +- ст. откл.,')} {{SEEDS}} seed{tr('s', '')})")
            plt.legend()
            plt.show()
            gain = augmented_test[:, -1] - plain_test[:, -1]   {tr('# paired: same seed, same init', '# попарно: тот же seed, та же инициализация')}
            print("{tr('augmented - plain, seed by seed:', 'с аугментацией - без неё, по каждому seed:')}", np.round(gain, 3))
            """, options=[tr("plain fits better, augmented generalises better",
                             "без аугментации лучше на обучающих, с аугментацией лучше обобщает"),
                          tr("augmented is better on both", "с аугментацией лучше и там, и там"),
                          tr("plain is better on both", "без аугментации лучше и там, и там"),
                          tr("plain fits better; on new digits the difference is within the noise",
                             "без аугментации лучше на обучающих; на новых цифрах разница в пределах шума")],
            answer=0, why=tr(
                "the plain net memorises its 500 digits (its training accuracy, printed above, is the highest possible "
                "or close to it); the augmented net never sees the same image twice, fits them less tightly, and does "
                "better on new digits: its mean gain over the seeds is more than twice its standard error. The numbers "
                "and the spread are printed above.",
                "сеть без аугментации запоминает свои 500 цифр (её точность на обучающих, напечатанная выше, "
                "максимальна или почти максимальна); сеть с аугментацией ни разу не видит одно и то же изображение "
                "дважды, подстраивается под них слабее и лучше справляется с новыми цифрами: её средний выигрыш по "
                "всем seed больше двух своих стандартных ошибок. Числа и разброс напечатаны выше.")),
        code(f"""
            helps = gain.mean() > 2 * gain.std() / np.sqrt(SEEDS)     {tr(
                '# the mean gain beats its standard error twice', '# средний выигрыш больше двух своих стандартных ошибок')}
            hurts = gain.mean() < -2 * gain.std() / np.sqrt(SEEDS)
            verdict = ("{tr('helps', 'помогает')}" if helps else "{tr('hurts', 'вредит')}" if hurts else "{tr(
                'makes no measurable difference', 'не даёт измеримой разницы')}")
            display(Markdown({tr('''
                f"The plain net learns its 500 digits (train accuracy {plain_train.mean():.3f}): it "
                f"memorises them. The augmented net never sees the same image twice and fits the training set "
                f"less tightly ({augmented_train.mean():.3f}). On held-out digits, augmentation changes the "
                f"accuracy by {gain.mean():+.3f} on average (from {gain.min():+.3f} to {gain.max():+.3f} over "
                f"{SEEDS} seeds): at this budget it **{verdict}**."))''', '''
                f"Сеть без аугментации выучивает свои 500 цифр (точность на обучающих {plain_train.mean():.3f}): "
                f"она их запоминает. Сеть с аугментацией ни разу не видит одно и то же изображение дважды и "
                f"подстраивается под обучающую выборку слабее ({augmented_train.mean():.3f}). На отложенных цифрах "
                f"аугментация меняет точность в среднем на {gain.mean():+.3f} (от {gain.min():+.3f} до "
                f"{gain.max():+.3f} по {SEEDS} seed): при таком бюджете обучения она **{verdict}**."))''')}
        """),
        code("""
            assert len(test_set) == 1000 and plain_test[:, -1].min() > 0.8 and augmented_test[:, -1].min() > 0.8
            assert plain_train.min() > 0.99                            # en: memorised, every seed # ru: запомнила, при каждом seed
            assert augmented_train.mean() < plain_train.mean()         # en: fits its digits less tightly # ru: подстраивается слабее
            assert helps                                               # en: what the quiz's answer says # ru: то, что говорит ответ на вопрос
        """),
        *try_it([
            (tr("Augmentation as in the homework: small rotations (-15, 15), random shifts "
                "(`transforms.RandomAffine(0, translate=...)`) and noise (`Noise` after `ToTensor`). Which combination "
                "helps the 500-digit net most?",
                "Аугментация как в домашнем задании: небольшие вращения (-15, 15), случайные сдвиги "
                "(`transforms.RandomAffine(0, translate=...)`) и шум (`Noise` после `ToTensor`). Какое сочетание "
                "больше всего помогает сети на 500 цифрах?"), with_code("""
                ```python
                shifted = transforms.Compose([transforms.RandomAffine(0, translate=(0.1, 0.1)), transforms.ToTensor(),
                                              Noise(0, 0.1), transforms.Normalize((0.1307,), (0.3081,))])
                gains = [train(shifted, seed)[1][-1] - plain_test[seed, -1] for seed in range(SEEDS)]
                ```""", """
                Judge each combination the way section 4 does: the mean gain over the seeds against its spread.
                Shifts are the natural candidate for an MLP, which (unlike a convolution) has no built-in tolerance
                to translation; and train longer too, since the plain net stops improving once it has memorised
                its 500 digits while the augmented one keeps seeing new images.
            """, """
                Судите о каждом сочетании так же, как в разделе 4: средний выигрыш по всем seed против его
                разброса. Естественный кандидат для MLP — сдвиги: у него (в отличие от свёртки) нет встроенной
                устойчивости к переносу. И обучайте дольше: сеть без аугментации перестаёт улучшаться, как только
                запомнила свои 500 цифр, а сеть с аугментацией всё время видит новые изображения.
            """)),
            (tr("Write a transform `RandomShift(pixels)` of your own with `torch.roll`, with a `__repr__`.",
                "Напишите своё преобразование `RandomShift(pixels)` на основе `torch.roll`, с `__repr__`."), tr("""
                ```python
                class RandomShift:
                    def __init__(self, pixels):
                        self.pixels = pixels

                    def __call__(self, tensor):            # a (C, H, W) tensor, after ToTensor
                        dy, dx = torch.randint(-self.pixels, self.pixels + 1, (2,)).tolist()
                        return torch.roll(tensor, shifts=(dy, dx), dims=(1, 2))

                    def __repr__(self):
                        return f"{self.__class__.__name__}(pixels={self.pixels})"
                ```
                `torch.roll` wraps around the edge; for MNIST the border is black, so a shift of 2-3 pixels only
                moves background.
            """, """
                ```python
                class RandomShift:
                    def __init__(self, pixels):
                        self.pixels = pixels

                    def __call__(self, tensor):            # тензор формы (C, H, W), после ToTensor
                        dy, dx = torch.randint(-self.pixels, self.pixels + 1, (2,)).tolist()
                        return torch.roll(tensor, shifts=(dy, dx), dims=(1, 2))

                    def __repr__(self):
                        return f"{self.__class__.__name__}(pixels={self.pixels})"
                ```
                `torch.roll` переносит то, что ушло за край, на противоположную сторону; у MNIST рамка чёрная,
                так что сдвиг на 2-3 пикселя переносит только фон.
            """)),
            (tr("Does a horizontal flip make sense for digits? For the cat?",
                "Имеет ли смысл горизонтальное отражение для цифр? А для кошки?"), tr("""
                Not for digits: a flipped 2, 3, 7 or 9 is not a digit any more (and flipped 5 and 2 look alike),
                so the label would become wrong. For the cat, yes: a mirrored cat is still a cat. An augmentation
                must keep the label true.
            """, """
                Для цифр — нет: отражённые 2, 3, 7 или 9 уже не цифры (а отражённые 5 и 2 похожи друг на друга),
                так что метка стала бы неверной. Для кошки — да: кошка в зеркале всё ещё кошка. Аугментация должна
                сохранять метку верной.
            """)),
        ]),
        homework(6, """
            write random rotations, shifts and Gaussian noise with tensor operations, then train with them.
        """, """
            напишите случайные вращения, сдвиги и гауссов шум операциями над тензорами, затем обучите с ними сеть.
        """),
    ]


if __name__ == "__main__":
    print(f"{FILE}: executed in {write_and_execute(FILE, cells(), RUNTIME_S):.1f} s")
