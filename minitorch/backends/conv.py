"""Convolution and pooling kernels on NCHW arrays, written once against an array module ``xp``.

The CPU backend uses ``Kernels(numpy)``; the cuda backend subclasses it to call cuDNN and falls
back to these same im2col kernels on CuPy arrays where cuDNN cannot help.

The one idea behind all of them is **im2col**: a strided *view* of the (padded) input with shape
``(N, C, OH, OW, kh, kw)`` puts, at output position ``(oh, ow)``, the ``kh x kw`` window the kernel
sees there. No data is copied to build it (``as_strided`` only writes new strides), so

* a convolution is one matrix product of those windows with the weights (copied into a matrix,
  and multiplied, a block of output rows at a time: see "convolution" below),
* a max / average pool is a max / mean over the last two axes of the windows.

The backward passes go the other way (**col2im**): every window position sends its gradient back
to the input pixels it covered. Windows overlap, so the contributions are summed with one
vectorised add per kernel offset (``kh * kw`` adds, never a loop over pixels). (A 'same' stride-1
convolution's input gradient is computed as a convolution with the flipped kernel instead: see
``conv2d_backward_input``.)

Arguments are normalised by ``nn.functional`` before they get here: ``stride``, ``padding``,
``dilation`` and ``kernel`` are ``(height, width)`` tuples of ints; padding is symmetric.
"""

from __future__ import annotations


