"""The common LaTeX fragments decoded without pylatexenc's parser, to the same text.

pylatexenc reads a character at a time (~10 µs each, plus ~100 µs a fragment), and
a build of real pages sends thousands of fragments through it: `$13$`, `$N_F$`,
`Schr\\"odinger`, `$\\alpha$-stable`, `2--3`, ````hidden''``. Most hold nothing but
plain letters, symbols whose text is a fixed string (`\\alpha`, `\\&`, `--`, a control
space `\\ `), accents on one letter and scripts. `FastDecoder` reads such a fragment
into the nodes pylatexenc's walker would make and writes them out by pylatexenc's rules
(`LatexNodes2Text` with `strict_latex_spaces=False`: outside math a macro eats the
spaces after it and spaces between two constructs are kept; inside math the other
way round; math's text is stripped). Every string comes from pylatexenc's tables,
read when the decoder is made, and an accent or a one-letter macro argument
(`\\H{o}`, `\\mathbb{R}`) is decoded by pylatexenc itself, once for the first KEPT. A
fragment with anything else (groups, macros with other arguments, environments,
unknown macros, unbalanced math) gets None: the caller asks pylatexenc. Math is
`$...$` or `\\(...\\)`; display math (`$$...$$`, `\\[...\\]`) is written as the
converter writes it, an indented block (latex.py puts it back into the paragraph).
Macros whose text is a format of their arguments' texts (`\\frac{a}{b}` -> `a/b`,
`\\sqrt{x}`, `\\cite{key}`) are formatted as pylatexenc formats them
(`LatexNodes2Text.apply_simplify_repl`) when every argument is in braces right after
the name and none of the optional ones is given.
`tests/test_latex_fast.py` decodes every title and abstract of the real sample
both ways and compares.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pylatexenc import latexwalker

# Node kinds, as pylatexenc's converter tells them apart.
CHARS, BARE, OTHER = "chars", "bare", "other"
# Texts remembered per decoder (one per process, for a whole build) of macros with their
# arguments as written, and of unknown macros: beyond this many, each is decoded again
# when met, so that pages with ever new arguments (every `\\emph{...}` of a million
# abstracts) or a crafted page of distinct macros do not grow a parsing process.
KEPT = 4096
_ESCAPED = set("%&#")  # plain in page text: latex.py escapes them before parsing
_SCRIPT_ARG = set("+-=()*")  # besides letters and digits: a script's one-character argument
_OTHER_SPACE = re.compile(r"[^\S ]")  # what str.isspace() holds but the space
_OPTIONAL_THEN_BRACES = re.compile(r"([*\[]*)(\{+)")  # a macro's argspec: `[{`, `*[[{`
_PERCENT_S = re.compile("(^|[^%])(%%)*%s")  # as pylatexenc tells a tuple format from a dict
# How deep a fragment's groups, environments, math and optional arguments may nest for
# the decoders to read it. Each level costs them Python calls (this decoder three,
# pylatexenc's parser and converter up to nine), so a crafted page (`\\frac{` written 400
# times) exhausted Python's recursion limit and ended the whole build; deeper text is
# kept as written (the build warns: page_pool). Real titles and abstracts nest a few.
MAX_DEPTH = 32
# What opens or closes a level, by kind; a line break (`\\\\`) and an escaped brace
# (`\\{`) do neither, and a `[` opens one only as a macro's optional argument (`\\sqrt[`).
_NESTING = re.compile(r"\\[\\{}]"
                      r"|(?P<env_in>\\begin(?![A-Za-z]))|(?P<env_out>\\end(?![A-Za-z]))"
                      r"|(?P<math_in>\\[\[(])|(?P<math_out>\\[\])])"
                      r"|(?P<opt_in>\\[A-Za-z]+\*?[ ]*\[)|(?P<opt_out>\])"
                      r"|(?P<group_in>\{)|(?P<group_out>\})")


def too_deep(text: str) -> bool:
    """Whether `text` nests deeper than MAX_DEPTH, in one pass. Each kind is counted on
    its own, and a closer closes only a level of its kind (`{]` repeated is as deep as
    `{` repeated: the parsers read that `]` as a character)."""
    marks = text.count("\\") + text.count("{")  # most texts: none, and `[` is not looked for
    if not marks or marks + text.count("[") <= MAX_DEPTH:
        return False  # fewer signs than the levels allowed: no scan (most texts)
    levels = {"env": 0, "math": 0, "opt": 0, "group": 0}
    depth = 0
    for found in _NESTING.finditer(text):
        if found.lastgroup is None:
            continue
        kind, way = found.lastgroup.split("_")
        if way == "in":
            levels[kind] += 1
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif levels[kind]:
            levels[kind] -= 1
            depth -= 1
    return False


@dataclass
class _Node:
    kind: str
    text: str
    post_space: str = ""


class _Unsupported(Exception):
    """The fragment holds something only pylatexenc's parser reads right."""


