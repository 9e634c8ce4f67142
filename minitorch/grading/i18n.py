"""The language of ``check()``'s feedback, its hints and the grader's per-test messages.

English is the source text; other languages come from a standard gettext catalog,
``locale/<language>/LC_MESSAGES/minitorch-grading.po`` next to this file. The ``.po`` file is
the only copy kept: on first use it is compiled, in memory, into the binary ``.mo`` form that
``gettext.GNUTranslations`` reads, so there is no build step and no binary file to keep in step.

The language is the one set with ``set_language("ru")`` (the Russian exercises do it in their
setup cell), else the locale's (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, in gettext's
order), else English::

    >>> set_language("ru"); _("passed")
    'зачтено'
    >>> set_language("en"); _("passed")
    'passed'

Only the kit's own messages are translated: an exception raised by the library keeps PyTorch's
English message, which is what students search for.
"""

from __future__ import annotations

import ast
import gettext
import io
import os
import struct
from functools import lru_cache
from pathlib import Path

#: The languages with a catalog, and English (the source text).
LANGUAGES = ("en", "ru")
DOMAIN = "minitorch-grading"
LOCALE = Path(__file__).with_name("locale")

_chosen = None


def set_language(language):
    """Show the kit's messages in ``language`` (``"en"``, ``"ru"``) from now on in this process;
    ``None`` goes back to the locale's language."""
    global _chosen
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"no messages in {language!r}: the languages are {', '.join(LANGUAGES)}")
    _chosen = language


def language():
    """The language messages are shown in now (see the module's docstring)."""
    if _chosen is not None:
        return _chosen
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:  # "ru_RU.UTF-8", or LANGUAGE's list "ru:en": the first one decides, as in gettext
            code = value.split(":")[0].split(".")[0].split("_")[0].lower()
            return code if code in LANGUAGES else "en"
    return "en"


def _(message):
    """``message`` (English) in the current language; itself where the catalog lacks it."""
    return _translations(language()).gettext(message)


def localized(text):
    """A hint in the current language. A hidden test's hint carries its own translations, as a dict
    ``{"en": ..., "ru": ...}`` written in the solution notebook (so that it never ships with the kit's
    catalog); any other message is English and goes through the catalog (:func:`_`)."""
    if isinstance(text, dict):
        return text.get(language()) or text["en"]
    return _(text)


@lru_cache(maxsize=None)
def _translations(language):
    if language == "en":
        return gettext.NullTranslations()
    path = LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    return gettext.GNUTranslations(io.BytesIO(compile_mo(read_po(path.read_text(encoding="utf-8")))))


def read_po(text):
    """The translated entries of a ``.po`` file as ``{msgid: msgstr}`` (the header under ``""``).
    Entries marked ``#, fuzzy`` and untranslated ones (empty ``msgstr``) are left out, so that
    the English shows instead of a guess or a blank."""
    entries, current, field, fuzzy = [], None, None, False
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line.startswith("#"):
            fuzzy = fuzzy or (line.startswith("#,") and "fuzzy" in line)  # flags of the next entry
            continue
        keyword, _space, rest = line.partition(" ")
        if keyword == "msgid":
            current = {"msgid": "", "msgstr": "", "fuzzy": fuzzy}
            entries.append(current)
            fuzzy = False
        if keyword in ("msgid", "msgstr"):
            field, line = keyword, rest
        if not line:
            continue
        if current is None or not line.startswith('"'):
            raise ValueError(f"line {number} of the catalog is not a msgid, a msgstr or a quoted string: {line!r}")
        current[field] += ast.literal_eval(line)
    return {e["msgid"]: e["msgstr"] for e in entries if e["msgstr"] and (not e["fuzzy"] or e["msgid"] == "")}


def compile_mo(catalog):
    """The GNU ``.mo`` bytes of ``{msgid: msgstr}`` (little-endian, no hash table), as msgfmt
    writes them: a header, two tables of (length, offset), then the NUL-terminated strings."""
    keys = sorted(catalog)
    ids = [k.encode("utf-8") for k in keys]
    strs = [catalog[k].encode("utf-8") for k in keys]
    start = 7 * 4 + 16 * len(keys)  # the header and both tables
    offsets, blob = [], b""
    for s in ids + strs:
        offsets.append((len(s), start + len(blob)))
        blob += s + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, start)
    return header + b"".join(struct.pack("<2I", *o) for o in offsets) + blob
