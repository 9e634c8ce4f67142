"""Where the kit is published: the one place that says so.

Every "Open in Colab" badge, every notebook's setup cell (lectures and exercises) and the docs are
built from these two values. An instructor who publishes a fork changes them with one command,
which also rewrites the notebooks::

    python scripts/publish.py their-name/their-repo --ref v0.1.0

Example:

>>> colab_url("notebooks/01_tensors.ipynb")
'https://colab.research.google.com/github/minitorch-kit/minitorch/blob/v0.1.0/notebooks/01_tensors.ipynb'
"""

#: The GitHub repository (owner/name) the kit is published as.
REPOSITORY = "minitorch-kit/minitorch"
#: The tag (or branch) that Colab installs the library from and opens the notebooks at: pinned, so
#: a notebook always runs against the library version it was written for.
REF = "v0.1.0"

PACKAGE = "minitorch-kit"  # the name on pip's side (``import minitorch`` on Python's)
BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"


def install_spec(repository=REPOSITORY, ref=REF):
    """What ``pip install`` gets in Colab: the package at the pinned tag of the repository."""
    return f"{PACKAGE} @ git+https://github.com/{repository}@{ref}"


def colab_url(path, repository=REPOSITORY, ref=REF):
    """The Colab address that opens ``path`` (relative to the repository root) at the pinned tag."""
    return f"https://colab.research.google.com/github/{repository}/blob/{ref}/{path}"


def colab_badge(path, repository=REPOSITORY, ref=REF):
    """The markdown "Open in Colab" badge for ``path``."""
    return f"[![Open In Colab]({BADGE_IMAGE})]({colab_url(path, repository, ref)})"


# The setup cell. Plain Python (no ``!pip``) so that it can check pip's exit status: a failed install
# stops the notebook here with pip's own message, instead of a ModuleNotFoundError cells later. The
# code is the same in every language; its comments and messages are the notebook's.
_SETUP = '''\
# {installs}
import sys
if "google.colab" in sys.modules:
    import subprocess
    spec = "{spec}"
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", spec], capture_output=True, text=True)
    if pip.returncode != 0:
        raise RuntimeError(f"{failed}:\\n{{pip.stderr[-3000:]}}\\n"
                           "{retry}")
    from google.colab import output
    output.enable_custom_widget_manager()  # {widgets}
    import minitorch  # {broken}
    print("{installed}", minitorch.__version__)'''
_SETUP_WORDS = {
    "en": dict(installs="In Google Colab this installs the kit ({spec_short}, a few seconds); elsewhere it does nothing.",
               failed="pip could not install {{spec}}",
               retry="Check that this runtime has internet access, then run this cell again.",
               widgets="Colab shows ipywidgets (the sliders) only with this",
               broken="a broken install stops here, with its real error", installed="installed minitorch"),
    "ru": dict(installs="В Google Colab эта ячейка устанавливает набор ({spec_short}, несколько секунд); "
                        "в других местах она ничего не делает.",
               failed="pip не смог установить {{spec}}",
               retry="Проверьте, что у среды выполнения есть доступ в интернет, и запустите ячейку ещё раз.",
               widgets="без этого Colab не показывает ipywidgets (ползунки)",
               broken="неудачная установка остановится здесь, с настоящей ошибкой", installed="установлен minitorch"),
}


def colab_setup_cell(repository=REPOSITORY, ref=REF, language="en"):
    """The source of every notebook's setup cell (the second cell, after the title and badge), with
    its comments and messages in ``language`` (``"en"``, ``"ru"``)."""
    words = {k: v.format(spec_short=f"{PACKAGE} {ref}") for k, v in _SETUP_WORDS[language].items()}
    return _SETUP.format(spec=install_spec(repository, ref), **words)
