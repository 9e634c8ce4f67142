"""minitorch.vision.datasets: the bundled sets, the verified downloader (against a local http.server
serving tiny generated IDX files - no test reaches the internet), ImageFolder and Letters29."""

import gzip
import hashlib
import http.server
import sys
import threading
from types import SimpleNamespace

import numpy as np
import pytest

import minitorch as torch
from minitorch import data as bundled
from minitorch.vision import datasets, transforms
from minitorch.vision.datasets import _download
from minitorch.vision.datasets.mnist import mnist5k_split

PIL = pytest.importorskip("PIL.Image")


# ---- bundled: MNIST5k and the sample photo -------------------------------------------------------

def test_mnist5k_split_is_fixed_stratified_and_complete():
    train, test = datasets.MNIST5k(train=True), datasets.MNIST5k(train=False)
    assert (len(train), len(test)) == (4000, 1000)
    assert np.bincount(train.targets.numpy()).tolist() == [400] * 10
    assert np.bincount(test.targets.numpy()).tolist() == [100] * 10
    images, labels = bundled.load_mnist5k()
    train_idx, test_idx = mnist5k_split(labels)
    assert sorted(np.concatenate([train_idx, test_idx]).tolist()) == list(range(5000))
    np.testing.assert_array_equal(train.data.numpy(), images[train_idx])
    np.testing.assert_array_equal(test.targets.numpy(), labels[test_idx])
    assert train_idx[:5].tolist() == mnist5k_split(labels)[0][:5].tolist()  # the same on every call
    assert len(set(train.targets[:50].tolist())) == 10  # the order mixes the classes
    assert train.data.dtype == torch.uint8 and train.data.shape == (4000, 28, 28)
    assert train.targets.dtype == torch.int64


def test_mnist5k_items_are_pil_images_like_torchvision():
    ds = datasets.MNIST5k(train=False)
    image, label = ds[0]
    assert isinstance(image, PIL.Image) and image.mode == "L" and image.size == (28, 28)
    assert isinstance(label, int) and label == int(ds.targets[0])
    np.testing.assert_array_equal(np.asarray(image), ds.data[0].numpy())
    assert ds.classes[3] == "3 - three" and ds.class_to_idx["9 - nine"] == 9


def test_mnist5k_transforms_and_repr():
    ds = datasets.MNIST5k("../data", train=True, download=True, transform=transforms.ToTensor(),
                          target_transform=lambda y: y * 10)  # root and download are ignored
    image, label = ds[1]
    assert image.shape == (1, 28, 28) and image.dtype == torch.float32 and float(image.max()) <= 1
    assert label == 10 * int(ds.targets[1])
    assert repr(datasets.MNIST5k(train=False, transform=transforms.Compose([transforms.ToTensor()]))) == (
        "Dataset MNIST5k\n"
        "    Number of datapoints: 1000\n"
        "    Split: Test\n"
        "    StandardTransform\n"
        "Transform: Compose(\n"
        "               ToTensor()\n"
        "           )")


def test_sample_image():
    cat = datasets.sample_image("cat")
    assert isinstance(cat, PIL.Image) and cat.mode == "RGB" and cat.size == (451, 300)
    assert transforms.ToTensor()(cat).shape == (3, 300, 451)
    with pytest.raises(ValueError, match="no sample image 'dog'; choose one of \\['cat'\\]"):
        datasets.sample_image("dog")


# ---- MNIST / FashionMNIST downloads against a local server ------------------------------------------

def idx_gz(array):
    """A gzipped IDX file: 0, 0, type 0x08 (uint8), number of dims, big-endian int32 dims, values."""
    header = bytes([0, 0, 0x08, array.ndim]) + np.array(array.shape, dtype=">i4").tobytes()
    return gzip.compress(header + array.astype(np.uint8).tobytes(), mtime=0)


@pytest.fixture
def server():
    """An http.server on 127.0.0.1 (a free port) serving ``files`` (path -> bytes); a path in
    ``truncated`` announces its full length but sends half of it and hangs up."""
    files, truncated, requests = {}, set(), []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            body = files.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:len(body) // 2] if self.path in truncated else body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{httpd.server_address[1]}", files=files, truncated=truncated,
                          requests=requests)
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def tiny_mnist(server, monkeypatch):
    """Point MNIST at the local server, which serves 6 training and 3 test 28x28 images."""
    pytest.importorskip("pooch")  # in the "notebooks" extra, which the "test" extra includes
    rng = np.random.default_rng(0)
    arrays = {"train-images-idx3-ubyte.gz": rng.integers(0, 256, (6, 28, 28)),
              "train-labels-idx1-ubyte.gz": np.array([5, 0, 4, 1, 9, 2]),
              "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (3, 28, 28)),
              "t10k-labels-idx1-ubyte.gz": np.array([7, 2, 1])}
    resources = []
    for name, array in arrays.items():
        body = idx_gz(array)
        server.files[f"/mnist/{name}"] = body
        resources.append((name, hashlib.md5(body).hexdigest()))
    monkeypatch.setattr(datasets.MNIST, "mirrors", [f"{server.url}/mnist/"])
    monkeypatch.setattr(datasets.MNIST, "resources", resources)
    monkeypatch.setattr(datasets.FashionMNIST, "mirrors", [f"{server.url}/mnist/"])
    monkeypatch.setattr(datasets.FashionMNIST, "resources", resources)
    return SimpleNamespace(arrays=arrays, server=server, resources=resources)