def out_size(size, kernel, stride, padding, dilation, ceil_mode=False):
    """Output length along one axis: how many windows fit (torch's formula, incl. ``ceil_mode``).

    >>> out_size(28, kernel=3, stride=1, padding=0, dilation=1)
    26
    """
    span = size + 2 * padding - dilation * (kernel - 1) - 1
    n = (-(-span // stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (n - 1) * stride >= size + padding:  # the last window must start inside
        n -= 1
    return n


def _first_inside(start, dilation, size):
    """The first of the cells ``start, start + dilation, ...`` that is not left padding (where
    torch's kernel starts scanning a window), kept below ``size``: with dilation, a window can hold
    padding only, and torch then returns an index past the input; we clip it to the last row/column."""
    behind = (-start).clip(0)  # how far into the left padding the window starts
    first = start + (behind + dilation - 1) // dilation * dilation  # whole steps of dilation, rounded up
    return first.clip(max=size - 1)


class Kernels:
    """Conv/pool kernels bound to one array module (``xp``)."""

    def __init__(self, xp):
        self.xp = xp

    # ---- im2col / col2im ---------------------------------------------------------------------
    def _pad(self, x, padding, out_hw, kernel, stride, dilation, value=0):
        """``x`` padded by ``padding`` on each side, plus extra rows/columns at the bottom/right
        when ``ceil_mode`` lets the last window hang over the edge."""
        shape = self._pad_shape(x.shape, padding, out_hw, kernel, stride, dilation)
        if shape == x.shape:
            return x
        out = self.xp.full(shape, value, dtype=x.dtype)  # (xp.pad does the same, with more Python around it)
        out[:, :, padding[0]:padding[0] + x.shape[2], padding[1]:padding[1] + x.shape[3]] = x
        return out

    def _pad_shape(self, x_shape, padding, out_hw, kernel, stride, dilation):
        """The shape ``_pad`` gives an input of ``x_shape`` (without building it)."""
        hw = [max(x_shape[2 + a] + 2 * padding[a], (out_hw[a] - 1) * stride[a] + dilation[a] * (kernel[a] - 1) + 1)
              for a in (0, 1)]
        return tuple(x_shape[:2]) + tuple(hw)

    def _windows(self, xpad, out_hw, kernel, stride, dilation):
        """The im2col view ``(N, C, OH, OW, kh, kw)`` of a padded input: no copy, only strides."""
        sn, sc, sh, sw = xpad.strides
        shape = xpad.shape[:2] + tuple(out_hw) + tuple(kernel)
        strides = (sn, sc, sh * stride[0], sw * stride[1], sh * dilation[0], sw * dilation[1])
        return self.xp.lib.stride_tricks.as_strided(xpad, shape, strides)

    def _im2col(self, windows, groups, out):
        """Windows ``(N, C, OH, OW, kh, kw)`` as a matrix per group: ``(groups, C/groups * kh * kw,
        N * OH * OW)``, written into the start of the flat array ``out``; rows: (channel, i, j) of
        the window, columns: (image, oh, ow).

        This is the one copy of the input that im2col makes. It is written by an assignment, not
        by ``reshape``: numpy's reshape copies this transposed view in a slow order (8x slower)."""
        n, c, oh, ow, kh, kw = windows.shape
        cols = out[:windows.size].reshape(c, kh, kw, n, oh, ow)
        cols[...] = windows.transpose(1, 4, 5, 0, 2, 3)
        return cols.reshape(groups, -1, n * oh * ow)

    def _col2im(self, cols, gx_padded, stride, dilation):
        """Add window gradients ``cols`` of shape ``(N, C, kh, kw, OH, OW)`` onto the padded input
        gradient ``gx_padded``: kernel offset ``(i, j)`` of window ``(oh, ow)`` touched pixel
        ``(oh * stride + i * dilation, ow * stride + j * dilation)``."""
        kh, kw, out_h, out_w = cols.shape[2:]
        for i in range(kh):  # one vectorised strided add per kernel offset
            for j in range(kw):
                top, left = i * dilation[0], j * dilation[1]
                gx_padded[:, :, top:top + stride[0] * out_h:stride[0], left:left + stride[1] * out_w:stride[1]] += cols[:, :, i, j]
        return gx_padded

    def _crop(self, gx_padded, x_shape, padding):
        """The part of a gradient computed on the padded input that lies on the input (a view)."""
        h, w = x_shape[2:]
        return gx_padded[:, :, padding[0]:padding[0] + h, padding[1]:padding[1] + w]

    # ---- convolution ---------------------------------------------------------------------------
    # Speed: the im2col matrix of a whole batch is big: a 32x64x56x56 input and a 3x3 kernel give
    # 576 x 100,352 floats (231 MB). Built whole, it goes out to main memory (whose fresh pages the
    # OS must first map) and the matrix product reads it back; built and used a block of output rows
    # at a time, in the same buffer, each block stays in the CPU's cache and the products run faster
    # too. One block's columns take about ``block_bytes``: 512 KiB, a quarter of the L2 cache of one
    # core of the machine we measured on, so that the weights and the block's product fit beside
    # them (best of 128 KiB to 8 MiB on that case and five smaller ones; 2 MiB was 10% slower).
    # Forward + backward of that convolution: 510 -> 285 ms of CPU time (torch: 210 ms).
    block_bytes = 512 << 10

    def _block_size(self, n, out_hw, column_bytes, weight_bytes):
        """How many images and output rows one block covers: its im2col columns (``column_bytes``
        for one output pixel) take about ``block_bytes``, or as much as the weights if they are
        larger (every block's product reads all the weights: smaller blocks would read them more
        often than they save). Several whole images when they are small, else a few rows of one.

        >>> Kernels(None)._block_size(n=4, out_hw=(8, 8), column_bytes=2 ** 14, weight_bytes=0)  # 32 pixels
        (1, 4)
        """
        rows = max(1, max(self.block_bytes, weight_bytes) // (column_bytes * out_hw[1]))
        return min(n, max(1, rows // out_hw[0])), min(out_hw[0], rows)

    def _column_blocks(self, x, w_shape, out_hw, stride, padding, dilation, groups):
        """Yield ``(images, rows, cols)`` for each block of the output: the slices of images and of
        output rows it covers, and its im2col matrix (see ``_im2col``).

        All blocks are written into the same two arrays (padded images, columns), which stay in
        cache; the zero border of the padded images is written once."""
        n, c, h, w = x.shape
        kernel = w_shape[2:]
        images_per_block, rows_per_block = self._block_size(n, out_hw, c * kernel[0] * kernel[1] * x.itemsize,
                                                            w_shape[0] * c // groups * kernel[0] * kernel[1] * x.itemsize)
        padded_shape = self._pad_shape((images_per_block, c, h, w), padding, out_hw, kernel, stride, dilation)
        padded = self.xp.zeros(padded_shape, dtype=x.dtype) if padded_shape[2:] != (h, w) else None
        cols = self.xp.empty(images_per_block * c * kernel[0] * kernel[1] * rows_per_block * out_hw[1], dtype=x.dtype)
        for start in range(0, n, images_per_block):
            images = slice(start, start + images_per_block)
            block = x[images]
            if padded is not None:
                padded[:len(block), :, padding[0]:padding[0] + h, padding[1]:padding[1] + w] = block
                block = padded[:len(block)]
            windows = self._windows(block, out_hw, kernel, stride, dilation)
            for top in range(0, out_hw[0], rows_per_block):
                rows = slice(top, top + rows_per_block)
                yield images, rows, self._im2col(windows[:, :, rows], groups, cols)

    def _conv_geometry(self, x_shape, w_shape, stride, padding, dilation):
        """The output size ``(OH, OW)`` of a convolution."""
        return tuple(out_size(x_shape[2 + a], w_shape[2 + a], stride[a], padding[a], dilation[a]) for a in (0, 1))

    def _grad_output_matrix(self, gy, groups):
        """``gy`` (N, O, OH, OW) as ``(groups, O/groups, N*OH*OW)``, matching ``_im2col``'s columns."""
        return gy.transpose(1, 0, 2, 3).reshape(groups, gy.shape[1] // groups, -1)

    def conv2d_forward(self, x, w, stride, padding, dilation, groups):
        """``y[n, o] = sum over c, i, j of w[o, c, i, j] * x_pad[n, c, oh*s + i*d, ow*s + j*d]``:
        per block, one (batched over groups) matrix product ``W (O, K) @ cols (K, N*OH*OW)``."""
        n, out_c = x.shape[0], w.shape[0]
        out_hw = self._conv_geometry(x.shape, w.shape, stride, padding, dilation)
        w_mat = w.reshape(groups, out_c // groups, -1)
        y = self.xp.empty((n, out_c) + out_hw, dtype=x.dtype)
        for images, rows, cols in self._column_blocks(x, w.shape, out_hw, stride, padding, dilation, groups):
            y_block = y[images, :, rows]
            if len(y_block) == 1:  # one image: the product's (O, OH*OW) is already its layout
                self.xp.matmul(w_mat, cols, out=y_block.reshape(w_mat.shape[:2] + (-1,)))
            else:  # (O, N*OH*OW) -> (N, O, OH, OW)
                y_block[...] = self.xp.matmul(w_mat, cols).reshape(out_c, len(y_block), -1, out_hw[1]).transpose(1, 0, 2, 3)
        return y

    def conv2d_backward_input(self, gy, w, x_shape, stride, padding, dilation, groups):
        """d loss / d x: each window's gradient ``W^T @ gy`` (col), summed back onto the input
        (col2im), a block at a time."""
        n, c = x_shape[:2]
        kernel, out_hw = w.shape[2:], gy.shape[2:]
        if tuple(stride) == (1, 1) and tuple(x_shape[2:]) == tuple(out_hw) and w.shape[0] <= c:
            # Speed: a stride-1 convolution whose output is as large as its input ('same' padding,
            # as in VGG and ResNet) has an input gradient that is the same convolution, of gy, with
            # the kernel flipped and its in/out channels swapped: each input pixel gathers from the
            # outputs whose windows covered it. Gathering (im2col) is cheaper than col2im's
            # overlapping adds when there are no more output than input channels to gather
            # (32x64x56x56, 64 3x3 filters: 130 -> 108 ms; with 128 filters col2im wins).
            og, cg = w.shape[0] // groups, w.shape[1]
            flipped = w.reshape(groups, og, cg, *kernel).transpose(0, 2, 1, 3, 4)[..., ::-1, ::-1]
            return self.conv2d_forward(gy, flipped.reshape(c, og, *kernel), (1, 1), padding, dilation, groups)
        w_t = w.reshape(groups, w.shape[0] // groups, -1).transpose(0, 2, 1)
        images_per_block, rows_per_block = self._block_size(n, out_hw, w[0].size * groups * gy.itemsize, w.nbytes)
        gx_padded = self.xp.empty(self._pad_shape((images_per_block,) + tuple(x_shape[1:]), padding, out_hw, kernel,
                                                  stride, dilation), dtype=gy.dtype)
        gx = self.xp.empty(x_shape, dtype=gy.dtype)
        for start in range(0, n, images_per_block):
            images = slice(start, start + images_per_block)
            gy_images, gx_images = gy[images], gx_padded[:len(gx[images])]
            gx_images[...] = 0
            for top in range(0, out_hw[0], rows_per_block):
                block = gy_images[:, :, top:top + rows_per_block]
                cols = self.xp.matmul(w_t, self._grad_output_matrix(block, groups))  # (groups, K, N*OH*OW)
                cols = cols.reshape(c, *kernel, len(block), -1, out_hw[1]).transpose(3, 0, 1, 2, 4, 5)
                self._col2im(cols, gx_images[:, :, top * stride[0]:], stride, dilation)
            gx[images] = self._crop(gx_images, x_shape, padding)
        return gx

    def conv2d_backward_weight(self, x, gy, w_shape, stride, padding, dilation, groups):
        """d loss / d w: ``gy (O, N*OH*OW) @ cols^T (N*OH*OW, K)`` per group, summed over the blocks.

        The blocks' columns are built again rather than kept from the forward: keeping them would
        mean the whole im2col matrix in memory (231 MB for the case above), slower to write and
        read back than the blocks are to rebuild in cache."""
        gw_t = 0  # the sum of the blocks' products, transposed: (groups, K, O/groups)
        for images, rows, cols in self._column_blocks(x, w_shape, gy.shape[2:], stride, padding, dilation, groups):
            gy_t = self._grad_output_matrix(gy[images, :, rows], groups).transpose(0, 2, 1)
            gw_t += self.xp.matmul(cols, gy_t)  # cols @ gy^T: with OpenBLAS, the faster orientation of
            # this product (65 against 81 ms for the case above)
        return gw_t.transpose(0, 2, 1).reshape(w_shape)

    # ---- max pooling -------------------------------------------------------------------------
    def _pool_windows(self, xpad, out_hw, kernel, stride, dilation):
        """The windows with the kernel offset first: ``(kh * kw, N, C, OH, OW)`` (one copy).

        Reducing over this first axis is fast in numpy (whole rows at a time), unlike reducing
        over the short trailing axes of the window view."""
        win = self._windows(xpad, out_hw, kernel, stride, dilation)
        return win.transpose(4, 5, 0, 1, 2, 3).reshape((-1,) + xpad.shape[:2] + tuple(out_hw))

    def max_pool2d_forward(self, x, kernel, stride, padding, dilation, ceil_mode):
        """Max over each window, and where it was: ``indices`` index the flattened ``H * W``
        input plane (torch's ``return_indices``), chosen as torch's CPU kernel chooses: the first
        maximum in row-major order, or the window's last NaN if it has any (the max is then NaN).
        Padding is ``-inf``: it never wins, not even a tie with real cells that are all ``-inf``."""
        xp = self.xp
        h, w = x.shape[2:]
        out_hw = tuple(out_size(x.shape[2 + a], kernel[a], stride[a], padding[a], dilation[a], ceil_mode) for a in (0, 1))
        windows = self._pool_windows(self._pad(x, padding, out_hw, kernel, stride, dilation, value=-xp.inf),
                                     out_hw, kernel, stride, dilation)
        y = windows.max(axis=0)
        top = xp.arange(out_hw[0])[:, None] * stride[0] - padding[0]  # each window's first row and column
        left = xp.arange(out_hw[1])[None, :] * stride[1] - padding[1]
        # offsets of the window's cells from its top-left one, in the flat H * W plane
        offsets = [i * dilation[0] * w + j * dilation[1] for i in range(kernel[0]) for j in range(kernel[1])]
        offset = xp.zeros(y.shape, dtype=xp.int64)
        for k in reversed(range(len(offsets))):  # backwards, so that the first max wins a tie
            is_max = windows[k] == y
            offset += is_max * (offsets[k] - offset)  # where(is_max, new, old), faster
        indices = top * w + left + offset
        # Two kinds of window that the comparisons above get wrong, fixed only where they occur:
        all_minus_inf = y == -xp.inf  # the max ties with the padding: torch takes the first real cell
        if all_minus_inf.any():
            first = _first_inside(top, dilation[0], h) * w + _first_inside(left, dilation[1], w)
            indices = xp.where(all_minus_inf, first, indices)
        if xp.isnan(y).any():  # nan == nan is False; torch's scan lets every NaN win, so the last one does
            for k in range(len(offsets)):
                indices = xp.where(xp.isnan(windows[k]), top * w + left + offsets[k], indices)
        return y, indices

    def max_pool2d_backward(self, gy, indices, x_shape):
        """Each output's gradient goes to the input pixel that was the max (summed if a pixel
        won several overlapping windows): one ``bincount`` over plane-offset indices."""
        xp = self.xp
        n, c, h, w = x_shape
        plane = xp.arange(n * c).reshape(n, c, 1, 1) * (h * w)
        gx = xp.bincount((indices + plane).ravel(), weights=gy.ravel(), minlength=n * c * h * w)
        return gx.astype(gy.dtype, copy=False).reshape(x_shape)

    # ---- average pooling -----------------------------------------------------------------------
    def _avg_divisor(self, x_shape, out_hw, kernel, stride, padding, count_include_pad, divisor_override):
        """How many values each window averages (torch's rule): padding counts when
        ``count_include_pad``, the overhang of ``ceil_mode`` never does."""
        xp = self.xp
        if divisor_override:
            return divisor_override
        counts = []
        for a in (0, 1):
            start = xp.arange(out_hw[a]) * stride[a] - padding[a]
            end = xp.minimum(start + kernel[a], x_shape[2 + a] + padding[a])
            if not count_include_pad:
                start, end = xp.maximum(start, 0), xp.minimum(end, x_shape[2 + a])
            counts.append(end - start)
        return counts[0][:, None] * counts[1][None, :]

    def _avg_out_hw(self, x_shape, kernel, stride, padding, ceil_mode):
        return tuple(out_size(x_shape[2 + a], kernel[a], stride[a], padding[a], 1, ceil_mode) for a in (0, 1))

    def avg_pool2d_forward(self, x, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override):
        """Sum over each window (zero padding) divided by the window's count."""
        out_hw = self._avg_out_hw(x.shape, kernel, stride, padding, ceil_mode)
        windows = self._pool_windows(self._pad(x, padding, out_hw, kernel, stride, (1, 1)), out_hw, kernel, stride, (1, 1))
        divisor = self._avg_divisor(x.shape, out_hw, kernel, stride, padding, count_include_pad, divisor_override)
        return (windows.sum(axis=0) / divisor).astype(x.dtype, copy=False)

    def avg_pool2d_backward(self, gy, x_shape, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override):
        """Every pixel of a window gets ``gy / count`` of that window (col2im of a broadcast)."""
        out_hw = gy.shape[2:]
        divisor = self._avg_divisor(x_shape, out_hw, kernel, stride, padding, count_include_pad, divisor_override)
        share = (gy / divisor).astype(gy.dtype, copy=False)
        cols = self.xp.broadcast_to(share[:, :, None, None], gy.shape[:2] + tuple(kernel) + tuple(out_hw))
        gx_padded = self.xp.zeros(self._pad_shape(x_shape, padding, out_hw, kernel, stride, (1, 1)), dtype=gy.dtype)
        return self.xp.ascontiguousarray(self._crop(self._col2im(cols, gx_padded, stride, (1, 1)), x_shape, padding))
