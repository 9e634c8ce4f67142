"""minitorch.vision.transforms: geometry, statistics, determinism, shapes/dtypes, batch vs single,
torchvision's values (written out below, computed once with torchvision 0.29), reprs and errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch as torch
from minitorch.autograd import gradcheck
from minitorch.vision import transforms as T
from minitorch.vision.transforms import functional as F

IM = T.InterpolationMode
MODES = [IM.NEAREST, IM.BILINEAR]


def image(*shape, dtype=np.float32, seed=0):
    rng = np.random.default_rng(seed)
    if dtype == np.uint8:
        return torch.from_numpy(rng.integers(0, 256, shape).astype(np.uint8))
    return torch.from_numpy(rng.random(shape).astype(dtype))


def shifted(a, dx, dy, margin=8):
    """numpy: content moved right by dx and down by dy (|dx|, |dy| <= margin), zeros coming in."""
    h, w = a.shape[-2:]
    big = np.pad(a, [(0, 0)] * (a.ndim - 2) + [(margin, margin)] * 2)
    return big[..., margin - dy:margin - dy + h, margin - dx:margin - dx + w]


# ---- geometry -----------------------------------------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(size=st.integers(1, 9), channels=st.sampled_from([None, 1, 3]), batch=st.booleans(),
       k=st.sampled_from([-1, 1, 2, 3]), mode=st.sampled_from(MODES))
def test_rotating_by_multiples_of_90_degrees_is_rot90(size, channels, batch, k, mode):
    shape = (size, size) if channels is None else (channels, size, size)  # (H, W) is one grey image
    img = image(*((2, *shape) if batch and channels else shape))
    out = F.rotate(img, 90 * k, mode)
    np.testing.assert_allclose(out.numpy(), np.rot90(img.numpy(), k, axes=(-2, -1)), atol=1e-6)
    assert out.shape == img.shape and out.dtype == img.dtype


def test_rotate_is_counter_clockwise():
    img = torch.zeros(1, 3, 3)
    img[0, 1, 2] = 1  # a dot right of the centre
    assert F.rotate(img, 90)[0].nonzero().tolist() == [[0, 1]]  # ends up above it


@settings(max_examples=30, deadline=None)
@given(dx=st.integers(-6, 6), dy=st.integers(-6, 6), mode=st.sampled_from(MODES), batch=st.booleans())
def test_a_shift_moves_content_by_exactly_that_many_pixels(dx, dy, mode, batch):
    img = image(*((2, 3, 5, 6) if batch else (3, 5, 6)))
    out = F.affine(img, angle=0, translate=[dx, dy], scale=1, shear=0, interpolation=mode)
    np.testing.assert_allclose(out.numpy(), shifted(img.numpy(), dx, dy), atol=1e-6)


def test_flips_and_random_flips():
    img = image(2, 3, 4, 5)
    np.testing.assert_array_equal(F.hflip(img).numpy(), img.numpy()[..., ::-1])
    np.testing.assert_array_equal(F.vflip(img).numpy(), img.numpy()[..., ::-1, :])
    assert torch.equal(T.RandomHorizontalFlip(p=1.0)(img), F.hflip(img))
    assert torch.equal(T.RandomVerticalFlip(p=1.0)(img), F.vflip(img))
    assert T.RandomHorizontalFlip(p=0.0)(img) is img


def test_rotate_matches_torchvision():
    img = torch.arange(25.).view(1, 5, 5)
    assert F.rotate(img, 30).int().tolist() == [[[0, 2, 3, 9, 0], [1, 7, 7, 13, 14], [5, 11, 12, 13, 19],
                                                 [10, 11, 17, 17, 23], [0, 15, 21, 22, 0]]]
    assert F.rotate(img, 30, fill=[-1.]).int().tolist() == [[[-1, 2, 3, 9, -1], [1, 7, 7, 13, 14],
                                                            [5, 11, 12, 13, 19], [10, 11, 17, 17, 23],
                                                            [-1, 15, 21, 22, -1]]]
    assert F.rotate(torch.arange(12.).view(1, 3, 4), 30, expand=True).int().tolist() == [
        [[0, 0, 0, 3, 0, 0], [0, 0, 2, 2, 7, 0], [0, 0, 5, 6, 11, 0], [0, 4, 9, 9, 0, 0], [0, 0, 8, 0, 0, 0]]]
    bilinear = F.rotate(torch.arange(16.).view(1, 4, 4), 30, IM.BILINEAR)
    np.testing.assert_allclose(bilinear[0].numpy(), [[0.4288, 1.7279, 4.4869, 3.0683], [1.7189, 4.5849, 7.451, 9.7644],
                                                      [4.5, 7.549, 10.4151, 13.2811], [3.6962, 10.5131, 12.5365, 6.3356]],
                               atol=1e-4)


def test_affine_matches_torchvision():
    out = F.affine(torch.arange(36.).view(1, 6, 6), angle=20, translate=[1, -1], scale=0.9, shear=[10, 5])
    assert out.int().tolist() == [[[0, 0, 6, 7, 8, 3], [0, 18, 13, 14, 15, 16], [0, 24, 19, 20, 21, 22],
                                   [30, 31, 32, 27, 28, 29], [0, 0, 0, 33, 34, 35], [0, 0, 0, 0, 0, 0]]]


def test_resize_matches_torchvision_and_antialias_averages():
    img = torch.arange(35.).view(1, 5, 7)
    np.testing.assert_allclose(F.resize(img, [3, 4])[0].numpy(),
                               [[3.5238, 5.08, 6.92, 8.4762], [14.5238, 16.08, 17.92, 19.4762],
                                [25.5238, 27.08, 28.92, 30.4762]], atol=1e-4)
    np.testing.assert_allclose(F.resize(img, [3, 4], antialias=False)[0].numpy(),
                               [[2.7083, 4.4583, 6.2083, 7.9583], [14.375, 16.125, 17.875, 19.625],
                                [26.0417, 27.7917, 29.5417, 31.2917]], atol=1e-4)
    # halving with antialias: each output mixes 4 inputs with a tent's weights (1, 3, 3, 1) / 8
    row = np.arange(8.0)
    padded = np.concatenate([[row[0]], row, [row[-1]]])  # the border weights renormalise to (3, 3, 1) / 7
    expected = [(3 * row[0] + 3 * row[1] + row[2]) / 7] + [
        (padded[2 * i] + 3 * padded[2 * i + 1] + 3 * padded[2 * i + 2] + padded[2 * i + 3]) / 8 for i in (1, 2)] + [
        (row[5] + 3 * row[6] + 3 * row[7]) / 7]
    np.testing.assert_allclose(F.resize(torch.tensor(row).view(1, 1, 8), [1, 4])[0, 0].numpy(), expected)
    assert F.resize(image(3, 10, 20), 5).shape == (3, 5, 10)  # an int sets the shorter edge
    assert F.resize(torch.arange(4.).view(1, 1, 4), [1, 2], IM.NEAREST).tolist() == [[[0.0, 2.0]]]


def test_crops_and_padding():
    img = torch.arange(12.).view(1, 3, 4)
    assert F.crop(img, 1, 1, 2, 2).tolist() == [[[5.0, 6.0], [9.0, 10.0]]]
    assert F.crop(img, -1, 3, 2, 2).tolist() == [[[0.0, 0.0], [3.0, 0.0]]]  # outside the image: 0
    assert F.center_crop(img, 2).tolist() == [[[1.0, 2.0], [5.0, 6.0]]]  # top: round(0.5) == 0
    assert F.center_crop(img, (5, 4)).shape == (1, 5, 4)
    row = torch.tensor([[[1.0, 2.0, 3.0]]])
    assert F.pad(row, [2, 0], padding_mode="reflect").tolist() == [[[3.0, 2.0, 1.0, 2.0, 3.0, 2.0, 1.0]]]
    assert F.pad(row, [2, 0], padding_mode="symmetric").tolist() == [[[2.0, 1.0, 1.0, 2.0, 3.0, 3.0, 2.0]]]
    assert F.pad(row, [1, 0], padding_mode="edge").tolist() == [[[1.0, 1.0, 2.0, 3.0, 3.0]]]
    assert F.pad(row, [1, 0, 0, 1], fill=9).tolist() == [[[9.0, 1.0, 2.0, 3.0], [9.0, 9.0, 9.0, 9.0]]]
    torch.manual_seed(0)
    assert T.RandomCrop(4, pad_if_needed=True)(img).shape == (1, 4, 4)
    assert T.RandomResizedCrop((5, 6))(image(3, 20, 30)).shape == (3, 5, 6)


# ---- colour, blur, noise ------------------------------------------------------------------------

def test_colour_functions_match_torchvision():
    rgb = torch.tensor([[[0.9, 0.1], [0.3, 0.5]], [[0.2, 0.8], [0.3, 0.1]], [[0.4, 0.6], [0.3, 0.7]]])
    np.testing.assert_allclose(F.adjust_hue(rgb, 0.25).numpy(), [[[0.75, 0.25], [0.3, 0.7]], [[0.9, 0.1], [0.3, 0.2]],
                                                                 [[0.2, 0.8], [0.3, 0.1]]], atol=1e-4)
    np.testing.assert_allclose(F.adjust_saturation(rgb, 1.5).numpy(),
                               [[[1.0, 0.0], [0.3, 0.606]], [[0.084, 0.9161], [0.3, 0.006]],
                                [[0.384, 0.6161], [0.3, 0.906]]], atol=1e-4)
    np.testing.assert_allclose(F.gaussian_blur(torch.arange(16.).view(1, 4, 4), 3, 1.0)[0].numpy(),
                               [[2.7407, 3.1925, 4.1925, 4.6444], [4.5481, 5.0, 6.0, 6.4519],
                                [8.5481, 9.0, 10.0, 10.4519], [10.3556, 10.8075, 11.8075, 12.2593]], atol=1e-4)


@settings(max_examples=25, deadline=None)
@given(factor=st.floats(-0.5, 0.5), seed=st.integers(0, 100))
def test_hue_shifts_undo_each_other_and_keep_grey(factor, seed):
    rgb = image(3, 4, 4, seed=seed)
    back = F.adjust_hue(F.adjust_hue(rgb, factor), -factor)
    np.testing.assert_allclose(back.numpy(), rgb.numpy(), atol=1e-5)
    grey = image(1, 4, 4, seed=seed).expand(3, 4, 4)
    np.testing.assert_allclose(F.adjust_hue(grey, factor).numpy(), grey.numpy(), atol=1e-6)


def test_brightness_contrast_saturation():
    rgb = image(3, 6, 6)
    np.testing.assert_allclose(F.adjust_brightness(rgb, 0.5).numpy(), rgb.numpy() * 0.5, atol=1e-7)
    assert F.adjust_brightness(rgb, 3).max() <= 1  # clipped
    flat = F.adjust_contrast(rgb, 0)  # contrast 0: every pixel is the mean grey level
    assert torch.allclose(flat, flat[0, 0, 0].expand(3, 6, 6))
    gray = F.adjust_saturation(rgb, 0)
    assert torch.allclose(gray, F.rgb_to_grayscale(rgb, 3))
    u8 = image(3, 6, 6, dtype=np.uint8)
    assert F.adjust_brightness(u8, 2).dtype == torch.uint8 and int(F.adjust_brightness(u8, 2).max()) <= 255


def test_color_jitter_factors_stay_in_their_ranges():
    const = torch.full((1, 4, 4), 0.5)
    torch.manual_seed(0)
    jitter = T.ColorJitter(brightness=(0.6, 1), contrast=(0.8, 1))
    values = torch.stack([jitter(const)[0, 0, 0] for _ in range(200)])
    assert 0.3 <= float(values.min()) < 0.33 and 0.47 < float(values.max()) <= 0.5  # 0.5 * [0.6, 1]
    for _ in range(20):
        b, c, s, h = T.ColorJitter.get_params((0.5, 1.5), (0.9, 1.1), (0, 2), (-0.1, 0.1))[1:]
        assert 0.5 <= b <= 1.5 and 0.9 <= c <= 1.1 and 0 <= s <= 2 and -0.1 <= h <= 0.1
    assert sorted(T.ColorJitter.get_params(None, None, None, None)[0].tolist()) == [0, 1, 2, 3]


def test_color_jitter_matches_torchvision_under_a_seed():
    rgb = torch.tensor([[[0.9, 0.1], [0.3, 0.5]], [[0.2, 0.8], [0.3, 0.1]], [[0.4, 0.6], [0.3, 0.7]]])
    torch.manual_seed(3)
    np.testing.assert_allclose(T.ColorJitter(0.5, 0.5, 0.5, 0.2)(rgb).numpy(),
                               [[[0.3614, 0.1626], [0.1596, 0.2716]], [[0.2343, 0.2897], [0.1596, 0.0995]],
                                [[0.1607, 0.3633], [0.1596, 0.2167]]], atol=1e-4)


@pytest.mark.parametrize("mean, sigma", [(0.0, 0.1), (0.2, 0.3), (-0.1, 1.0)])
def test_gaussian_noise_has_the_stated_mean_and_std(mean, sigma):
    torch.manual_seed(0)
    noise = T.GaussianNoise(mean, sigma, clip=False)(torch.zeros(1, 200, 200))
    assert abs(float(noise.mean()) - mean) < 0.01 * max(sigma, 0.1)
    assert abs(float(noise.std()) - sigma) < 0.02 * sigma
    clipped = F.gaussian_noise(torch.full((1, 50, 50), 0.5), sigma=0.5)
    assert float(clipped.min()) == 0.0 and float(clipped.max()) == 1.0
    u8 = F.gaussian_noise(torch.full((1, 50, 50), 128, dtype=torch.uint8), sigma=0.1)
    assert u8.dtype == torch.uint8 and abs(float(u8.float().std()) - 25.5) < 2


def test_the_lectures_noise_class_runs():
    class Noise():
        """Adds gaussian noise to a tensor (lecture 001's custom transform, unchanged)."""

        def __init__(self, mean, stddev):
            self.mean = mean
            self.stddev = stddev

        def __call__(self, tensor):
            noise = torch.zeros_like(tensor).normal_(self.mean, self.stddev)
            return tensor.add_(noise)

        def __repr__(self):
            return f'{self.__class__.__name__}(mean={self.mean}, stddev={self.stddev})'

    torch.manual_seed(0)
    pipeline = T.Compose([T.RandomRotation((-15, 15)), Noise(0.1, 0.05)])
    out = pipeline(torch.zeros(1, 100, 100))
    assert abs(float(out.mean()) - 0.1) < 0.005 and abs(float(out.std()) - 0.05) < 0.005
    assert "Noise(mean=0.1, stddev=0.05)" in repr(pipeline)


def test_random_erasing():
    torch.manual_seed(0)
    img = torch.ones(3, 20, 20)
    out = T.RandomErasing(p=1.0, value=0)(img)
    erased = (out == 0).all(0)
    rows, cols = erased.any(1).nonzero().view(-1), erased.any(0).nonzero().view(-1)
    assert 0 < int(erased.sum()) == len(rows) * len(cols)  # one box
    assert float(img.min()) == 1.0  # not in place
    assert T.RandomErasing(p=0.0)(img) is img


# ---- determinism, shapes and dtypes, batches ------------------------------------------------------

PIPELINE = [T.RandomRotation(20), T.RandomAffine(10, translate=(0.1, 0.1), scale=(0.9, 1.1), shear=5),
            T.ColorJitter(0.4, 0.4, 0.4, 0.1), T.RandomHorizontalFlip(), T.RandomVerticalFlip(),
            T.RandomCrop(12, padding=2), T.GaussianBlur(3), T.RandomErasing(), T.GaussianNoise()]


def test_random_transforms_repeat_under_a_seed():
    pipeline = T.Compose(PIPELINE)
    img = image(3, 12, 12)
    torch.manual_seed(7)
    first = [pipeline(img) for _ in range(3)]
    torch.manual_seed(7)
    second = [pipeline(img) for _ in range(3)]
    assert all(torch.equal(a, b) for a, b in zip(first, second))
    assert not torch.equal(first[0], first[1])


def test_random_transforms_draw_like_torchvision():
    torch.manual_seed(0)
    out = T.RandomAffine(30, translate=(0.2, 0.2), scale=(0.8, 1.2), shear=10)(torch.arange(36.).view(1, 6, 6))
    assert out.int().tolist() == [[[0, 6, 7, 8, 9, 10], [0, 12, 13, 14, 15, 16], [0, 18, 19, 20, 21, 22],
                                   [0, 0, 25, 26, 27, 28], [0, 0, 31, 32, 33, 34], [0, 0, 0, 0, 0, 0]]]
    torch.manual_seed(1)
    pipe = T.Compose([T.RandomRotation((-15, 15)), T.RandomCrop(4, padding=1), T.RandomHorizontalFlip()])
    img = torch.arange(25.).view(1, 5, 5)
    assert [pipe(img).int().tolist() for _ in range(2)] == [
        [[[0, 10, 11, 12], [0, 15, 16, 17], [0, 20, 21, 22], [0, 0, 0, 0]]],
        [[[2, 2, 3, 0], [7, 8, 9, 0], [12, 13, 14, 0], [17, 18, 14, 0]]]]


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.uint8])
@pytest.mark.parametrize("transform", PIPELINE[:-2] + [T.Grayscale(3), T.Normalize((0.5,), (0.2,))],
                         ids=lambda t: type(t).__name__)
