"""HTML5 for the pages kg writes (report.html, the site): escaping by default, a tiny element builder, the page frame.

Every value that comes from a record goes through `escape` (directly, or as a child or attribute
value of `el`): a plain `str` is always text, only `Markup` (made here from our own literals or
from already-escaped parts) is trusted. Characters that HTML5 forbids in documents (C0 controls
other than whitespace, C1 controls, noncharacters) become U+FFFD, so a hostile caption can make a
page neither invalid nor executable. Links made from data go through `safe_url`: only http(s)
URLs and our own relative paths become `href`s. JSON for `<script type="application/ld+json">`
goes through `script_json`, which escapes `<`, `>` and `&` as \\u003c, \\u003e, \\u0026 (stricter
than escaping `</` as `<\\/`: neither `</script>` nor `<!--` can appear in the block), and
U+2028/U+2029 as \\u2028/\\u2029.

Never touches files; `kg.publish.site` and `kg.report.html` write what this builds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from kg import __version__

# Characters HTML5 does not allow in a document ("control" and "noncharacter" code points; the
# whitespace controls TAB, LF, FF and CR are allowed), and lone surrogates (never in UTF-8).
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
    "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
    "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
    "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]"
)
_NAME = re.compile(r"[a-z][a-z0-9-]*")
_ATTRIBUTE = re.compile(r"[a-z][a-z0-9:-]*")
VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


class Markup(str):
    """Trusted HTML: our own markup, or text that `escape` has already made safe."""

    __slots__ = ()

    def __add__(self, other: object) -> Markup:
        return Markup(str.__add__(self, escape(other)))

    def __radd__(self, other: object) -> Markup:
        return Markup(str.__add__(escape(other), self))


def clean_text(value: str) -> str:
    """`value` with the characters HTML5 forbids replaced by U+FFFD (and CRLF/CR as LF)."""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if value.isascii() and value.isprintable():  # the common case: nothing to replace
        return value
    return _FORBIDDEN.sub("\ufffd", value)


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def escape(value: object) -> Markup:
    """Markup as it is; anything else as escaped text (`&`, `<`, `>`, `"` and `'` all escaped,
    as html.escape does)."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return Markup(clean_text(str(value)).translate(_ESCAPES))


def concat(parts: Iterable[object]) -> Markup:
    """Children joined: each escaped unless it is Markup; None and False are left out."""
    return Markup("".join(escape(p) for p in parts if p is not None and p is not False))


def el(tag: str, attrs: Mapping[str, object] | None = None, *children: object) -> Markup:
    """`<tag attrs>children</tag>`; attribute values escaped, None/False drops one, True makes it
    bare. Tag and attribute names are our own literals (checked); void elements take no children."""
    if not _NAME.fullmatch(tag):
        raise ValueError(f"bad tag name {tag!r}")
    out = ["<", tag]
    for name, value in (attrs or {}).items():
        if not _ATTRIBUTE.fullmatch(name):
            raise ValueError(f"bad attribute name {name!r}")
        if value is None or value is False:
            continue
        if value is True:
            out.append(f" {name}")
        else:
            out.append(f' {name}="{escape(value)}"')
    out.append(">")
    if tag in VOID_ELEMENTS:
        if children:
            raise ValueError(f"<{tag}> takes no content")
        return Markup("".join(out))
    out.append(concat(children))
    out.append(f"</{tag}>")
    return Markup("".join(out))


def safe_url(url: object) -> str | None:
    """`url` when it may be a link: absolute http(s) without credentials, or a relative path of
    our own making (no scheme, no `//` host); None for anything else (javascript:, data:, …)."""
    if not isinstance(url, str) or not url or _FORBIDDEN.search(url) or any(c in url for c in " <>\"'`\\\n\t"):
        return None
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        return url if parts.netloc and "@" not in parts.netloc else None
    if not parts.scheme and not parts.netloc and not url.startswith("//"):
        return url
    return None


def link(url: object, *children: object, **attrs: object) -> Markup:
    """An `<a>` to `url` when `safe_url` accepts it, else the children as plain text."""
    href = safe_url(url)
    if href is None:
        return concat(children or (url,))
    attributes: dict[str, object] = {"href": href}
    attributes.update({k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()})
    return el("a", attributes, *(children or (url,)))


def script_json(document: Any, indent: int | None = 2) -> Markup:
    """JSON safe inside an HTML `<script>` element: key order kept, `<`, `>`, `&` as \\u escapes,
    and U+2028/U+2029 too (line terminators to JavaScript before ES2019, should a reader eval it)."""
    text = json.dumps(document, ensure_ascii=False, indent=indent)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(clean_text(text))


def page(
    title: str,
    body: Markup,
    *,
    root: str = "",
    head: Iterable[Markup] = (),
    description: str | None = None,
    scripts: Iterable[str] = (),
    stylesheet: bool = True,
) -> bytes:
    """A complete HTML5 document as UTF-8 bytes. `root` is the relative path to the site root
    (`""` or `"../"`): the stylesheet (`static/site.css`, unless not `stylesheet`) is found there."""
    parts = [
        Markup("<!DOCTYPE html>\n"),
        Markup('<html lang="en">\n<head>\n'),
        el("meta", {"charset": "utf-8"}),
        Markup("\n"),
        el("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
        Markup("\n"),
        el("title", None, title),
        Markup("\n"),
    ]
    if description:
        parts += [el("meta", {"name": "description", "content": shorten(description, 300)}), Markup("\n")]
    parts += [el("meta", {"name": "generator", "content": f"pfocr-kg {__version__}"}), Markup("\n")]
    if stylesheet:
        parts += [el("link", {"rel": "stylesheet", "href": f"{root}static/site.css"}), Markup("\n")]
    for extra in head:
        parts += [extra, Markup("\n")]
    parts += [Markup("</head>\n<body>\n"), body, Markup("\n")]
    for src in scripts:
        parts += [el("script", {"src": src}), Markup("\n")]
    parts.append(Markup("</body>\n</html>\n"))
    return concat(parts).encode("utf-8")


def shorten(text: str, limit: int) -> str:
    """`text` on one line, cut at a word boundary to at most `limit` characters (… added)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0] or flat[: limit - 1]
    return cut + "…"


def number(value: float) -> str:
    """A count with thousands separators (1,234)."""
    return f"{value:,}"
