"""The language of check()'s feedback and the grader's messages: the gettext catalog (every
message translated, placeholders kept, compiled as msgfmt would), the choice of language
(set_language, then the locale, then English), and the library's own errors staying English."""

import ast
import gettext
import importlib
import io
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import minitorch as torch
from minitorch.grading import assignments, check, gradient_check, i18n, set_language, spec
from minitorch.grading.check import format_text, run_tests

PACKAGE = Path(i18n.__file__).parent
PO = i18n.LOCALE / "ru" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
STATUSES = ("passed", "failed", "partial", "not attempted", "waiting", "interrupted", "timeout", "crashed",
            "did not run")


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language(None)


def messages():
    """Every English message the kit may show: the literal arguments of _() in minitorch.grading,
    the statuses and table headings shown translated, and each assignment's hints and advice."""
    found = list(STATUSES) + ["result", "test", "points", spec._JUDGE]
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
                assert len(node.args) == 1 and not isinstance(node.args[0], ast.JoinedStr), \
                    f"{path.name}, line {node.lineno}: _() takes the message before formatting"
                if isinstance(node.args[0], ast.Constant):  # the others are statuses, hints, advice
                    found.append(node.args[0].value)
    for module in pkgutil.iter_modules(assignments.__path__):
        hw = assignments.load(module.name)
        found += [t.hint for t in hw.tests if t.hint] + list(hw.banned.values())
    return list(dict.fromkeys(found))


def placeholders(text):
    return sorted(re.findall(r"\{(\w*)\}", text))


def test_every_message_is_translated_with_its_placeholders():
    catalog = i18n.read_po(PO.read_text(encoding="utf-8"))
    wanted = messages()
    assert len(wanted) > 80
    missing = [m for m in wanted if m not in catalog]
    assert not missing, f"add these to {PO.name}: {missing}"
    assert not set(catalog) - set(wanted) - {""}, "the catalog holds messages the kit no longer shows"
    for message in wanted:
        assert placeholders(catalog[message]) == placeholders(message), message
        assert re.search("[а-яё]", catalog[message].lower()) or message.strip() in ("",), message


def test_read_po_joins_continued_strings_and_skips_fuzzy_and_untranslated():
    text = '''# a comment
msgid ""
msgstr "Content-Type: text/plain; charset=UTF-8\\n"

msgid "two "
"lines"
msgstr "две "
"строки"

#, fuzzy
msgid "a guess"
msgstr "догадка"

msgid "not yet"
msgstr ""

msgid "quote \\"q\\""
msgstr "кавычки \\"q\\""
'''
    catalog = i18n.read_po(text)
    assert catalog == {"": "Content-Type: text/plain; charset=UTF-8\n", "two lines": "две строки",
                       'quote "q"': 'кавычки "q"'}
    with pytest.raises(ValueError, match="line 2"):
        i18n.read_po('msgid "a"\nstray')


def test_compiled_catalog_is_what_gettext_reads():
    catalog = i18n.read_po(PO.read_text(encoding="utf-8"))
    translations = gettext.GNUTranslations(io.BytesIO(i18n.compile_mo(catalog)))
    for message, translated in catalog.items():
        if message:
            assert translations.gettext(message) == translated
    assert translations.gettext("no such message") == "no such message"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
def test_catalog_is_valid_for_msgfmt_and_compiles_the_same(tmp_path):
    """GNU msgfmt accepts the catalog, and gettext reads its .mo as it reads ours."""
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "ru.mo"), str(PO)], check=True)
    with open(tmp_path / "ru.mo", "rb") as theirs:
        reference = gettext.GNUTranslations(theirs)
    ours = gettext.GNUTranslations(io.BytesIO(i18n.compile_mo(i18n.read_po(PO.read_text(encoding="utf-8")))))
    for message in messages():
        assert ours.gettext(message) == reference.gettext(message)


@pytest.mark.parametrize("environment, expected", [
    ({"LANG": "ru_RU.UTF-8"}, "ru"), ({"LC_ALL": "ru_RU.UTF-8", "LANG": "en_US.UTF-8"}, "ru"),
    ({"LANGUAGE": "en:ru", "LANG": "ru_RU.UTF-8"}, "en"), ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"), ({}, "en"),
])
def test_language_defaults_from_the_locale(monkeypatch, environment, expected):
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert i18n.language() == expected
    set_language("en" if expected == "ru" else "ru")  # an explicit choice wins over the locale
    assert i18n.language() != expected


def test_unknown_language_is_an_error():
    with pytest.raises(ValueError, match="no messages in 'fr': the languages are en, ru"):
        set_language("fr")