def test_transforms_keep_shape_and_dtype(transform, dtype):
    img = image(2, 3, 12, 12, dtype=dtype)
    if isinstance(transform, T.Normalize) and dtype == np.uint8:
        with pytest.raises(TypeError, match="Input tensor should be a float tensor"):
            transform(img)
        return
    torch.manual_seed(0)
    out = transform(img)
    assert out.shape == img.shape and out.dtype == img.dtype


DETERMINISTIC = {
    "rotate": lambda x: F.rotate(x, 33, IM.BILINEAR, fill=[0.5]),
    "rotate_expand": lambda x: F.rotate(x, 20, expand=True),
    "affine": lambda x: F.affine(x, 12, [1, -2], 1.1, [5, 3], IM.BILINEAR),
    "resize": lambda x: F.resize(x, [5, 9]),
    "blur": lambda x: F.gaussian_blur(x, 5, 1.2),
    "contrast": lambda x: F.adjust_contrast(x, 1.4),
    "hue": lambda x: F.adjust_hue(x, 0.2),
    "saturation": lambda x: F.adjust_saturation(x, 0.4),
    "grayscale": lambda x: F.rgb_to_grayscale(x),
    "normalize": lambda x: F.normalize(x, (0.1, 0.2, 0.3), (0.5, 0.6, 0.7)),
    "pad": lambda x: F.pad(x, [1, 2, 3, 0], padding_mode="reflect"),
}


