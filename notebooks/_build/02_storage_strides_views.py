"""Builds notebooks/02_storage_strides_views.ipynb: storage, strides, offsets, views vs copies.

Examples follow the source course's tutorial (view/reshape/contiguous, permute, strides) and its
"How tensors are represented in memory" slides (storage_offset 1 and 2).
"""

from notebooks._build.common import code, header, homework, imports_cell, md, predict, setup_cell, try_it, volatile

FILE = "02_storage_strides_views.ipynb"
RUNTIME_S = 5


def cells():
    return [
        header(2, "Storage, strides and views", FILE, [
            "read a tensor as a flat storage plus shape, stride and offset",
            "predict the strides of transpose, permute, slicing and expand, and why they copy nothing",
            "explain when `view` fails, when `reshape` copies, and what `contiguous()` does",
            "convert images between NHWC and NCHW",
        ], RUNTIME_S),
        setup_cell(),
        imports_cell("""
            import numpy as np
            import minitorch as torch
            import minitorch._strides   # the stride arithmetic this lecture is about
        """),
        md("""
            A tensor's numbers live in a flat, one-dimensional **storage**. The tensor itself is only a way
            of reading it: a `shape`, a `stride` (how many storage cells to jump to move by one along each
            dimension) and a `storage_offset` (where element `[0, 0, ...]` is). Element `[i, j, ...]` is at

            $$\\text{position} = \\text{offset} + i \\cdot \\text{stride}_0 + j \\cdot \\text{stride}_1 + \\dots$$

            That formula is all of [`minitorch/_strides.py`](../minitorch/_strides.py)'s `storage_position`;
            read that file alongside this lecture (it is plain Python on tuples, no tensors):
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
        """),
        code("""
            def storage_positions(t):
                \"\"\"The storage cell of every element of t: offset + sum(index * stride), vectorised.\"\"\"
                grids = np.indices(tuple(t.shape))          # one integer grid per dimension
                return np.asarray(t.storage_offset() + sum(g * s for g, s in zip(grids, t.stride())))

            def draw_storage(t, title=""):
                storage = t.storage().tolist()
                pos = storage_positions(t)
                assert np.array_equal(np.array(storage)[pos], t.numpy())    # the formula reads t's values
                grid = pos.reshape(-1, t.shape[-1] if t.dim() else 1)
                colors = plt.cm.viridis(np.linspace(0.05, 0.7, max(pos.size, 1)))   # dark enough for white text
                width, height = max(len(storage), grid.shape[1]) + 2.4, grid.shape[0] + 2.8   # in cells
                cell = min(0.5, 12 / width)                                                    # inches
                fig, ax = plt.subplots(figsize=(cell * width, cell * height))
                fmt = (lambda v: f"{v:g}") if isinstance(storage[0], float) else str
                for cell, value in enumerate(storage):               # the storage row
                    hits = np.flatnonzero(pos.ravel() == cell)
                    color = colors[hits[0]] if hits.size else "white"
                    ax.add_patch(plt.Rectangle((cell, 0), 1, 1, fc=color, ec="k"))
                    ax.text(cell + 0.5, 0.5, fmt(value), ha="center", va="center", fontsize=8,
                            color="w" if hits.size else "k")
                    ax.text(cell + 0.5, 1.15, str(cell), ha="center", fontsize=6, color="gray")
                    if hits.size > 1:
                        ax.text(cell + 0.5, -0.35, f"x{hits.size}", ha="center", fontsize=7, color="crimson")
                for k, p in enumerate(grid.ravel()):                   # the tensor, as a grid
                    r, c = divmod(k, grid.shape[1])
                    ax.add_patch(plt.Rectangle((c, -2 - r), 1, 1, fc=colors[k], ec="k"))
                    ax.text(c + 0.5, -1.35 - r, fmt(storage[p]), ha="center", va="center", fontsize=8, color="w")
                    ax.text(c + 0.5, -1.75 - r, f"@{p}", ha="center", va="center", fontsize=6, color="w")
                ax.text(-0.2, 0.5, "storage", ha="right", va="center", fontsize=8)
                ax.text(-0.2, -1.5, "tensor", ha="right", va="center", fontsize=8)
                ax.set_xlim(-2.2, width - 2.2)
                ax.set_ylim(-1.2 - grid.shape[0], 1.6)
                ax.set_aspect("equal")
                ax.axis("off")
                ax.set_title(f"{title}  shape={tuple(t.shape)} stride={t.stride()} offset={t.storage_offset()}",
                             fontsize=9)
                plt.show()

            def same_storage(a, b):
                return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()
        """),
        md("## 1. Storage and stride"),
        code("""
            x = torch.arange(8)
            x.view(4, 2), x.view(2, -1)
        """),
        md("Neither call changed `x` (no assignment) and neither copied: both read `x`'s storage."),
        code("""
            x = x.view(4, 2)
            # how the data is stored; where the next element along each dimension is
            print(x, x.storage(), x.stride(), x.t().stride())
        """),
        code("""
            draw_storage(x, "x")
        """),
        *predict("`x.t()` swaps the two dimensions. Which storage cells does it read, and what is its stride?", """
            draw_storage(x.t(), "x.t()")
        """),
        code("""
            assert x.t().stride() == (1, 2) and same_storage(x, x.t()) and not x.t().is_contiguous()
            x.transpose(0, 1), x.t()      # other spellings of the same view
        """),
        md("""
            Transposing costs nothing: no element moves, only the two strides swap. So a transposed tensor is
            *not contiguous*: reading it row by row jumps around the storage.

            ## 2. Offsets: a view of a bigger storage (the lecture's two examples)
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
        *predict("`orig[2:].reshape(2, 3).T` on an 8-element storage: what are its shape, offset and stride?", """
            orig = torch.tensor([6, 5, 3, 1, 2, 4, 1, 7])

            points = orig[2:].reshape(2, 3).T  # Transposed

            print(f'shape = {points.shape}')
            print(f'storage_offset = {points.storage_offset()}')
            print(f'stride = {points.stride()}')
        """),
        code("""
            assert points.shape == (3, 2) and points.storage_offset() == 2 and points.stride() == (1, 3)
            draw_storage(points, "orig[2:].reshape(2, 3).T")
        """),
        md("Slicing with a step multiplies the stride; starting later moves the offset."),
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
        """),
        code("""
            x = torch.arange(4 * 10 * 2).view(4, 10, 2)
            y = x.permute(2, 0, 1)
            # View
            print('contiguous', x.is_contiguous())
            print('flatten', x.view(-1)[:6], '...')
        """),
        *predict("`y = x.permute(2, 0, 1)` is contiguous? Can we `y.view(-1)`?", """
            print('contiguous', y.is_contiguous(), y.stride())
            try:
                y.view(-1)
            except RuntimeError as e:
                print('error:', e)
        """),
        code("""
            print('reshape', y.reshape(-1)[:6], '...')
            print('make contiguous, then view', y.contiguous().view(-1)[:6], '...')
            assert not same_storage(y.reshape(-1), x)        # reshape had to copy
            assert same_storage(x.view(-1), x)               # view never copies
        """),
        md("""
            Who decides? `minitorch._strides.view_strides(shape, stride, new_shape)` returns the strides that
            read `new_shape` from the same storage, or `None` when there are none. `view` raises on `None`;
            `reshape` copies on `None`. The idea: dimensions that are laid out one right after another form a
            *chunk*; a view may split or merge dimensions only inside a chunk.
        """),
        code("""
            view_strides = minitorch._strides.view_strides
            print(view_strides(tuple(x.shape), x.stride(), (80,)))     # x: one chunk -> a view
            print(view_strides(tuple(y.shape), y.stride(), (80,)))     # y: the permute broke it -> None
            assert view_strides(tuple(x.shape), x.stride(), (80,)) == (1,)
            assert view_strides(tuple(y.shape), y.stride(), (80,)) is None
        """),
        *predict("`y` has shape (2, 4, 10) and stride (1, 20, 2). Can `y.reshape(2, 40)` be a view?", """
            print(view_strides(tuple(y.shape), y.stride(), (2, 40)))
            r = y.reshape(2, 40)
            print(r.stride(), same_storage(r, x))
            assert r.stride() == (1, 2) and same_storage(r, x)   # merging the last two dims: same chunk
        """),
        md("""
            The last two dimensions of `y` still sit one after the other in memory (stride 20 = 10 x 2), so
            they merge into one of stride 2. Only the first dimension (stride 1) is out of place.

            ## 4. `expand`: stride 0
        """),
        *predict("`torch.tensor([[1], [2], [3]]).expand(3, 4)` shows 12 numbers. How many storage cells? What stride?", """
            e = torch.tensor([[1], [2], [3]]).expand(3, 4)
            print(e, e.stride())
            assert e.stride() == (1, 0) and len(e.storage()) == 3
            draw_storage(e, "expand(3, 4)")
        """),
        md("""
            Stride 0 means "moving along this dimension stays on the same cell": every column reads the same
            three numbers. This is how broadcasting (lecture 1) works without copying. Because the cells are
            shared, writing into an expanded tensor is almost always a mistake: `clone()` it first.

            ## 5. NHWC to NCHW

            Images are often stored height x width x channels (NHWC, e.g. numpy and PIL); PyTorch's layers
            want channels first (NCHW). `permute` converts without copying:
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
        """),
        code("""
            base = torch.arange(24).view(4, 6)

            def explore(r_start=1, r_stop=4, r_step=2, c_start=0, c_stop=6, c_step=2, transpose=False):
                view = base[r_start:r_stop:r_step, c_start:c_stop:c_step]
                if view.numel() == 0:
                    print("empty slice")
                    return
                draw_storage(view.t() if transpose else view, "base[...]" + (".t()" if transpose else ""))

            explore()
        """),
        code(volatile("the sliders' picture is redrawn by the widget, which a re-run outside a browser does not replay"), """
            try:
                from ipywidgets import interact
                interact(explore, r_start=(0, 3), r_stop=(1, 4), r_step=(1, 3),
                         c_start=(0, 5), c_stop=(1, 6), c_step=(1, 5))
            except ImportError:
                print("pip install ipywidgets to get the sliders")
        """),
        *try_it([
            ("Predict, then check, the stride and offset of `torch.arange(24).view(2, 3, 4)[1, :, ::2]`.", """
                `view(2, 3, 4)` has strides `(12, 4, 1)`. Index `1` in the first dimension moves the offset by 12 and
                drops that dimension; `::2` doubles the last stride. So shape `(3, 2)`, stride `(4, 2)`, offset 12:
                `y.stride(), y.storage_offset()` prints `((4, 2), 12)`.
            """),
            ("For `x = torch.arange(24).view(1, 4, 6)`, which permutations `p` still allow `x.permute(*p).view(-1)`?", """
                Those that keep the 4 and 6 dimensions in their order (a size-1 dimension may go anywhere):
                `(0, 1, 2)`, `(1, 0, 2)`, `(1, 2, 0)`. The other three put stride 1 before stride 6, so reading
                the elements in order needs a copy: `view` raises, `reshape` copies.
            """),
            ("`x.expand(...)` then `.contiguous()`: how big is the new storage?", """
                `expand` stores nothing new (stride 0); `contiguous()` writes every element out. For
                `torch.arange(3).view(3, 1).expand(3, 4)` the view has stride `(1, 0)` over 3 stored numbers, and
                `.contiguous()` has a storage of 12.
            """),
        ]),
        homework(2, """
            compute where an element of a view lives in storage, contiguous strides, and when `view` is possible.
        """),
    ]