class FastDecoder:
    """Fragments decoded as pylatexenc's `converter` decodes what `parsing` parses."""

    def __init__(self, parsing: Any, converter: Any,
                 scripts: dict[str, Callable[[str], str]]) -> None:
        self._parsing = parsing
        self._converter = converter
        self._scripts = scripts  # "^"/"_" -> the converter's own function of the inner text
        text_db = converter.latex_context
        self._words: dict[str, str] = {}  # bare macros whose text is a fixed string
        # macros of one mandatory argument: True when their text is the argument's
        self._with_arg: dict[str, bool] = {}
        # macros whose text formats their arguments': (optional ones, braced ones, format)
        self._formats: dict[str, tuple[int, int, str]] = {}
        self._known = {name for db in (text_db, parsing) for category in db.category_list
                       for name in db.d[category]["macros"]} | {"begin", "end"}
        for name in sorted(self._known):
            self._learn(name)
        self._all_specials = self._special_chars()
        self._specials = {chars: spec.simplify_repl for chars in self._all_specials
                          if (spec := text_db.get_specials_spec(chars)) is not None
                          and isinstance(spec.simplify_repl, str)}
        self._specials_at: dict[str, list[str]] = {}  # by first character, longest first
        for chars in self._all_specials:
            self._specials_at.setdefault(chars[0], []).append(chars)
        self._stop = re.compile("|".join([re.escape(c) for c in self._all_specials]
                                         + [r"[\\{}$^_%&#]"]))  # a run of plain ones ends
        self._arg_cache: dict[str, str] = {}  # as written -> pylatexenc's text
        self._unknown: dict[str, str] = {}  # what the converter makes of unknown macros
        if not self._words.keys() >= _ESCAPED:
            raise RuntimeError("pylatexenc's tables lack an escaped %, & or #")

    def _learn(self, name: str) -> None:
        if name in ("(", ")", "[", "]", "\\") or (not name.strip() and name != " "):
            return
        spec = self._converter.latex_context.get_macro_spec(name)
        parse = self._parsing.get_macro_spec(name)
        argspec = getattr(getattr(parse, "args_parser", None), "argspec", "")
        if argspec == "" and isinstance(spec.simplify_repl, str) \
                and ("%" not in spec.simplify_repl or spec.simplify_repl == "%"):
            self._words[name] = spec.simplify_repl
        elif argspec == "" and not name.isalpha() and spec.simplify_repl is not None:
            with contextlib.suppress(_Unsupported):  # `\%`: a function of nothing
                self._words[name] = self._pylatexenc(f"\\{name}")
        elif argspec == "{":
            self._with_arg[name] = spec.simplify_repl is None and not spec.discard
        elif (shape := _OPTIONAL_THEN_BRACES.fullmatch(argspec or "")) \
                and isinstance(spec.simplify_repl, str) and spec.simplify_repl:
            self._formats[name] = (len(shape[1]), len(shape[2]), spec.simplify_repl)

    def _special_chars(self) -> list[str]:
        chars = [c for category in self._parsing.category_list
                 for c in self._parsing.d[category]["specials"] if c not in "&^_"]
        return sorted(set(chars), key=len, reverse=True)  # the longest match first

    def decode(self, fragment: str) -> str | None:
        """pylatexenc's text of `fragment` (its `%&#` still plain), or None when
        the fragment holds anything this decoder does not read or nests too deep."""
        if _OTHER_SPACE.search(fragment) or too_deep(fragment):
            return None
        try:
            nodes, end = self._nodes(fragment, 0, math=False, until="")
        except _Unsupported:
            return None
        return self._text(nodes, math=False) if end == len(fragment) else None

    def _nodes(self, s: str, i: int, math: bool, until: str,
               close: str = "") -> tuple[list[_Node], int]:
        """The nodes from `i` up to `until` ("$", "}" or the end) or to `close` (`\\]`,
        `\\)`, which must come), and where they stop."""
        nodes: list[_Node] = []
        while i < len(s):
            c = s[i]
            if c in until:
                return nodes, i
            if c == "}" or (c == "$" and math):
                raise _Unsupported
            if c == "{":
                inner, end = self._nodes(s, i + 1, math, until="}")
                nodes.append(_Node(OTHER, self._text(inner, math)))
                i = end + 1
            elif c == "$":
                i = self._dollars(s, i, nodes)
            elif c == "\\":
                if close and s.startswith(close, i):
                    return nodes, i
                if s[i + 1:i + 2] in ("[", "(") and not math:
                    i = self._bracketed(s, i, nodes)
                else:
                    i = self._macro(s, i, math, nodes)
            elif c in "^_":
                i = self._script(s, i, math, nodes)
            elif c in _ESCAPED:
                nodes.append(_Node(BARE, self._words[c]))
                i += 1
            elif (special := self._special_at(s, i)) is not None:
                nodes.append(_Node(OTHER, self._specials[special]))
                i += len(special)
            else:
                i = self._chars(s, i, nodes)
        if until == "}" or close:
            raise _Unsupported  # the end came before the closing brace or delimiter
        return nodes, i

    def _dollars(self, s: str, i: int, nodes: list[_Node]) -> int:
        """Math from the `$` (or `$$`: display math) at `i`; where it ends."""
        if s.startswith("$$", i):
            inner, end = self._nodes(s, i + 2, math=True, until="$")
            if not s.startswith("$$", end):
                raise _Unsupported
            nodes.append(_Node(OTHER, self._display(inner)))
            return end + 2
        inner, end = self._nodes(s, i + 1, math=True, until="$")  # or to the end
        nodes.append(_Node(OTHER, self._text(inner, math=True).strip()))
        return min(end + 1, len(s))

    def _bracketed(self, s: str, i: int, nodes: list[_Node]) -> int:
        """`\\( ... \\)` (inline math, as `$`) or `\\[ ... \\]` (display math, as `$$`)
        from `i`; where it ends."""
        display = s[i + 1] == "["
        inner, end = self._nodes(s, i + 2, math=True, until="", close="\\]" if display else "\\)")
        text = self._display(inner) if display else self._text(inner, math=True).strip()
        nodes.append(_Node(OTHER, text))
        return end + 2

    def _display(self, inner: list[_Node]) -> str:
        """Display math's text: the converter's indented block of the math's text."""
        return str(self._converter._fmt_indented_block(self._text(inner, math=True).strip()))

    def _special_at(self, s: str, i: int) -> str | None:
        for chars in self._specials_at.get(s[i], ()):
            if s.startswith(chars, i):
                if chars not in self._specials:
                    raise _Unsupported
                return chars
        return None

    def _chars(self, s: str, i: int, nodes: list[_Node]) -> int:
        start = i
        stop = self._stop.search(s, i + 1)
        i = len(s) if stop is None else stop.start()
        if nodes and nodes[-1].kind == CHARS:
            nodes[-1].text += s[start:i]
        else:
            nodes.append(_Node(CHARS, s[start:i]))
        return i

    def _macro(self, s: str, i: int, math: bool, nodes: list[_Node]) -> int:
        if i + 1 >= len(s):
            raise _Unsupported
        end = i + 2
        if s[i + 1].isalpha():
            while end < len(s) and s[end].isalpha():
                end += 1
        name = s[i + 1:end]
        post = end
        if name.isalpha():
            while post < len(s) and s[post] == " ":
                post += 1
        if name in self._words:
            nodes.append(_Node(BARE, self._words[name], s[end:post]))
            return post
        if name.isalpha() and name not in self._known:  # an author's own (`\\R`)
            text = self._remembered(self._unknown, name, f"\\{name}")
            nodes.append(_Node(BARE, text, s[end:post]))
            return post
        if name in self._with_arg and post < len(s):
            return self._with_argument(s, name, post, math, nodes, i)
        if name in self._formats and post == end:
            return self._formatted(s, name, end, math, nodes)
        raise _Unsupported

    def _formatted(self, s: str, name: str, i: int, math: bool, nodes: list[_Node]) -> int:
        """`\\name` of `_formats` with its arguments from `i`: each braced one written
        right after the previous (`\\frac{a}{b}`), no optional one (`\\sqrt[3]{x}`,
        `\\cite*{x}`, `\\frac12`, `\\frac {a}{b}`: pylatexenc reads those)."""
        optional, braced, text = self._formats[name]
        args = [""] * optional  # an optional argument not given is an empty text
        for _ in range(braced):
            if not s.startswith("{", i):
                raise _Unsupported
            inner, end = self._nodes(s, i + 1, math, until="}")
            args.append(self._text(inner, math))
            i = end + 1
        if "%" in text and len(text) != 1:
            try:
                text = text % (tuple(args) if _PERCENT_S.search(text)
                               else {str(k + 1): arg for k, arg in enumerate(args)})
            except (TypeError, ValueError) as exc:  # pylatexenc warns and keeps the format
                raise _Unsupported from exc
        nodes.append(_Node(OTHER, text))
        return i

    def _with_argument(self, s: str, name: str, i: int, math: bool,
                       nodes: list[_Node], start: int) -> int:
        """`\\name` (written from `start`) of one argument at `i`, whose text is the
        argument's (`\\emph{...}`) or, for an argument without spaces (an accent,
        `\\mathbb{R}`, `\\tilde{\\Phi}`), pylatexenc's own for these very characters,
        asked once (in math it must not start or end with a space)."""
        if s[i] == "{":
            inner, end = self._nodes(s, i + 1, math, until="}")
            source, end = s[i + 1:end], end + 1
        elif s[i] == "\\":  # a symbol: `\\bar \\nu`
            end = i + 1
            while end < len(s) and s[end].isalpha():
                end += 1
            source = s[i + 1:end]
            if source not in self._words:
                raise _Unsupported
            inner = [_Node(BARE, self._words[source])]
            while end < len(s) and s[end] == " ":  # the symbol's own spaces
                end += 1
        else:
            inner, end = [_Node(CHARS, s[i])], i + 1
            source = s[i]
            if not (source.isascii() and source.isalnum()):
                raise _Unsupported
        if self._with_arg[name]:
            nodes.append(_Node(OTHER, self._text(inner, math)))
            return end
        if " " in source:
            raise _Unsupported
        written = s[start:end].rstrip(" ")
        text = self._remembered(self._arg_cache, written, written)
        if math and text != text.strip():
            raise _Unsupported
        nodes.append(_Node(OTHER, text))
        return end

    def _remembered(self, cache: dict[str, str], key: str, source: str) -> str:
        """`cache[key]`, else pylatexenc's text of `source`, kept in `cache` while it
        holds fewer than KEPT."""
        found = cache.get(key)
        if found is None:
            found = self._pylatexenc(source)
            if len(cache) < KEPT:
                cache[key] = found
        return found

    def _script(self, s: str, i: int, math: bool, nodes: list[_Node]) -> int:
        mark = s[i]
        if i + 1 >= len(s):
            raise _Unsupported
        if s[i + 1] == "{":
            inner, end = self._nodes(s, i + 2, math, until="}")
            text, i = self._text(inner, math), end + 1
        elif s[i + 1] == "\\":  # a symbol: `^\\prime`, `_\\pm`
            end = i + 2
            while end < len(s) and s[end].isalpha():
                end += 1
            name = s[i + 2:end]
            if not name.isalpha() or name not in self._words:
                raise _Unsupported
            text = self._words[name]
            i = end
            while i < len(s) and s[i] == " ":
                i += 1
        else:
            text = s[i + 1]
            if not ((text.isascii() and text.isalnum()) or text in _SCRIPT_ARG) \
                    or self._special_at(s, i + 1) is not None:
                raise _Unsupported
            i += 2
        nodes.append(_Node(OTHER, self._scripts[mark](text)))
        return i

    def _pylatexenc(self, source: str) -> str:
        """pylatexenc's text of a piece; what it cannot read is left to the caller's
        parse of the whole fragment (latex.parsed), which keeps the page's text."""
        try:
            walker = latexwalker.LatexWalker(source, latex_context=self._parsing,
                                             tolerant_parsing=True)
            return str(self._converter.nodelist_to_text(walker.get_latex_nodes()[0]))
        except Exception as exc:  # pylatexenc raises several kinds on broken input
            raise _Unsupported from exc

    @staticmethod
    def _text(nodes: list[_Node], math: bool) -> str:
        """The converter's `nodelist_to_text` over these nodes (`strict_latex_spaces`
        False: strict outside math, 'based-on-source' inside)."""
        out = []
        previous: _Node | None = None
        for node in nodes:
            if node.kind == CHARS:
                if math and previous is not None and previous.kind == BARE:
                    out.append(previous.post_space)
                if math and not node.text.strip():
                    previous = node
                    continue
            out.append(node.text)
            previous = node
        return "".join(out)