@pytest.mark.parametrize("name", DETERMINISTIC)
def test_a_batch_equals_its_images_one_by_one(name):
    fn = DETERMINISTIC[name]
    batch = image(4, 3, 8, 10)
    np.testing.assert_allclose(fn(batch).numpy(), torch.stack([fn(x) for x in batch]).numpy(), atol=1e-6)
    nested = batch.view(2, 2, 3, 8, 10)  # any leading dims
    np.testing.assert_allclose(fn(nested).numpy(), fn(batch).view(2, 2, *fn(batch).shape[1:]).numpy(), atol=1e-6)


def test_gradients_flow_through_the_sampling_grid():
    img = image(1, 2, 5, 6, dtype=np.float64).requires_grad_()
    assert gradcheck(lambda x: F.affine(x, 17, [1, 0], 0.9, [4, 2], IM.BILINEAR, fill=[0.3, 0.7]), (img,))
    assert gradcheck(lambda x: F.resize(x, [3, 8]), (img,))
    F.rotate(img, 30, IM.BILINEAR).sum().backward()
    assert img.grad.shape == img.shape


# ---- conversions, PIL images and the lecture's pipeline -----------------------------------------

def test_to_tensor_and_back():
    array = np.random.default_rng(0).integers(0, 256, (5, 6, 3)).astype(np.uint8)
    t = T.ToTensor()(array)
    assert t.shape == (3, 5, 6) and t.dtype == torch.float32
    np.testing.assert_allclose(t.numpy(), array.transpose(2, 0, 1) / 255, atol=1e-7)
    assert T.ToTensor()(array[:, :, 0]).shape == (1, 5, 6)
    assert T.ToTensor()(array.astype(np.float64)).dtype == torch.float64  # not scaled
    PIL = pytest.importorskip("PIL.Image")
    pic = PIL.fromarray(array)
    assert torch.equal(T.ToTensor()(pic), t)
    assert torch.equal(T.PILToTensor()(pic), torch.from_numpy(array.transpose(2, 0, 1).copy()))
    back = T.ToPILImage()(T.PILToTensor()(pic))
    assert back.mode == "RGB" and np.array_equal(np.asarray(back), array)
    assert T.ToPILImage()(torch.zeros(1, 3, 4)).mode == "L"
    np.testing.assert_array_equal(F.convert_image_dtype(torch.tensor([[[0.0, 0.5, 1.0]]]), torch.uint8).tolist(),
                                  [[[0, 127, 255]]])