def leftovers(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def test_download_verifies_parses_and_caches(tmp_path, tiny_mnist):
    train = datasets.MNIST(tmp_path, train=True, download=True)
    raw = tmp_path / "MNIST" / "raw"
    assert leftovers(raw) == sorted(name for name, _ in tiny_mnist.resources)  # no temporary file left
    assert len(tiny_mnist.server.requests) == 4
    np.testing.assert_array_equal(train.data.numpy(), tiny_mnist.arrays["train-images-idx3-ubyte.gz"])
    assert train.targets.tolist() == [5, 0, 4, 1, 9, 2] and train.targets.dtype == torch.int64
    image, label = train[2]
    assert isinstance(image, PIL.Image) and image.size == (28, 28) and label == 4
    test = datasets.MNIST(tmp_path, train=False, download=True, transform=transforms.ToTensor())
    assert len(test) == 3 and test[0][0].shape == (1, 28, 28)
    assert len(tiny_mnist.server.requests) == 4  # a cache hit: no new request
    assert "Root location: " + str(tmp_path) in repr(test) and "Split: Test" in repr(test)


def test_cache_defaults_to_MINITORCH_DATA(tmp_path, tiny_mnist, monkeypatch):
    monkeypatch.setenv("MINITORCH_DATA", str(tmp_path / "cache"))
    assert _download.data_root() == tmp_path / "cache"
    ds = datasets.FashionMNIST(download=True)
    assert (tmp_path / "cache" / "FashionMNIST" / "raw" / "t10k-labels-idx1-ubyte.gz").exists()
    assert ds.classes[9] == "Ankle boot" and len(ds) == 6
    monkeypatch.delenv("MINITORCH_DATA")
    assert str(_download.data_root()).endswith(".cache/minitorch")


def test_a_checksum_mismatch_is_an_error_and_leaves_no_file(tmp_path, tiny_mnist, monkeypatch):
    resources = list(tiny_mnist.resources)
    resources[1] = (resources[1][0], "0" * 32)
    monkeypatch.setattr(datasets.MNIST, "resources", resources)
    with pytest.raises(RuntimeError, match=r"(?s)Error downloading train-labels-idx1-ubyte.gz.*"
                                           r"MD5 hash .* does not match the known hash: expected md5:0{32} but got [0-9a-f]{32}.*MNIST5k"):
        datasets.MNIST(tmp_path, download=True)
    assert leftovers(tmp_path) == ["train-images-idx3-ubyte.gz"]  # the file before it was fine


def test_an_interrupted_download_leaves_nothing(tmp_path, tiny_mnist, monkeypatch):
    tiny_mnist.server.truncated.add("/mnist/train-images-idx3-ubyte.gz")
    # urllib3 2 notices the missing bytes (IncompleteRead); otherwise the MD5 check does
    with pytest.raises(RuntimeError, match="(?s)Error downloading train-images-idx3-ubyte.gz.*"
                                           "(IncompleteRead|does not match)"):
        datasets.MNIST(tmp_path, download=True)
    assert leftovers(tmp_path) == []

    def ctrl_c(response, chunk_size=1, decode_unicode=False):  # the user stops the download half way
        yield response.raw.read(10)
        raise KeyboardInterrupt

    import requests  # pooch downloads with it

    tiny_mnist.server.truncated.clear()
    monkeypatch.setattr(requests.Response, "iter_content", ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        datasets.MNIST(tmp_path, download=True)
    assert leftovers(tmp_path) == []


def test_downloading_without_pooch_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pooch", None)  # as if not installed: importing it fails
    with pytest.raises(ImportError, match=r'needs pooch.*pip install "minitorch-kit\[notebooks\]".*MNIST5k'):
        datasets.MNIST(tmp_path, download=True)


def test_mirrors_are_tried_in_order(tmp_path, tiny_mnist, monkeypatch):
    url = tiny_mnist.server.url
    monkeypatch.setattr(datasets.MNIST, "mirrors", [f"{url}/gone/", f"{url}/mnist/"])
    assert len(datasets.MNIST(tmp_path, download=True)) == 6
    assert tiny_mnist.server.requests[:2] == ["/gone/train-images-idx3-ubyte.gz", "/mnist/train-images-idx3-ubyte.gz"]


def test_offline_is_a_clear_error(tmp_path, tiny_mnist, monkeypatch):
    with socket_closed() as url:
        monkeypatch.setattr(datasets.MNIST, "mirrors", [url])
        with pytest.raises(RuntimeError, match=r"(?s)Error downloading train-images-idx3-ubyte.gz.*"
                                               r"MNIST5k ships 5,000 MNIST digits"):
            datasets.MNIST(tmp_path, download=True)
    assert leftovers(tmp_path) == []
    with pytest.raises(RuntimeError, match="Dataset not found in .* You can use download=True"):
        datasets.MNIST(tmp_path, download=False)


class socket_closed:
    """A URL on 127.0.0.1 where nothing listens (a port taken and released)."""

    def __enter__(self):
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        return f"http://127.0.0.1:{port}/"

    def __exit__(self, *exc):
        return False


def test_read_idx_rejects_other_files(tmp_path):
    bad = tmp_path / "bad.gz"
    bad.write_bytes(gzip.compress(b"\x00\x00\x0d\x01\x00\x00\x00\x01\x00"))
    with pytest.raises(RuntimeError, match="is not an IDX file of uint8 values"):
        datasets.read_idx(bad)
    short = tmp_path / "short"
    short.write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]))
    with pytest.raises(RuntimeError, match=r"promises \(5,\) values but the file holds 2"):
        datasets.read_idx(short)


