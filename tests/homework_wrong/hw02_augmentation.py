"""hw02_augmentation: cheats with the library's transforms or the judge's reference, and plausible
wrong answers."""

CHEATS = {
    "the library's rotate": ("rotation", '''
from minitorch.vision.transforms import functional as TF

def rotate(img, angle):
    return TF.rotate(img, angle, interpolation=TF.InterpolationMode.BILINEAR)
'''),
    "the judge's reference rotate": ("rotation", '''
from minitorch.grading.assignments.hw02_augmentation import _library_rotate as rotate
'''),
    "the library's affine as shift": ("shifting", '''
from minitorch.vision.transforms import functional as TF

def shift(img, dy, dx):
    return TF.affine(img, angle=0.0, translate=[dx, dy], scale=1.0, shear=[0.0, 0.0])
'''),
    "the judge's reference shift, through its table": ("shifting", '''
from minitorch.grading.assignments import hw02_augmentation

shift = hw02_augmentation.hw.reference["shift"]
'''),
    "the library's RandomRotation inside": ("random_rotation", '''
from minitorch.vision import transforms

class RandomRotation:
    def __init__(self, low=-15.0, high=15.0):
        self.inner = transforms.RandomRotation((low, high), interpolation=transforms.InterpolationMode.BILINEAR)

    def __call__(self, img):
        return self.inner(img)
'''),
    "the library's GaussianNoise inside": ("gaussian_noise", '''
from minitorch.vision import transforms

class GaussianNoise:
    def __init__(self, std=0.1):
        self.inner = transforms.GaussianNoise(sigma=std, clip=False)

    def __call__(self, img):
        return self.inner(img)
'''),
}

WRONG = {
    "rotates clockwise": ("rotation", '''
_rotate = rotate

def rotate(img, angle):
    return _rotate(img, -angle)
'''),
    "shift wraps around (roll)": ("shifting", '''
def shift(img, dy, dx):
    return img.roll((dy, dx), dims=(-2, -1))
'''),
    "angle drawn once, in __init__": ("random_rotation", '''
class RandomRotation:
    def __init__(self, low=-15.0, high=15.0):
        self.angle = torch.empty(1).uniform_(low, high).item()

    def __call__(self, img):
        return rotate(img, self.angle)
'''),
    "one angle for the whole batch": ("new_parameters_per_image", '''
class RandomRotation:
    def __init__(self, low=-15.0, high=15.0):
        self.low, self.high = low, high

    def __call__(self, img):
        return rotate(img, torch.empty(1).uniform_(self.low, self.high).item())
'''),
    "the upper end of the shifts left out": ("random_shift", '''
class RandomShift:
    def __init__(self, max_shift=2):
        self.max_shift = max_shift

    def __call__(self, img):
        if img.dim() == 4:
            return torch.stack([self(image) for image in img])
        dy, dx = torch.randint(-self.max_shift, self.max_shift, (2,)).tolist()
        return shift(img, dy, dx)
'''),
    "uniform noise of the right standard deviation": ("noise_distribution", '''
class GaussianNoise:
    def __init__(self, std=0.1):
        self.std = std

    def __call__(self, img):
        return img + self.std * 12 ** 0.5 * (torch.rand_like(img) - 0.5)
'''),
    "noise added in place": ("gaussian_noise", '''
class GaussianNoise:
    def __init__(self, std=0.1):
        self.std = std

    def __call__(self, img):
        return img.add_(self.std * torch.randn_like(img))
'''),
    "numpy's generator for the angle": ("uses_torch_generator", '''
class RandomRotation:
    def __init__(self, low=-15.0, high=15.0):
        self.low, self.high = low, high

    def __call__(self, img):
        if img.dim() == 4:
            return torch.stack([self(image) for image in img])
        return rotate(img, np.random.uniform(self.low, self.high))
'''),
    "Python's random for the shift": ("uses_torch_generator", '''
import random

class RandomShift:
    def __init__(self, max_shift=2):
        self.max_shift = max_shift

    def __call__(self, img):
        if img.dim() == 4:
            return torch.stack([self(image) for image in img])
        return shift(img, random.randint(-self.max_shift, self.max_shift), random.randint(-self.max_shift, self.max_shift))
'''),
}