def test_transforms_take_and_return_pil_images():
    PIL = pytest.importorskip("PIL.Image")
    from minitorch.vision.datasets import sample_image

    cat = sample_image("cat")
    torch.manual_seed(0)
    for t in PIPELINE[:-3] + [T.Resize(64), T.CenterCrop(100), T.Grayscale(), T.RandomResizedCrop(50)]:
        out = t(cat)
        assert isinstance(out, PIL.Image)
    assert T.Resize(64)(cat).size == (96, 64)
    assert T.Grayscale()(cat).mode == "L"
    assert np.array_equal(np.asarray(F.hflip(cat)), np.asarray(cat)[:, ::-1])


def test_normalize_on_arrays_equals_the_tensor_formula_and_keeps_gradients():
    x = torch.rand(3, 4, 5)
    mean, std = (0.1, 0.2, 0.3), torch.tensor([0.5, 0.25, 2.0])
    expected = (x - torch.tensor(mean).view(-1, 1, 1)) / std.view(-1, 1, 1)
    assert torch.equal(F.normalize(x, mean, std), expected)
    y = x.clone()
    assert F.normalize(y, mean, std, inplace=True) is y and torch.equal(y, expected) and y._version == 1
    leaf = x.clone().requires_grad_()
    F.normalize(leaf, (0.5,), (0.25,)).sum().backward()
    assert leaf.grad.tolist() == torch.full((3, 4, 5), 4.0).tolist()
    transposed = torch.rand(4, 5, 3).permute(2, 0, 1)  # torch keeps the input's layout
    assert F.normalize(transposed, (0.5,), (0.5,)).stride() == transposed.stride()