def test_the_real_checksums_are_torchvisions():
    assert datasets.MNIST.resources[0] == ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873")
    assert datasets.MNIST.mirrors[0] == "https://ossci-datasets.s3.amazonaws.com/mnist/"
    assert dict(datasets.FashionMNIST.resources)["t10k-labels-idx1-ubyte.gz"] == "bb300cfdad3c16e7a12a480ee83cd310"


# ---- ImageFolder --------------------------------------------------------------------------------

def test_image_folder_on_generated_pngs(tmp_path):
    rng = np.random.default_rng(0)
    for name in ["dog/b.png", "dog/a.png", "cat/x.jpg", "cat/deep/y.png"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        PIL.fromarray(rng.integers(0, 256, (6, 5, 3)).astype(np.uint8)).save(tmp_path / name)
    (tmp_path / "dog" / "notes.txt").write_text("not an image")
    ds = datasets.ImageFolder(str(tmp_path), transform=transforms.ToTensor())
    assert ds.classes == ["cat", "dog"] and ds.class_to_idx == {"cat": 0, "dog": 1}
    names = [p[len(str(tmp_path)) + 1:] for p, _ in ds.samples]
    assert names == ["cat/x.jpg", "cat/deep/y.png", "dog/a.png", "dog/b.png"] and ds.targets == [0, 0, 1, 1]
    image, label = ds[2]
    assert image.shape == (3, 6, 5) and label == 1
    np.testing.assert_allclose(image.numpy() * 255, np.asarray(PIL.open(tmp_path / "dog" / "a.png")).transpose(2, 0, 1),
                               atol=1e-3)
    assert isinstance(datasets.ImageFolder(tmp_path)[0][0], PIL.Image)
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="Found no valid file for the classes empty. Supported extensions"):
        datasets.ImageFolder(tmp_path)
    assert len(datasets.ImageFolder(tmp_path, allow_empty=True)) == 4
    with pytest.raises(FileNotFoundError, match="Couldn't find any class folder"):
        datasets.ImageFolder(tmp_path / "empty")


# ---- Letters29 (its font ships with matplotlib) -------------------------------------------------

@pytest.fixture
def matplotlib():
    return pytest.importorskip("matplotlib")


def test_letters29_shapes_classes_and_values(matplotlib):
    ds = datasets.Letters29(samples_per_class=8)
    assert ds.data.shape == (208, 29, 29) and ds.data.dtype == torch.float32
    assert ds.targets.tolist()[:27] == list(range(26)) + [0]
    assert np.bincount(ds.targets.numpy()).tolist() == [8] * 26
    assert 0.0 <= float(ds.data.min()) and float(ds.data.max()) <= 1.0
    image, label = ds[30]
    assert image.shape == (1, 29, 29) and label == 4 and ds.classes[label] == "E"
    assert ds.data.reshape(len(ds), -1).shape == (208, 841)  # the lecture's input 841, output 26


def test_letters29_is_deterministic_by_seed(matplotlib):
    a, b = datasets.Letters29(samples_per_class=3, seed=5), datasets.Letters29(samples_per_class=3, seed=5)
    assert torch.equal(a.data, b.data)
    assert not torch.equal(a.data, datasets.Letters29(samples_per_class=3, seed=6).data)
    assert not torch.equal(a.data, datasets.Letters29(samples_per_class=3, seed=5, train=False).data)
    torch.manual_seed(0)
    before = torch.rand(1)
    torch.manual_seed(0)
    datasets.Letters29(samples_per_class=1)
    assert torch.equal(torch.rand(1), before)  # the global generator is left alone


def test_letters29_classes_are_distinguishable(matplotlib):
    """The nearest template (in pixels, so shifts hurt) classifies far above chance (1/26)."""
    from minitorch.vision.datasets.letters import letter_templates

    templates = torch.from_numpy(letter_templates()).reshape(26, -1)
    ds = datasets.Letters29(samples_per_class=10, noise=0.05)
    distances = ((ds.data.reshape(len(ds), 1, -1) - templates) ** 2).sum(-1)
    accuracy = float((distances.argmin(1) == ds.targets).float().mean())
    assert accuracy > 0.3
