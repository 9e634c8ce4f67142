"""Builds notebooks/02_storage_strides_views.ipynb and notebooks/ru/02_storage_strides_views.ipynb:
storage, strides, offsets, views vs copies.

Examples follow the source course's tutorial (view/reshape/contiguous, permute, strides) and its
"How tensors are represented in memory" slides (storage_offset 1 and 2); the Russian text uses the
tutorial's words (смежность, вытягиваем, представление).
"""

from notebooks._build.common import (code, header, homework, imports_cell, md, predict, quiz_cell, setup_cell, tr,
                                     try_it, volatile)

FILE = "02_storage_strides_views.ipynb"
RUNTIME_S = 5


def cells():
    return [
        header(2, tr("Storage, strides and views", "Хранилище, шаги и представления"), FILE, [
            tr("read a tensor as a flat storage plus shape, stride and offset",
               "читать тензор как плоское хранилище плюс форму, шаги и смещение"),
            tr("predict the strides of transpose, permute, slicing and expand, and why they copy nothing",
               "предсказывать шаги у транспонирования, `permute`, срезов и `expand` и понимать, почему они ничего "
               "не копируют"),
            tr("explain when `view` fails, when `reshape` copies, and what `contiguous()` does",
               "объяснять, когда `view` не работает, когда `reshape` копирует и что делает `contiguous()`"),
            tr("convert images between NHWC and NCHW", "переводить изображения из NHWC в NCHW и обратно"),
        ], RUNTIME_S),
        setup_cell(),
        imports_cell("""
            import numpy as np
            import minitorch as torch
            import minitorch._strides   # en: the stride arithmetic this lecture is about # ru: арифметика шагов, о которой эта лекция
        """),
        quiz_cell(),
        md("""
            A tensor's numbers live in a flat, one-dimensional **storage**. The tensor itself is only a way
            of reading it: a `shape`, a `stride` (how many storage cells to jump to move by one along each
            dimension) and a `storage_offset` (where element `[0, 0, ...]` is). Element `[i, j, ...]` is at

            $$\\text{position} = \\text{offset} + i \\cdot \\text{stride}_0 + j \\cdot \\text{stride}_1 + \\dots$$

            That formula is all of [`minitorch/_strides.py`](../minitorch/_strides.py)'s `storage_position`;
            read that file alongside this lecture (it is plain Python on tuples, no tensors):
        """, """
            Числа тензора лежат в плоском одномерном **хранилище** (storage). Сам тензор — лишь способ его
            читать: форма `shape`, шаги `stride` (на сколько ячеек хранилища перескочить, чтобы сдвинуться
            на единицу по каждой размерности) и смещение `storage_offset` (где лежит элемент
            `[0, 0, ...]`). Элемент `[i, j, ...]` находится в ячейке

            $$\\text{position} = \\text{offset} + i \\cdot \\text{stride}_0 + j \\cdot \\text{stride}_1 + \\dots$$

            Эта формула — вся функция `storage_position` из
            [`minitorch/_strides.py`](../minitorch/_strides.py); читайте этот файл вместе с лекцией (там
            обычный Python над кортежами, без тензоров):
        """),
        code("""
            import inspect
            print(inspect.getsource(minitorch._strides.storage_position))
        """),
        md("""
            The picture we will use all along is computed from the live tensor's `storage()`, `stride()` and
            `storage_offset()`: on top the storage, one box per cell, coloured where the tensor reads it;
            below, the tensor as a grid (leading dimensions stacked as rows), each element showing its value
            and `@` the storage cell it comes from.
        """, """
            Картинка, которой мы будем пользоваться всю лекцию, строится по `storage()`, `stride()` и
            `storage_offset()` настоящего тензора: вверху хранилище, по клетке на ячейку, закрашены те
            ячейки, которые тензор читает; внизу сам тензор в виде сетки (старшие размерности уложены
            строками), у каждого элемента его значение и после `@` номер ячейки хранилища, откуда оно
            взято.
        """),
        code(f"""
            def storage_positions(t):
                # en: the storage cell of every element of t: offset + sum(index * stride), vectorised
                # ru: ячейка хранилища для каждого элемента t: offset + sum(index * stride), векторно
                grids = np.indices(tuple(t.shape))          # en: one integer grid per dimension # ru: по целочисленной сетке на размерность
                return np.asarray(t.storage_offset() + sum(g * s for g, s in zip(grids, t.stride())))

            def draw_storage(t, title=""):
                storage = t.storage().tolist()
                pos = storage_positions(t)
                assert np.array_equal(np.array(storage)[pos], t.numpy())    # en: the formula reads t's values # ru: формула читает значения t
                grid = pos.reshape(-1, t.shape[-1] if t.dim() else 1)
                colors = plt.cm.viridis(np.linspace(0.05, 0.7, max(pos.size, 1)))   # en: dark enough for white text # ru: достаточно тёмные для белого текста
                width, height = max(len(storage), grid.shape[1]) + 2.4, grid.shape[0] + 2.8   # en: in cells # ru: в клетках
                cell = min(0.5, 12 / width)                                                    # en: inches # ru: в дюймах
                fig, ax = plt.subplots(figsize=(cell * width, cell * height))
                fmt = (lambda v: f"{{v:g}}") if isinstance(storage[0], float) else str
                for cell, value in enumerate(storage):               # en: the storage row # ru: строка хранилища
                    hits = np.flatnonzero(pos.ravel() == cell)
                    color = colors[hits[0]] if hits.size else "white"
                    ax.add_patch(plt.Rectangle((cell, 0), 1, 1, fc=color, ec="k"))
                    ax.text(cell + 0.5, 0.5, fmt(value), ha="center", va="center", fontsize=8,
                            color="w" if hits.size else "k")
                    ax.text(cell + 0.5, 1.15, str(cell), ha="center", fontsize=6, color="gray")
                    if hits.size > 1:
                        ax.text(cell + 0.5, -0.35, f"x{{hits.size}}", ha="center", fontsize=7, color="crimson")
                for k, p in enumerate(grid.ravel()):                   # en: the tensor, as a grid # ru: тензор в виде сетки
                    r, c = divmod(k, grid.shape[1])
                    ax.add_patch(plt.Rectangle((c, -2 - r), 1, 1, fc=colors[k], ec="k"))
                    ax.text(c + 0.5, -1.35 - r, fmt(storage[p]), ha="center", va="center", fontsize=8, color="w")
                    ax.text(c + 0.5, -1.75 - r, f"@{{p}}", ha="center", va="center", fontsize=6, color="w")
                ax.text(-0.2, 0.5, "{tr('storage', 'хранилище')}", ha="right", va="center", fontsize=8)
                ax.text(-0.2, -1.5, "{tr('tensor', 'тензор')}", ha="right", va="center", fontsize=8)
                ax.set_xlim(-2.2, width - 2.2)
                ax.set_ylim(-1.2 - grid.shape[0], 1.6)
                ax.set_aspect("equal")
                ax.axis("off")
                ax.set_title(f"{{title}}  shape={{tuple(t.shape)}} stride={{t.stride()}} offset={{t.storage_offset()}}",
                             fontsize=9)
                plt.show()

            def same_storage(a, b):
                return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()
        """),
        md("## 1. Storage and stride", "## 1. Хранилище и шаги"),
        code("""
            x = torch.arange(8)
            x.view(4, 2), x.view(2, -1)
        """),
        md("Neither call changed `x` (no assignment) and neither copied: both read `x`'s storage.",
           "Ни один вызов не изменил `x` (не было присваивания) и ничего не скопировал: оба читают "
           "хранилище `x`."),
        code("""
            x = x.view(4, 2)
            draw_storage(x, "x")
        """),
        *predict(tr("`x` has shape (4, 2) and stride (2, 1). `x.t()` swaps the two dimensions: what is its stride?",
                    "у `x` форма (4, 2) и шаги (2, 1). `x.t()` меняет две размерности местами: какие у него шаги?"), """
            # en: how the data is stored; where the next element along each dimension is
            # ru: как хранятся данные; где следующий элемент по каждой из размерностей
            print(x, x.storage(), x.stride(), x.t().stride())
            draw_storage(x.t(), "x.t()")
        """, options=[tr("(2, 1), the same as `x`", "(2, 1), как у `x`"), "(1, 2)",
                      tr("(4, 1): `t()` copies into a new storage", "(4, 1): `t()` копирует в новое хранилище"),
                      "(1, 4)"],
            answer=1, why=tr("`t()` moves no element: it swaps the shape and the strides. Along the first dimension "
                             "of `x.t()` (down a column of `x`) the next element is in the next storage cell; along "
                             "the second, two cells on. It reads the same 8 cells, column by column.",
                             "`t()` не перемещает ни одного элемента: он меняет местами форму и шаги. По первой "
                             "размерности `x.t()` (вниз по столбцу `x`) следующий элемент лежит в соседней ячейке "
                             "хранилища, по второй — через две ячейки. Он читает те же 8 ячеек, столбец за "
                             "столбцом.")),
        code("""
            assert x.t().stride() == (1, 2) and same_storage(x, x.t()) and not x.t().is_contiguous()
            x.transpose(0, 1), x.t()      # en: other spellings of the same view # ru: другие способы транспонирования
        """),
        md("""
            Transposing costs nothing: no element moves, only the two strides swap. So a transposed tensor is
            *not contiguous*: reading it row by row jumps around the storage.

            ## 2. Offsets: a view of a bigger storage (the lecture's two examples)
        """, """
            Транспонирование ничего не стоит: ни один элемент не перемещается, меняются местами только два
            шага. Поэтому транспонированный тензор *не смежный* (not contiguous): при чтении строка за
            строкой он перескакивает по хранилищу.

            ## 2. Смещение: представление большего хранилища (два примера из лекции)
        """),
        code("""
            orig = torch.tensor([6, 5, 7, 4, 1, 3, 2, 7, 3, 8])

            points = orig[1:].reshape(3, 3)

            print(f'storage = {list(points.storage())}')
            print(f'stride = {points.stride()}')
            print(f'storage_offset = {points.storage_offset()}')
        """),
        code("""
            assert points.stride() == (3, 1) and points.storage_offset() == 1
            draw_storage(points, "orig[1:].reshape(3, 3)")
        """),
        *predict(tr("now `orig = torch.tensor([6, 5, 3, 1, 2, 4, 1, 7])`, 8 elements. What are the shape, offset and "
                    "stride of `orig[2:].reshape(2, 3).T`?",
                    "теперь `orig = torch.tensor([6, 5, 3, 1, 2, 4, 1, 7])`, 8 элементов. Какие форма, смещение и "
                    "шаги у `orig[2:].reshape(2, 3).T`?"), """
            orig = torch.tensor([6, 5, 3, 1, 2, 4, 1, 7])

            points = orig[2:].reshape(2, 3).T  # en: Transposed # ru: транспонируем

            print(f'shape = {points.shape}')
            print(f'storage_offset = {points.storage_offset()}')
            print(f'stride = {points.stride()}')
        """, options=[tr("shape (2, 3), offset 2, stride (3, 1)", "форма (2, 3), смещение 2, шаги (3, 1)"),
                      tr("shape (3, 2), offset 0, stride (1, 3): the slice is copied first",
                         "форма (3, 2), смещение 0, шаги (1, 3): срез сначала копируется"),
                      tr("shape (3, 2), offset 2, stride (1, 3)", "форма (3, 2), смещение 2, шаги (1, 3)"),
                      tr("shape (3, 2), offset 2, stride (3, 1)", "форма (3, 2), смещение 2, шаги (3, 1)")],
            answer=2, why=tr("`orig[2:]` starts two cells in (offset 2) and is contiguous, so `reshape(2, 3)` is a view "
                             "with stride (3, 1); `.T` swaps shape and strides, giving (3, 2) and (1, 3), and keeps "
                             "the offset. Nothing is copied.",
                             "`orig[2:]` начинается через две ячейки (смещение 2) и смежен, поэтому `reshape(2, 3)` — "
                             "представление с шагами (3, 1); `.T` меняет местами форму и шаги, получаются (3, 2) и "
                             "(1, 3), а смещение остаётся прежним. Ничего не копируется.")),
        code("""
            assert points.shape == (3, 2) and points.storage_offset() == 2 and points.stride() == (1, 3)
            draw_storage(points, "orig[2:].reshape(2, 3).T")
        """),
        md("Slicing with a step multiplies the stride; starting later moves the offset.",
           "Шаг среза умножает шаг (stride) тензора; срез, начинающийся дальше, сдвигает смещение."),
        code("""
            a = torch.arange(12).view(3, 4)[::2, 1::2]
            assert a.stride() == (8, 2) and a.storage_offset() == 1
            draw_storage(a, "arange(12).view(3, 4)[::2, 1::2]")
        """),
        md("""
            ## 3. `view` vs `reshape` vs `contiguous`

            - `view` never copies: it only works when the new shape can be read from the same storage with
              some strides, otherwise it raises an error.
            - `reshape` always works: a view when possible, otherwise a **copy**.
            - `contiguous()` returns the tensor itself if it is already laid out row by row, else a copy
              that is.
        """, """
            ## 3. `view`, `reshape` и `contiguous`

            - `view` никогда не копирует: он работает, только если новую форму можно прочитать из того же
              хранилища с какими-то шагами, иначе выдаёт ошибку.
            - `reshape` работает всегда: старается выдать представление, а если не получается, делает
              **копию** данных.
            - `contiguous()` возвращает сам тензор, если он уже лежит в памяти строка за строкой, иначе —
              смежную копию.
        """),
        code(f"""
            x = torch.arange(4 * 10 * 2).view(4, 10, 2)
            y = x.permute(2, 0, 1)
            # View
            print('{tr("contiguous", "смежность")}', x.is_contiguous())
            print('{tr("flatten", "вытягиваем")}', x.view(-1)[:6], '...')
        """),
        *predict(tr("`y = x.permute(2, 0, 1)`: is `y` contiguous, and can we flatten it with `y.view(-1)`?",
                    "`y = x.permute(2, 0, 1)`: смежен ли `y` и можно ли вытянуть его в вектор через `y.view(-1)`?"), f"""
            print('{tr("contiguous", "смежность")}', y.is_contiguous(), y.stride())
            try:
                print('{tr("flatten", "вытягиваем")}', y.view(-1)[:6], '...')
            except RuntimeError as e:
                print('{tr("error:", "ошибка:")}', e)
        """, options=[tr("contiguous; `view(-1)` works", "смежен; `view(-1)` работает"),
                      tr("not contiguous; `view(-1)` works anyway", "не смежен; `view(-1)` всё равно работает"),
                      tr("not contiguous; `view(-1)` raises an error", "не смежен; `view(-1)` выдаёт ошибку"),
                      tr("contiguous; `view(-1)` raises an error", "смежен; `view(-1)` выдаёт ошибку")],
            answer=2, why=tr("`permute` only reorders the strides: `y`'s are (1, 20, 2), so reading `y` in order jumps "
                             "around the storage. No single stride reads its 80 elements in that order, so `view` "
                             "refuses with a `RuntimeError`; `reshape` or `contiguous()` has to copy.",
                             "`permute` только переставляет шаги: у `y` они (1, 20, 2), и при чтении по порядку `y` "
                             "перескакивает по хранилищу. Ни с каким одним шагом не прочитать его 80 элементов в "
                             "этом порядке, поэтому `view` отказывается (`RuntimeError`); `reshape` или `contiguous()` "
                             "вынуждены копировать.")),
        code(f"""
            print('{tr("reshape", "решейпим")}', y.reshape(-1)[:6], '...')
            print('{tr("make contiguous, then view", "делаем смежным, затем view")}', y.contiguous().view(-1)[:6], '...')
            assert not same_storage(y.reshape(-1), x)        # en: reshape had to copy # ru: reshape пришлось копировать
            assert same_storage(x.view(-1), x)               # en: view never copies # ru: view никогда не копирует
        """),
        md("""
            Who decides? `minitorch._strides.view_strides(shape, stride, new_shape)` returns the strides that
            read `new_shape` from the same storage, or `None` when there are none. `view` raises on `None`;
            `reshape` copies on `None`. The idea: dimensions that are laid out one right after another form a
            *chunk*; a view may split or merge dimensions only inside a chunk.
        """, """
            Кто это решает? `minitorch._strides.view_strides(shape, stride, new_shape)` возвращает шаги,
            с которыми `new_shape` читается из того же хранилища, или `None`, если таких шагов нет. На `None`
            `view` выдаёт ошибку, а `reshape` копирует. Идея: размерности, которые лежат в памяти одна
            сразу за другой, образуют *блок*; представление может разбивать или сливать размерности только
            внутри блока.
        """),
        code("""
            view_strides = minitorch._strides.view_strides
            print(view_strides(tuple(x.shape), x.stride(), (80,)))     # en: x: one chunk -> a view # ru: x: один блок -> представление
            print(view_strides(tuple(y.shape), y.stride(), (80,)))     # en: y: the permute broke it -> None # ru: y: permute его разбил -> None
            assert view_strides(tuple(x.shape), x.stride(), (80,)) == (1,)
            assert view_strides(tuple(y.shape), y.stride(), (80,)) is None
        """),
        *predict(tr("`y` has shape (2, 4, 10) and stride (1, 20, 2). Can `y.reshape(2, 40)` be a view?",
                    "у `y` форма (2, 4, 10) и шаги (1, 20, 2). Может ли `y.reshape(2, 40)` быть представлением?"), """
            print(view_strides(tuple(y.shape), y.stride(), (2, 40)))
            r = y.reshape(2, 40)
            print(r.stride(), same_storage(r, x))
        """, options=[tr("no: `y` is not contiguous, so `reshape` must copy",
                         "нет: `y` не смежен, поэтому `reshape` обязан копировать"),
                      tr("yes, with stride (1, 2)", "да, с шагами (1, 2)"),
                      tr("yes, with stride (40, 1)", "да, с шагами (40, 1)"),
                      tr("no: a view of a permuted tensor can only be `view(-1)`",
                         "нет: у переставленного тензора возможно только представление `view(-1)`")],
            answer=1, why=tr("A view only needs the dimensions it merges to be one chunk, not the whole tensor to be "
                             "contiguous. The last two dimensions of `y` (strides 20 and 2, and 20 = 10 x 2) merge "
                             "into one of 40 elements with stride 2; the first keeps stride 1.",
                             "Представлению нужно лишь, чтобы сливаемые размерности образовывали один блок, а не "
                             "чтобы весь тензор был смежным. Две последние размерности `y` (шаги 20 и 2, и "
                             "20 = 10 x 2) сливаются в одну из 40 элементов с шагом 2; первая сохраняет шаг 1.")),
        code("""
            assert r.stride() == (1, 2) and same_storage(r, x)   # en: merging the last two dims: same chunk # ru: сливаем две последние размерности: один блок
        """),
        md("""
            The last two dimensions of `y` still sit one after the other in memory (stride 20 = 10 x 2), so
            they merge into one of stride 2. Only the first dimension (stride 1) is out of place.

            ## 4. `expand`: stride 0
        """, """
            Две последние размерности `y` по-прежнему лежат в памяти одна за другой (шаг 20 = 10 x 2),
            поэтому сливаются в одну с шагом 2. Не на своём месте только первая размерность (шаг 1).

            ## 4. `expand`: шаг 0
        """),
        *predict(tr("`torch.tensor([[1], [2], [3]]).expand(3, 4)` shows 12 numbers. How many storage cells does it "
                    "use, and what is its stride?",
                    "`torch.tensor([[1], [2], [3]]).expand(3, 4)` показывает 12 чисел. Сколько ячеек хранилища он "
                    "занимает и какие у него шаги?"), """
            e = torch.tensor([[1], [2], [3]]).expand(3, 4)
            print(e, e.stride(), len(e.storage()))
            draw_storage(e, "expand(3, 4)")
        """, options=[tr("12 cells, stride (4, 1)", "12 ячеек, шаги (4, 1)"), tr("3 cells, stride (1, 0)", "3 ячейки, шаги (1, 0)"),
                      tr("3 cells, stride (0, 1)", "3 ячейки, шаги (0, 1)"), tr("12 cells, stride (1, 3)", "12 ячеек, шаги (1, 3)")],
            answer=1, why=tr("`expand` copies nothing: the stretched dimension gets stride 0, so all 4 columns read the "
                             "same cell of their row, and the storage still holds the 3 numbers.",
                             "`expand` ничего не копирует: растянутая размерность получает шаг 0, так что все 4 "
                             "столбца читают одну и ту же ячейку своей строки, а в хранилище по-прежнему 3 числа.")),
        code("""
            assert e.stride() == (1, 0) and len(e.storage()) == 3
        """),
        md("""
            Stride 0 means "moving along this dimension stays on the same cell": every column reads the same
            three numbers. This is how broadcasting (lecture 1) works without copying. Because the cells are
            shared, writing into an expanded tensor is almost always a mistake: `clone()` it first.

            ## 5. NHWC to NCHW

            Images are often stored height x width x channels (NHWC, e.g. numpy and PIL); PyTorch's layers
            want channels first (NCHW). `permute` converts without copying:
        """, """
            Шаг 0 означает «сдвиг по этой размерности остаётся в той же ячейке»: каждый столбец читает те
            же три числа. Так транслирование (broadcasting, лекция 1) обходится без копирования. Раз ячейки
            общие, запись в тензор, растянутый через `expand`, — почти всегда ошибка: сначала сделайте
            `clone()`.

            ## 5. Из NHWC в NCHW

            Изображения часто хранятся как высота x ширина x каналы (NHWC, например в numpy и PIL), а слои
            PyTorch ждут каналы первыми (NCHW). `permute` переводит одно в другое без копирования:
        """),
        code("""
            z = torch.rand(1, 2, 3, 4)
            z = z.permute(0, 3, 1, 2)  # NxHxWxC -> NxCxHxW
            z.shape
        """),
        code("""
            print(z.stride(), z.is_contiguous(), z.contiguous().stride())
            assert z.stride() == (24, 1, 12, 4) and z.contiguous().stride() == (24, 6, 3, 1)
        """),
        md("""
            A tiny 2x2 image with 3 channels (values 0..11, stored pixel by pixel: r g b r g b ...). In NCHW,
            each row of the grid is one channel of one image row: it jumps over the other channels.
        """, """
            Крошечное изображение 2x2 с 3 каналами (значения 0..11, хранятся пиксель за пикселем:
            r g b r g b ...). В NCHW каждая строка сетки — один канал одной строки изображения: она
            перескакивает через остальные каналы.
        """),
        code("""
            img = torch.arange(12).view(1, 2, 2, 3)        # N, H, W, C
            draw_storage(img.permute(0, 3, 1, 2), "NHWC -> NCHW")
        """),
        md("""
            ## 6. Explore

            Slice a `(4, 6)` tensor with the sliders (start, stop, step for each dimension, and a transpose)
            and watch which storage cells the view reads. Without a widget frontend (e.g. on GitHub) you see
            the default picture only.
        """, """
            ## 6. Исследуйте сами

            Берите срезы тензора `(4, 6)` ползунками (начало, конец и шаг по каждой размерности, и
            транспонирование) и смотрите, какие ячейки хранилища читает представление. Без поддержки
            виджетов (например, на GitHub) видна только картинка по умолчанию.
        """),
        code(f"""
            base = torch.arange(24).view(4, 6)

            def explore(r_start=1, r_stop=4, r_step=2, c_start=0, c_stop=6, c_step=2, transpose=False):
                view = base[r_start:r_stop:r_step, c_start:c_stop:c_step]
                if view.numel() == 0:
                    print("{tr('empty slice', 'пустой срез')}")
                    return
                draw_storage(view.t() if transpose else view, "base[...]" + (".t()" if transpose else ""))

            explore()
        """),
        code(volatile(tr("the sliders' picture is redrawn by the widget, which a re-run outside a browser does not replay",
                         "картинку ползунков перерисовывает виджет, а повторный запуск вне браузера этого не "
                         "воспроизводит")), f"""
            try:
                from ipywidgets import interact
                interact(explore, r_start=(0, 3), r_stop=(1, 4), r_step=(1, 3),
                         c_start=(0, 5), c_stop=(1, 6), c_step=(1, 5))
            except ImportError:
                print("{tr('pip install ipywidgets to get the sliders', 'установите ipywidgets (pip install ipywidgets), чтобы появились ползунки')}")
        """),
        *try_it([
            (tr("Predict, then check, the stride and offset of `torch.arange(24).view(2, 3, 4)[1, :, ::2]`.",
                "Предскажите, а затем проверьте шаги и смещение `torch.arange(24).view(2, 3, 4)[1, :, ::2]`."),
             tr("""
                `view(2, 3, 4)` has strides `(12, 4, 1)`. Index `1` in the first dimension moves the offset by 12 and
                drops that dimension; `::2` doubles the last stride. So shape `(3, 2)`, stride `(4, 2)`, offset 12:
                `y.stride(), y.storage_offset()` prints `((4, 2), 12)`.
             """, """
                У `view(2, 3, 4)` шаги `(12, 4, 1)`. Индекс `1` по первой размерности сдвигает смещение на 12 и
                убирает эту размерность; `::2` удваивает последний шаг. Итого форма `(3, 2)`, шаги `(4, 2)`,
                смещение 12: `y.stride(), y.storage_offset()` печатает `((4, 2), 12)`.
             """)),
            (tr("For `x = torch.arange(24).view(1, 4, 6)`, which permutations `p` still allow `x.permute(*p).view(-1)`?",
                "Для `x = torch.arange(24).view(1, 4, 6)`: при каких перестановках `p` ещё работает "
                "`x.permute(*p).view(-1)`?"),
             tr("""
                Those that keep the 4 and 6 dimensions in their order (a size-1 dimension may go anywhere):
                `(0, 1, 2)`, `(1, 0, 2)`, `(1, 2, 0)`. The other three put stride 1 before stride 6, so reading
                the elements in order needs a copy: `view` raises, `reshape` copies.
             """, """
                При тех, что сохраняют порядок размерностей 4 и 6 (размерность размера 1 может стоять где
                угодно): `(0, 1, 2)`, `(1, 0, 2)`, `(1, 2, 0)`. Остальные три ставят шаг 1 перед шагом 6, и
                чтобы прочитать элементы по порядку, нужна копия: `view` выдаёт ошибку, `reshape` копирует.
             """)),
            (tr("`x.expand(...)` then `.contiguous()`: how big is the new storage?",
                "`x.expand(...)`, а затем `.contiguous()`: какого размера новое хранилище?"),
             tr("""
                `expand` stores nothing new (stride 0); `contiguous()` writes every element out. For
                `torch.arange(3).view(3, 1).expand(3, 4)` the view has stride `(1, 0)` over 3 stored numbers, and
                `.contiguous()` has a storage of 12.
             """, """
                `expand` не хранит ничего нового (шаг 0); `contiguous()` записывает каждый элемент. У
                `torch.arange(3).view(3, 1).expand(3, 4)` представление с шагами `(1, 0)` над 3 хранимыми
                числами, а у `.contiguous()` хранилище из 12.
             """)),
        ]),
        homework(2, """
            compute where an element of a view lives in storage, contiguous strides, and when `view` is possible.
        """, """
            вычислите, где в хранилище лежит элемент представления, найдите шаги смежного тензора и
            определите, когда возможен `view`.
        """),
    ]