def _pil_digit():
    Image = pytest.importorskip("PIL.Image")
    array = np.zeros((12, 12), np.uint8)
    array[2:9, 3:6], array[4, 3:10] = 200, 90  # an asymmetric shape: every transform shows
    return Image.fromarray(array), array


def test_pil_rotation_and_affine_are_done_by_pillow_in_torchvisions_conventions():
    pic, array = _pil_digit()
    # counter-clockwise about the centre: 90 degrees on a square image is rot90
    np.testing.assert_array_equal(np.asarray(F.rotate(pic, 90)), np.rot90(array))
    assert F.rotate(pic, 30, expand=True).size == pic.rotate(30, expand=True).size
    # translate moves the content by whole pixels, right and down
    shifted = np.asarray(F.affine(pic, angle=0.0, translate=[2, 1], scale=1.0, shear=0.0))
    np.testing.assert_array_equal(shifted[1:, 2:], array[:-1, :-2])
    assert not shifted[0].any() and not shifted[:, :2].any()
    # a general map agrees with the tensor path except where rounding ties fall differently
    kwargs = dict(angle=25.0, translate=[1, -1], scale=1.1, shear=[5.0, 3.0])
    from_pil = np.asarray(F.affine(pic, **kwargs))
    from_tensor = F.affine(torch.from_numpy(array)[None], **kwargs)[0].numpy()
    assert (from_pil == from_tensor).mean() > 0.95