class Unwritten(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        raise NotImplementedError


def test_check_speaks_russian_and_grades_the_same(capsys):
    hw = assignments.load("hw01_tanh")
    namespace = {"Tanh": Unwritten, "TanhModule": None, "layer_gradient_norms": None}
    english = run_tests(hw, hw.tests, namespace)
    set_language("ru")
    russian = run_tests(hw, hw.tests, namespace)
    assert [(r.status, r.score) for r in russian.results] == [(r.status, r.score) for r in english.results]
    text = format_text(russian)
    assert text.startswith("hw01_tanh: 0 / 8 баллов")
    assert "  не начато     forward" in text
    assert "ждёт Tanh.forward (тест forward): этот тест его использует, поэтому сначала исправьте его" in text
    check("hw01_tanh", Tanh=Unwritten, TanhModule=None, layer_gradient_norms=None)
    assert "hw01_tanh: 0 / 8 баллов" in capsys.readouterr().out


def test_hints_and_comparisons_in_russian():
    hw = assignments.load("hw03_strides")
    wrong = {"storage_position": lambda shape, strides, offset, index: 0,
             "contiguous_strides": None, "view_strides": None}
    set_language("ru")
    text = format_text(run_tests(hw, hw.tests, wrong))
    assert "подсказка: смещение — это место, где лежит элемент (0, 0, ...)" in text
    assert "получено" in text and "ожидалось" in text


def test_gradient_check_in_russian(capsys):
    set_language("ru")
    gradient_check(torch.sin, (torch.linspace(-1, 1, 3, dtype=torch.float64, requires_grad=True),))
    assert capsys.readouterr().out.startswith("проверка градиента пройдена: 3 элементов градиента")


def test_the_library_errors_stay_in_pytorchs_english():
    set_language("ru")
    with pytest.raises(RuntimeError) as error:
        torch.ones(2, 3) @ torch.ones(2, 3)
    assert re.fullmatch(r"[ -~]+", str(error.value)), str(error.value)  # plain ASCII: PyTorch's English


def test_the_catalog_ships_in_the_wheel():
    text = (PACKAGE.parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert '"minitorch.grading" = ["locale/*/LC_MESSAGES/*.po"]' in text


def test_glossary_matches_its_builder_and_ran_cleanly():
    """notebooks/ru/00_glossary.ipynb: rebuild it with python -m notebooks._build.ru_00_glossary."""
    nbformat = pytest.importorskip("nbformat")
    root = PACKAGE.parent.parent
    if str(root) not in sys.path:  # the builder imports notebooks._build.common
        sys.path.insert(0, str(root))
    builder = importlib.import_module("notebooks._build.ru_00_glossary")
    nb = nbformat.read(root / "notebooks" / builder.FILE, as_version=4)
    assert [(c.cell_type, c.source) for c in nb.cells] == [(c.cell_type, c.source) for c in builder.cells()]
    for cell in nb.cells[3:]:  # after the setup and imports cells, every code cell shows something
        if cell.cell_type == "code":
            assert cell.execution_count is not None and cell.outputs, cell.source
            assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
            text = "".join(o.get("text", "") for o in cell.outputs)
            assert " at 0x" not in text, "an object's address changes from run to run"
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for russian, english in [("тензор", "torch.Tensor"), ("шаг (stride)", "x.stride()"),
                             ("смещение (storage offset)", "x.storage_offset()"),
                             ("граф вычислений", "grad_fn"), ("затухание градиентов", "vanishing gradients"),
                             ("паралич сети", "saturation"), ("обратное распространение ошибки", "backward()")]:
        row = next((line for line in prose.splitlines() if line.startswith(f"| {russian}")), "")
        assert english in row, f"the glossary has no row mapping {russian!r} to {english!r}"


def test_grade_language_ru_writes_russian_messages_from_the_sandbox_too(tmp_path):
    """grade --language ru: the judges' messages (in the grader) and the probes' (in the sandbox)."""
    import json

    from minitorch.grading.__main__ import main

    exercise = PACKAGE.parent.parent / "exercises" / "hw03_strides.ipynb"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "student.ipynb").write_bytes(exercise.read_bytes())
    assert main(["grade", str(tmp_path / "in"), "--assignment", "hw03_strides", "--language", "ru",
                 "--json", str(tmp_path / "results.json"), "--jobs", "1"]) == 0
    tests = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["submissions"][0]["tests"]
    assert {t["status"] for t in tests} == {"failed"} and all(t["score"] == 0 for t in tests)
    assert all("код всё ещё выбрасывает NotImplementedError" in t["output"] for t in tests), tests


def test_hidden_test_hints_carry_both_languages():
    """A hidden test's hint lives in the solution notebook with its translation (never in the kit's
    catalog, which ships to students), and shows in the language chosen."""
    nbformat = pytest.importorskip("nbformat")
    from minitorch.grading.assign import hidden_tests_source

    hints = 0
    for path in sorted((PACKAGE.parent.parent / "solutions").glob("*.ipynb")):
        for test in spec.collect_hidden_tests(path.stem, hidden_tests_source(nbformat.read(path, as_version=4))):
            if test.hint:
                assert isinstance(test.hint, dict) and set(test.hint) == {"en", "ru"}, (path.name, test.name)
                assert re.search("[а-яё]", test.hint["ru"]) and not re.search("[а-яё]", test.hint["en"])
                hints += 1
    assert hints >= 20
    hint = {"en": "average the gradients", "ru": "усредняйте градиенты"}
    assert i18n.localized(hint) == "average the gradients"
    set_language("ru")
    assert i18n.localized(hint) == "усредняйте градиенты"
    assert i18n.localized("hint: {hint}") == "подсказка: {hint}"  # a plain message goes through the catalog


def test_hidden_hint_in_the_grader_output_follows_the_language():
    from minitorch.grading.grader import gradescope_results

    test = spec.Test("deep_chain", lambda: 0, 1, hint={"en": "order it without recursion",
                                                       "ru": "упорядочьте его без рекурсии"}, hidden=True)
    report = spec.Report("hw06_autograd_engine", [spec.Result(test, "failed", 0.0, "wrong")])
    set_language("ru")
    output = gradescope_results(report)["tests"][0]["output"]
    assert output.endswith("подсказка: упорядочьте его без рекурсии")
