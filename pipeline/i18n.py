"""The interface's language: Chinese where the locale is Chinese, English otherwise, and ``_()``.

Everything a drafter reads (help, progress, errors, the eval's verdict and report.html's words) is
written in English in the code, as the msgid, and goes through ``_()``; the Chinese is in
``locale/zh_CN/LC_MESSAGES/gongwen.po``. A message with values names them
(``_("{path}: no such run folder").format(path=...)``), so a translator sees whole sentences and may
reorder them. The draft itself (the report, its 【待补】 gaps and closing checklist) is Chinese whatever
the interface's language: it is the document, not the interface.

Which language: ``GONGWEN_LANG=zh|en`` if set (``zh_CN``, ``zh-TW`` … count as zh, ``en_US`` … as en;
anything else is ignored); else the first of LANGUAGE, LC_ALL, LC_MESSAGES, LANG that is set, as
Python's gettext reads them: LANGUAGE may list several (``fr:zh_CN``), and the first that names a
language we speak wins (zh…, or en…/C/POSIX); zh_CN.UTF-8, zh_TW and zh are Chinese. Nothing else
(no locale database, no ``setlocale``) is consulted, so a machine with only C.UTF-8 installed still
shows Chinese under ``LANG=zh_CN.UTF-8``. The choice is made afresh at every call from the
environment, which a command does not change, so typer's help texts, built when the CLI modules are
imported, and the messages printed later agree.

Why the .po is read at run time rather than a compiled .mo committed beside it: one text file is the
only source, so the catalog cannot drift from a stale binary, and branches that add messages merge
it as text (a .mo does not merge). Reading it costs ~3 ms (430 messages), once, and only when the
language is Chinese; English never opens it. The reader takes what gettext's .po files hold (comments, flags,
``msgctxt``, multi-line strings, escapes, ``msgid_plural``) and skips fuzzy and untranslated entries,
as ``msgfmt`` does.
"""

from __future__ import annotations

import functools
import gettext
import os
import re
from pathlib import Path

DOMAIN = "gongwen"
LOCALE_DIR = Path(__file__).parent / "locale"
CATALOGS = {"zh": LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / f"{DOMAIN}.po"}
_LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def _spoken(name: str) -> str | None:
    """zh or en for a language or locale name we have words for; None for one we do not."""
    name = name.strip().lower()
    if name.startswith("zh"):
        return "zh"
    if name.startswith("en") or name.split(".")[0] in ("c", "posix"):
        return "en"
    return None


def language() -> str:
    """``zh`` or ``en``: GONGWEN_LANG if it names one, else the locale's, as gettext reads it."""
    if chosen := _spoken(os.environ.get("GONGWEN_LANG", "")):
        return chosen
    for var in _LOCALE_VARS:
        if value := os.environ.get(var):
            for name in value.split(":"):  # gettext: the first set variable decides, tried name by name
                if name and (found := _spoken(name)):
                    return found
            return "en"
    return "en"


class PoTranslations(gettext.NullTranslations):
    """A catalog read straight from a .po file."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.messages = read_po(path.read_text(encoding="utf-8"))

    def gettext(self, message: str) -> str:
        return self.messages.get(message) or message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = self.messages.get(f"{msgid1}\x00{msgid2}")
        if forms:
            return forms.split("\x00")[0]  # Chinese has one plural form
        return msgid1 if n == 1 else msgid2

    def pgettext(self, context: str, message: str) -> str:
        return self.messages.get(f"{context}\x04{message}") or message


_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(line: str) -> str:
    """The text of a line's quoted string(s), unescaped."""
    text = line[1:-1] if line[:1] == '"' and line[-1:] == '"' and line.count('"') - line.count('\\"') == 2 \
        else "".join(_STRING.findall(line))
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text) if "\\" in text else text


def read_po(text: str) -> dict[str, str]:
    """A .po file's translated entries: msgid → msgstr; ``ctxt\\x04msgid`` for one with a context;
    ``msgid\\x00msgid_plural`` → the forms joined by NUL for a plural. The header entry (msgid "") is
    left out; fuzzy entries and empty translations too."""
    messages: dict[str, str] = {}
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")):
        fields: dict[str, str] = {}
        field = ""
        fuzzy = False
        for line in block.split("\n"):
            line = line.strip()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith("#") or not line:
                continue
            elif line.startswith('"'):
                fields[field] = fields.get(field, "") + _unquote(line)
            else:
                field, _sep, rest = line.partition(" ")
                fields[field] = _unquote(rest)
        msgid = fields.get("msgid", "")
        if fuzzy or not msgid:
            continue
        if "msgctxt" in fields:
            msgid = f"{fields['msgctxt']}\x04{msgid}"
        if "msgid_plural" in fields:
            forms = [fields[k] for k in sorted(k for k in fields if k.startswith("msgstr["))]
            if forms and all(forms):
                messages[f"{msgid}\x00{fields['msgid_plural']}"] = "\x00".join(forms)
        elif fields.get("msgstr"):
            messages[msgid] = fields["msgstr"]
    return messages


@functools.cache
def catalog(lang: str) -> gettext.NullTranslations:
    """The language's catalog (read once); English is the msgids themselves."""
    path = CATALOGS.get(lang)
    return PoTranslations(path) if path is not None and path.is_file() else gettext.NullTranslations()


def _(message: str) -> str:
    """``message`` in the interface's language."""
    return catalog(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for ``n`` things (English has two, Chinese one)."""
    return catalog(language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` as said in ``context``: for a short word the catalog needs twice, with two meanings
    (「other」 is 其他 as a section's status and 外单位 in ``corpus list``)."""
    return catalog(language()).pgettext(context, message)


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined (a module constant); ``_()`` translates it
    where it is shown, in the language of that moment."""
    return message


def zh() -> bool:
    return language() == "zh"


def join(items: list[str] | tuple[str, ...], kind: str = "list") -> str:
    """Items joined as the language joins them: a ``list`` (「, 」 / 「、」) or ``clauses`` (「; 」 / 「；」)."""
    if kind == "clauses":
        return ("；" if zh() else "; ").join(items)
    return ("、" if zh() else ", ").join(items)


def sentence(text: str) -> str:
    """``text`` ended with the language's full stop."""
    return text + ("。" if zh() else ".")