def test_pil_fill_is_one_value_per_band():
    pic, _ = _pil_digit()
    assert np.asarray(F.rotate(pic, 45, fill=7))[0, 0] == 7
    rgb = pic.convert("RGB")
    assert np.asarray(F.rotate(rgb, 45, fill=[10, 20, 30]))[0, 0].tolist() == [10, 20, 30]
    assert np.asarray(F.affine(rgb, 45.0, [0, 0], 1.0, 0.0, fill=5))[0, 0].tolist() == [5, 5, 5]
    with pytest.raises(ValueError, match="does not match the number of channels"):
        F.rotate(rgb, 45, fill=[1, 2])


def test_random_rotation_of_a_pil_image_draws_the_angle_like_torchvision():
    pic, _ = _pil_digit()
    torch.manual_seed(3)
    out = T.RandomRotation((-15, 15))(pic)
    after = torch.rand(1).item()
    torch.manual_seed(3)
    angle = torch.empty(1).uniform_(-15, 15).item()  # torchvision's draw
    np.testing.assert_array_equal(np.asarray(out), np.asarray(pic.rotate(angle)))
    assert torch.rand(1).item() == after  # one number drawn, as torchvision draws


def test_pil_resize_crop_and_flips():
    Image = pytest.importorskip("PIL.Image")
    pic, array = _pil_digit()
    assert F.resize(pic, [6, 9], interpolation=T.InterpolationMode.BICUBIC).size == (9, 6)  # Pillow's filters
    np.testing.assert_array_equal(np.asarray(F.resize(pic, 6)), np.asarray(pic.resize((6, 6), Image.BILINEAR)))
    assert F.resize(pic, 12) is pic  # already that size
    np.testing.assert_array_equal(np.asarray(F.crop(pic, -1, 10, 3, 4)),
                                  np.pad(array[0:2, 10:12], ((1, 0), (0, 2))))  # outside the image: 0
    np.testing.assert_array_equal(np.asarray(F.vflip(pic)), array[::-1])
    np.testing.assert_array_equal(np.asarray(F.hflip(pic)), array[:, ::-1])


def test_the_lectures_mnist_pipeline():
    pytest.importorskip("PIL")
    from minitorch.utils.data import DataLoader
    from minitorch.vision import datasets

    train = datasets.MNIST5k(train=True, transform=T.Compose([
        T.ColorJitter(brightness=(0.6, 1), contrast=(0.8, 1)),
        T.RandomRotation((-15, 15)),
        T.ToTensor(),
        T.Normalize((0.1307,), (0.3081,))]))
    torch.manual_seed(0)
    images, labels = next(iter(DataLoader(train, batch_size=64, shuffle=True)))
    assert images.shape == (64, 1, 28, 28) and images.dtype == torch.float32
    assert labels.shape == (64,) and labels.dtype == torch.int64
    assert -0.5 < float(images.min()) and float(images.max()) < 3.0  # (0 - 0.1307) / 0.3081 .. (1 - 0.1307) / 0.3081


# ---- reprs and errors ---------------------------------------------------------------------------

def test_reprs_match_torchvision():
    assert repr(T.Compose([T.ColorJitter(brightness=(0.6, 1), contrast=(0.8, 1)), T.RandomRotation((-15, 15)),
                           T.ToTensor(), T.Normalize((0.1307,), (0.3081,))])) == (
        "Compose(\n"
        "    ColorJitter(brightness=(0.6, 1.0), contrast=(0.8, 1.0), saturation=None, hue=None)\n"
        "    RandomRotation(degrees=[-15.0, 15.0], interpolation=nearest, expand=False, fill=0)\n"
        "    ToTensor()\n"
        "    Normalize(mean=(0.1307,), std=(0.3081,))\n"
        ")")
    expected = {
        T.RandomAffine(10, translate=(0.1, 0.1), scale=(0.9, 1.1), shear=5):
            "RandomAffine(degrees=[-10.0, 10.0], translate=(0.1, 0.1), scale=(0.9, 1.1), shear=[-5.0, 5.0])",
        T.RandomCrop(24, padding=4): "RandomCrop(size=(24, 24), padding=4)",
        T.Resize(32): "Resize(size=32, interpolation=bilinear, max_size=None, antialias=True)",
        T.RandomResizedCrop(24): "RandomResizedCrop(size=(24, 24), scale=(0.08, 1.0), ratio=(0.75, 1.3333), "
                                 "interpolation=bilinear, antialias=True)",
        T.ColorJitter(0.5, 0.5, 0.5, 0.1): "ColorJitter(brightness=(0.5, 1.5), contrast=(0.5, 1.5), "
                                           "saturation=(0.5, 1.5), hue=(-0.1, 0.1))",
        T.GaussianBlur(3): "GaussianBlur(kernel_size=(3, 3), sigma=(0.1, 2.0))",
        T.RandomErasing(): "RandomErasing(p=0.5, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0, inplace=False)",
        T.RandomRotation(30, center=(1, 2), fill=1, expand=True):
            "RandomRotation(degrees=[-30.0, 30.0], interpolation=nearest, expand=True, center=(1, 2), fill=1)",
        T.RandomVerticalFlip(0.3): "RandomVerticalFlip(p=0.3)",
        T.Grayscale(3): "Grayscale(num_output_channels=3)",
        T.GaussianNoise(): "GaussianNoise(mean=0.0, sigma=0.1, clip=True)",
    }
    for transform, text in expected.items():
        assert repr(transform) == text
    assert isinstance(T.RandomRotation(5), torch.nn.Module) and not isinstance(T.ToTensor(), torch.nn.Module)


@pytest.mark.parametrize("make, error, message", [
    (lambda: F.rotate(torch.zeros(1, 4, 4), "90"), TypeError, "Argument angle should be int or float"),
    (lambda: F.rotate(torch.zeros(1, 4, 4), 9, interpolation="bilinear"), TypeError, "InterpolationMode"),
    (lambda: F.rotate(torch.zeros(1, 4, 4), 9, IM.BICUBIC), ValueError, "Interpolation mode 'bicubic' is unsupported"),
    (lambda: F.rotate(torch.zeros(3, 4, 4), 9, fill=[1, 2]), ValueError, r"cannot broadcast .* \(2 != 3\)"),
    (lambda: F.affine(torch.zeros(1, 4, 4), 0, [1], 1, 0), ValueError, "translate should be a sequence of length 2"),
    (lambda: F.affine(torch.zeros(1, 4, 4), 0, [1, 1], 0, 0), ValueError, "scale should be positive"),
    (lambda: F.adjust_brightness(torch.zeros(1, 4, 4), -1), ValueError, r"brightness_factor \(-1\) is not non-negative"),
    (lambda: F.adjust_hue(torch.zeros(3, 4, 4), 0.7), ValueError, r"hue_factor \(0.7\) is not in \[-0.5, 0.5\]"),
    (lambda: F.adjust_contrast(torch.zeros(2, 4, 4), 1.0), TypeError, r"permitted channel values are \[1, 3\]"),
    (lambda: F.normalize(torch.zeros(1, 4, 4, dtype=torch.uint8), (0,), (1,)), TypeError, "should be a float tensor"),
    (lambda: F.normalize(torch.zeros(1, 4, 4), (0,), (0,)), ValueError, "std evaluated to zero"),
    (lambda: F.pad(torch.zeros(1, 4, 4), 1, padding_mode="wrap"), ValueError, "Padding mode should be either"),
    (lambda: F.gaussian_blur(torch.zeros(1, 4, 4), 4), ValueError, "kernel_size should have odd and positive"),
    (lambda: F.gaussian_noise(torch.zeros(1, 4, 4), sigma=-1), ValueError, "sigma shouldn't be negative"),
    (lambda: F.to_tensor([1, 2]), TypeError, "pic should be PIL Image or ndarray"),
    (lambda: F.hflip([1, 2]), TypeError, "img should be PIL Image or Tensor"),
    (lambda: T.RandomRotation(-5), ValueError, "If degrees is a single number, it must be positive."),
    (lambda: T.RandomAffine(5, translate=(0.5, 2)), ValueError, "translation values should be between 0 and 1"),
    (lambda: T.ColorJitter(hue=0.6), ValueError, r"hue values should be between \(-0.5, 0.5\)"),
    (lambda: T.ColorJitter(brightness="a"), TypeError, "brightness should be a single number or a list/tuple"),
    (lambda: T.GaussianBlur(4), ValueError, "Kernel size value should be an odd and positive number."),
    (lambda: T.RandomErasing(value="noise"), ValueError, "If value is str, it should be 'random'"),
    (lambda: T.RandomCrop(10)(torch.zeros(1, 4, 4)), ValueError, r"Required crop size \(10, 10\) is larger"),
    (lambda: T.Lambda(3), TypeError, "Argument lambd should be callable, got 'int'"),
])
def test_errors(make, error, message):
    with pytest.raises(error, match=message):
        make()


@pytest.mark.cuda
def test_transforms_run_on_the_gpu():
    img = image(2, 3, 16, 16)
    gpu = img.cuda()
    for name, fn in DETERMINISTIC.items():
        out = fn(gpu)
        assert out.is_cuda, name
        np.testing.assert_allclose(out.cpu().numpy(), fn(img).numpy(), atol=1e-5, err_msg=name)
    torch.manual_seed(0)
    out = T.Compose(PIPELINE)(gpu)
    assert out.is_cuda and out.shape == (2, 3, 12, 12)
