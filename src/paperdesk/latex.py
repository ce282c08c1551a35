"""LaTeX in page text (titles, abstracts) as the Unicode it means, by pylatexenc.

Real arXiv titles and abstracts carry LaTeX: accents (``Schr\\"odinger``), math
(``$\\mathbb{R}^d$``), dashes (``--``) and quotes (``````...''``). The store keeps
the decoded text in ``papers.title`` and ``papers.abstract``, so that the table,
the pane, the report and the full-text index (``unicode61 remove_diacritics 2``:
``Schrödinger`` is found by ``schrodinger``) all see the letters; the page's own
text is kept beside it (``title_tex``, ``abstract_tex``) for the exports.

Page text is not a LaTeX document, so three things are read as plain text first:
an unescaped ``%`` (a percentage, not a comment that would eat the rest), an ``&``
(not a table cell; in a matrix it parts the columns), and URLs (``~`` and ``%`` in
them stay as typed). A title or abstract is one paragraph: display math (``$$``,
``\\[``), environments and line breaks (``\\\\``) are read into it, without new
lines. A macro that pylatexenc does not know (an author's own ``\\R``) shows its
name, never nothing. A fragment nested deeper than ``MAX_DEPTH`` (``too_deep``) is
kept as written: neither decoder recurses without bound on page text.
Text with none of LaTeX's marks is returned as it is without being parsed, and
most fragments that have some are read by `latex_fast` to the very text pylatexenc
would give, without its parser.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any

from pylatexenc import latex2text, latexwalker, macrospec

from paperdesk.latex_fast import FastDecoder, too_deep

# Outside math a script is TeX's where it is written as one (`G_k x G_l` beside
# `G_{k+l}`, `AdS_5`, `sin^2`, `B^-`, `SL_2(C)`, `YBa_2Cu_3O_7`, `mu^-mu^-`, `B^0_s`): a
# sign after a letter, a digit or a closing bracket, then a letter that ends the word
# after a one-character base (`G_k`, `B^0_s`), a digit that ends a number, or a `+` or
# `-` before no figure. Else it is the page's own text (`in_place`, `v_los`,
# `E_T^miss`, `s^-1`, `10^11.5`, `run_1.py`, `R^(n+1)`, `sl(2)^)`), and so is a letter
# after a longer word: `top_k`, `max_n` are a program's names, not `topₖ`.
_BARE_SCRIPT = (r"(?<=[\w)\]|'][_^])((?<!\w\w[_^])[A-Za-z](?!\w|\.\w)|[0-9](?!\d|\.\w|,\d)"
                r"|[+-](?!\d|[.,]\d))")
_BARE_SCRIPTS = re.compile(r"[_^]" + _BARE_SCRIPT)

# A text with none of these is plain: decoding it would give it back unchanged. Written
# as one class of first characters, then the second one looked behind, which finds the
# same places as `[\\$~{}]|--|``|''` several times faster (re scans for a class).
_MARKS = re.compile(r"[-\\$~{}`'_^](?:(?<=[\\$~{}])|(?<=-)-|(?<=`)`|(?<=')'|" + _BARE_SCRIPT + ")")


def has_latex(text: str) -> bool:
    """Whether `text` holds one of _MARKS' marks or a backtick (TeX's single quote, read
    first: _single_quotes): ten substring tests (each a scan at memchr speed) say it
    several times faster than a regex scan, which finds where."""
    return _has_tex(text) or "_" in text or "^" in text


def _has_tex(text: str) -> bool:
    """Whether `text` holds a mark of LaTeX besides a script's sign."""
    return ("\\" in text or "$" in text or "{" in text or "}" in text or "~" in text
            or "--" in text or "`" in text or "''" in text)


_URL = re.compile(r"\bhttps?://\S+")
# Links written as LaTeX: their address is a URL the pane links, so they are read before
# the URLs are set apart (which would cut `\href{https://a/b}{text}` inside its braces).
_LINK = re.compile(r"\\(?:url\s*\{([^{}\s]+)\}"
                   r"|href\s*\{([^{}\s]+)\}\s*\{((?:[^{}]|\{[^{}]*\})*)\})")
# A list's markup, read wherever it stands: a list longer than MAX_GROUP words would
# otherwise be cut into groups that leave `\item` and `\end{enumerate}` showing.
_LIST = re.compile(r"\\(?:(?:begin|end)\s*\{(?:itemize|enumerate|description)\}"
                   r"|item(?![A-Za-z])\s*(?:\[([^\[\]]*)\])?)")
_PLAIN = re.compile(r"(?<!\\)([%&#])")  # LaTeX-special, but plain in page text
_PLAIN_IN_MATRIX = re.compile(r"(?<!\\)([%#])")  # where `&` parts a matrix's columns
_BEGIN = re.compile(r"\\begin\{([^{}]*)\}")
_CR = re.compile(r"(?<!\\)\\cr(?![A-Za-z])")
_SPACES = re.compile(r"[ \t\u00a0]{2,}")
_LINES = re.compile(r"\s*\n\s*")
# `word' (up to a line's worth), not after a letter, a backslash or another backtick,
# closed by a ' that ends a word (`Dirac's' is one quote around Dirac's).
# Each pattern starts with its sign, the lookbehind after it, so that re looks for the
# sign alone (a pattern starting with a lookbehind was tried at every character: 0.6 G
# instructions a build of the real sample).
_TEX_QUOTED = re.compile(r"`(?<![`\\\w]`)(?!`)([^`'\n]{1,200}?)'(?![\w'])")
_LONE_BACKTICK = re.compile(r"`(?<![`\\\w]`)(?!`)")
_DOLLAR = re.compile(r"\$(?<!\\\$)")  # a `$` not escaped (`\$` is a dollar sign)
_BLANK = re.compile(r"\\[\\ ]|[{}\s]")  # line breaks, control spaces, braces, spaces


# A script whose every character has a Unicode superscript or subscript is written with
# them (`$x^2$` -> x², `$\ell_1$` -> ℓ₁); any other keeps its mark (`e^(-x)`).
_SUPERSCRIPTS = dict(zip("0123456789+-=()abcdefghijklmnoprstuvwxyzT",
                         "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀ", strict=True))
_SUBSCRIPTS = dict(zip("0123456789+-=()aehijklmnoprstuvx",
                       "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))


def _scripted(table: dict[str, str], mark: str) -> Callable[[str], str]:
    def text(inner: str) -> str:
        inner = inner.strip()  # `_{\\cal O}`: a switch's space is no part of the script
        if inner and all(c in table for c in inner):
            return "".join(table[c] for c in inner)
        return mark + (inner if len(inner) <= 1 else f"({inner})")
    return text


_SCRIPTED = {"^": _scripted(_SUPERSCRIPTS, "^"), "_": _scripted(_SUBSCRIPTS, "_")}


def _argument(node: Any, l2tobj: latex2text.LatexNodes2Text, index: int) -> str:
    """The text of a macro's or special's argument `index` ("" when it has none)."""
    args = node.nodeargd.argnlist if node.nodeargd is not None else []
    return str(l2tobj.nodelist_to_text([args[index]])) if args and args[index] else ""


def _script(mark: str) -> Callable[..., str]:
    def text(node: Any, l2tobj: latex2text.LatexNodes2Text) -> str:
        return _SCRIPTED[mark](_argument(node, l2tobj, 0))
    return text


# Commands pylatexenc does not know, of the same class as one it does: each reads its
# arguments and shows them as that one does (`\frak{g}` is `\mathfrak{g}`, fraktur g;
# `\boldsymbol{\alpha}` is `\mathrm{\alpha}`; `\tfrac12` is `\frac12`; `\mbox{if}` is
# `\textrm`, its letters; `\operatorname*{arg\,min}` is its name's letters too).
_ALIASES = {"frak": "mathfrak", "Bbb": "mathbb", "mathbbm": "mathbb", "mathds": "mathbb",
            "EuScript": "mathscr", "boldsymbol": "mathrm", "bm": "mathrm", "pmb": "mathrm",
            "bold": "mathbf", "mathnormal": "mathrm", "mbox": "textrm", "hbox": "textrm",
            "textsf": "textrm", "textup": "textrm", "textnormal": "textrm", "tfrac": "frac",
            "dfrac": "frac"}

# Declarations that change the look of what follows (`{\rm SU}(2)`, `$\cal O(n)$`,
# `{\em very}`, `\left(`, `\displaystyle`): plain TeX's and LaTeX's font, size and
# style switches and the delimiters' sizes (with `\left.`'s empty delimiter). They are
# taken out before decoding, with the spaces after them: their names are no text (an
# older arXiv abstract has them in one entry of ten). A font or size switch is taken
# out only where it acts on letters, digits, a group or a command: one before `_`, `(`
# or the end of a group (`$U_q(\sl_2)$`, `$\widehat{\sl}_2$`, `the \sc\ model`) is an
# author's own macro of the same name (the Lie algebra sl) and keeps its name, as any
# unknown one. The others are never an author's name for anything.
_SWITCH = re.compile(r"(?<!\\)\\(?:(?:rm|cal|it|bf|em|sf|sl|tt|sc|mit|bfseries|itshape"
                     r"|mdseries|upshape|rmfamily|sffamily|ttfamily|scshape|slshape|normalfont"
                     r"|tiny|scriptsize|footnotesize|small|normalsize|large|Large|LARGE|huge"
                     r"|Huge)(?![A-Za-z])\s*(?=[^\W_]|\{|\\[A-Za-z])"
                     r"|(?:boldmath|unboldmath|displaystyle|textstyle|scriptstyle"
                     r"|scriptscriptstyle|limits|nolimits|displaylimits|nonumber|noindent"
                     r"|protect|relax)(?![A-Za-z])\s*"
                     r"|(?:left|right|middle|[bB]igg?[lr]?)(?![A-Za-z])\s*\.?)")


# Symbols of plain TeX and AMS that pylatexenc lacks (`a \ne b`, `{1 \over 2}`), and
# the italic correction (`{\it the\/}`), which shows nothing.
_SYMBOLS = {"/": "", "ne": "≠", "Box": "□", "bot": "⊥", "iff": "⟺", "over": "/",
            "lq": "\u2018", "rq": "\u2019"}


def _unknown_macro(node: Any) -> str:
    return str(node.macroname)


def _last_argument(node: Any, l2tobj: latex2text.LatexNodes2Text) -> str:
    """`\\operatorname*{arg\\,min}`: the name's letters, without the star."""
    return _argument(node, l2tobj, -1)


def _unicode_char(node: Any, l2tobj: latex2text.LatexNodes2Text) -> str:
    """MathJax's `\\unicode{x2013}` (or `{8211}`): that character; else its text. A
    control, format, surrogate or unassigned code point (`{0}`, `{x202E}`, `{xD83D}`,
    which no store could hold) is not a character to show: the text stays."""
    code = _argument(node, l2tobj, 0).strip()
    try:
        char = chr(int(code[1:], 16) if code[:1] in "xX" else int(code))
    except (ValueError, OverflowError):
        return code
    return code if unicodedata.category(char).startswith("C") else char


# Math's wide accents are the narrow ones over a group (`\\widehat{sl}` is `\\hat{sl}`:
# pylatexenc showed their argument alone, `\\overline{12}` as 12).
_WIDE = {"widehat": "hat", "widetilde": "tilde", "overline": "bar"}
_LINE = "\N{COMBINING OVERLINE}"  # `\\bar`'s: over a word's every letter, one line


def _accent(name: str, mark: str) -> Callable[..., str]:
    def text(node: Any, l2tobj: latex2text.LatexNodes2Text) -> str:
        args = node.nodeargd.argnlist if node.nodeargd is not None else []
        if not args or args[0] is None or (args[0].isNodeType(latexwalker.LatexCharsNode)
                                           and not args[0].chars):
            return name  # nothing to put it on (`\\k` at the end of a text, `{\\b}`)
        return _accented(name, mark, _argument(node, l2tobj, 0).strip())
    return text


def _accented(name: str, mark: str, inner: str) -> str:
    """The accent `\\name` (of combining `mark`) on `inner`, its argument's text.

    A text accent (a one-character name: `\\c`, `\\k`, `\\'`) makes letters of
    languages: on anything else (`$\\sum\\c_L$`, `\\c(q)`, `$\\k40$`, `\\b,`) the page
    means an author's own macro of that name (a variable, `\\k` for kappa) and it shows
    its name, as an unknown macro does (`c_L`, `c(q)`, `k40`): a cedilla under `_` is
    nothing. A math accent also marks a digit or a symbol (`\\vec 0`, `\\bar 3`,
    `\\bar\\partial`, `\\not=`), never punctuation. Over a group (`\\hat{sl}`,
    `\\hat{x_1}`) the mark is written once, on the group's first letter (`ŝl`, `x̂₁`):
    Unicode has no mark over two letters, the first is the group's base (the rest are
    its indices, or the rest of a name: the affine algebras are written ŝl, ŝu), and
    pylatexenc's mark on every character (`ŝl̂`, `x̂₁̂`) reads as one on each. Only
    `\\bar`'s line goes over every character of a group of letters and digits, where
    it joins into one (`\\overline{SL}` S̅L̅, `\\bar{12}` 1̅2̅)."""
    if not inner:
        return ""  # `\\^{}`: pylatexenc's text
    if not (inner[0].isalpha() if len(name) == 1
            else unicodedata.category(inner[0])[0] in "LNS"):
        return name + inner
    if mark == _LINE and inner.isalnum():
        return "".join(_marked(c, mark) for c in inner)
    first = 1  # the first letter with the marks it has already (`\\hat{\\tilde x}`)
    while first < len(inner) and unicodedata.combining(inner[first]):
        first += 1
    return _marked(inner[:first], mark) + inner[first:]


def _marked(letter: str, mark: str) -> str:
    """`letter` with `mark`, composed where Unicode has the letter (`ö`); a dotless
    i or j takes the mark as i or j (`\\^\\i` is î), as pylatexenc writes it."""
    letter = {"\N{LATIN SMALL LETTER DOTLESS I}": "i",
              "\N{LATIN SMALL LETTER DOTLESS J}": "j"}.get(letter, letter)
    return unicodedata.normalize("NFC", letter + mark)


class _Converter(latex2text.LatexNodes2Text):  # type: ignore[misc]
    """pylatexenc's converter, but a macro at the end of math has no arguments: its
    parser gives it the closing `$` (an author's own `$\\d$`, `$\\b$`, which are accents
    in text: an accent on a `$`), or none at all (`$\\tfrac$`: the format `%s/%s`
    itself). Such a macro shows its name, as an unknown one does."""

    def apply_simplify_repl(self, node: Any, simplify_repl: Any, what: str) -> Any:
        if node.isNodeType(latexwalker.LatexMacroNode) and _without_arguments(node, simplify_repl):
            return str(node.macroname)
        return super().apply_simplify_repl(node, simplify_repl, what)


def _without_arguments(node: Any, simplify_repl: Any) -> bool:
    if node.nodeargd is None:  # formats of no arguments fail, other texts are right
        return isinstance(simplify_repl, str) and "%" in simplify_repl and simplify_repl != "%"
    return any(arg is not None and arg.isNodeType(latexwalker.LatexCharsNode) and arg.chars == "$"
               for arg in node.nodeargd.argnlist or ())


class _IndexedSpecials(macrospec.LatexContextDb):  # type: ignore[misc]
    """pylatexenc's macro database, but `test_for_specials` (asked at every character
    of the input) looks only at the specials that start with the character there,
    instead of at all of them: the same answer (the longest match, the earlier
    category on a tie), at a fraction of the cost."""

    def __init__(self, source: Any) -> None:
        super().__init__()
        self.__dict__.update(source.__dict__)
        self._first: dict[str, list[tuple[str, Any]]] = {}
        for category in self.category_list:
            for chars, spec in self.d[category]["specials"].items():
                self._first.setdefault(chars[0], []).append((chars, spec))

    def test_for_specials(self, s: str, pos: int, parsing_state: Any = None) -> Any:
        best, length = None, 0
        for chars, spec in self._first.get(s[pos:pos + 1], ()):
            if len(chars) > length and s.startswith(chars, pos):
                best, length = spec, len(chars)
        return best


@lru_cache(maxsize=1)
def _contexts() -> tuple[Any, latex2text.LatexNodes2Text, FastDecoder]:
    """The parser's macro database and the converter, made once (each costs ~1 ms)."""
    parsing = latexwalker.get_default_latex_context_db()
    parsing.add_context_category("scripts", prepend=True, specials=[
        macrospec.SpecialsSpec(mark, args_parser=macrospec.MacroStandardArgsParser("{"))
        for mark in "^_"])
    parsing.add_context_category("aliases", macros=[
        macrospec.MacroSpec(name, parsing.get_macro_spec(same).args_parser.argspec)
        for name, same in _ALIASES.items()] + [macrospec.MacroSpec("operatorname", "*{")])
    parsing.add_context_category("symbols", macros=[
        *(macrospec.MacroSpec(name, "") for name in _SYMBOLS), macrospec.MacroSpec("unicode", "{")])
    parsing = _IndexedSpecials(parsing)
    context = latex2text.get_default_latex_context_db()
    context.add_context_category("scripts", prepend=True, specials=[
        latex2text.SpecialsTextSpec("^", simplify_repl=_script("^")),
        latex2text.SpecialsTextSpec("_", simplify_repl=_script("_"))])
    context.add_context_category("aliases", macros=[
        *(latex2text.MacroTextSpec(name, simplify_repl=spec.simplify_repl,
                                   discard=spec.discard)
          for name, same in _ALIASES.items()
          if (spec := context.get_macro_spec(same)) is not None),
        *(latex2text.MacroTextSpec(name, simplify_repl=text) for name, text in _SYMBOLS.items()),
        latex2text.MacroTextSpec("unicode", simplify_repl=_unicode_char),
        latex2text.MacroTextSpec("operatorname", simplify_repl=_last_argument)])
    # pylatexenc's accents (`\\'` ... `\\v`, `\\hat` ... `\\not`: its table of their
    # combining marks, read here, where its specs are loaded anyway) and the wide ones
    from pylatexenc.latex2text._defaultspecs import unicode_accents_list

    marks = dict(unicode_accents_list)
    context.add_context_category("accents", prepend=True, macros=[
        latex2text.MacroTextSpec(name, simplify_repl=_accent(name, marks[_WIDE.get(name, name)]))
        for name in [*marks, *_WIDE]])
    # An unknown macro (\R, \SU, \ion: defined in the author's preamble) keeps its name.
    context.set_unknown_macro_spec(latex2text.MacroTextSpec("", simplify_repl=_unknown_macro))
    converter = _Converter(latex_context=context, math_mode="text", strict_latex_spaces=False)
    return parsing, converter, FastDecoder(parsing, converter, _SCRIPTED)


def to_text(text: str) -> str:
    """`text` with its LaTeX decoded to Unicode; plain text comes back as it is."""
    if not has_latex(text):
        return text
    if "$" in text:
        text = _lone_dollar(text)
    if "`" in text:
        text = _single_quotes(text)
    if "\\url" in text or "\\href" in text:
        text = _LINK.sub(_link, text)
    if "\\item" in text or "\\begin" in text:
        text = _LIST.sub(_list_mark, text)
    parts = []
    last = 0
    for url in _URL.finditer(text) if "://" in text else ():
        parts.append(_decode_words(text[last:url.start()]))
        parts.append(url.group(0))
        last = url.end()
    parts.append(_decode_words(text[last:]))
    joined = "".join(parts).replace("\u00a0", " ")
    if "  " in joined or "\t" in joined:  # else _SPACES finds nothing: no scan for it
        joined = _SPACES.sub(" ", joined)
    return joined.strip()


def _lone_dollar(text: str) -> str:
    """`text` with an unpaired `$` that reads as a price (`$5` after a space) read as a
    dollar sign (`\\$`): it opened math that never closed and turned the words after
    it into symbols (`100% of $5 in_place` showed `5 inₚlace`). An unpaired `$` of any
    other shape is the page's typo inside its math (`$c\\neq 3$$`): read as before,
    it shows what the page means (the real sample has a dozen such texts, no price)."""
    if text.count("$") % 2 == 0 and "\\$" not in text:
        return text  # most texts: every sign paired, none escaped (no scan for them)
    signs = [m.start() for m in _DOLLAR.finditer(text)]
    if len(signs) % 2 == 0:
        return text
    # Only a sign at an even place leaves the others paired as they were written
    # (`$2$-torus ... costs $5`: the price is the last such, not the math's `$2`).
    prices = [i for i in signs[::2] if text[i + 1:i + 2].isdigit()
              and (i == 0 or text[i - 1] in " (")]
    return text[:prices[-1]] + "\\" + text[prices[-1]:] if prices else text


def _single_quotes(text: str) -> str:
    """TeX's single quotes as the curly ones they print (U+2018, U+2019) around
    `` `word' `` (a backtick alone opens one: `` `t Hooft ``, as TeX prints it). A backtick after
    a letter (`` MC`s ``), an escaped one (`` \\`a ``, an accent) and a double one
    (`` ``x'' ``, a double quote) are left to the parser."""
    return _LONE_BACKTICK.sub("\u2018", _TEX_QUOTED.sub("\u2018\\1\u2019", text))


def _link(match: re.Match[str]) -> str:
    """`\\url{A}` is A; `\\href{A}{text}` is `text (A)`, or A when the text is A."""
    address = match.group(1) or match.group(2)
    label = (match.group(3) or "").strip()
    return f"{label} ({address})" if label and label != address else address


def _list_mark(match: re.Match[str]) -> str:
    """A list's `\\begin` and `\\end` are a space, an item is `* ` (as pylatexenc writes
    it) or its own label (`\\item[(a)]`)."""
    if not match.group(0).startswith("\\item"):
        return " "
    return f" {match.group(1) or '*'} "


# An unclosed `$` or `{` (real abstracts have them) would send the rest of the text
# through the parser: a group ends after this many words whatever it holds.
MAX_GROUP = 24


def _decode_words(text: str) -> str:
    """Only the words that hold LaTeX go through the parser (it reads a character at a
    time, ~30 µs each): a group runs from such a word until its braces and math close
    (or MAX_GROUP words). The words are found from the marks (one scan of the text),
    the words between groups are copied as they are."""
    out: list[str] = []
    pos = 0  # where the next word starts
    while (mark := _MARKS.search(text, pos)) is not None:
        start = text.rfind(" ", pos, mark.start()) + 1 or pos  # the marked word's start
        end = _group_end(text, start)
        out.append(text[pos:start])
        out.append(_decode_group(text[start:end], mark[0][0] in "_^"))
        pos = end
    out.append(text[pos:])
    return "".join(out)


# Besides braces and `$`, what opens or closes math or an environment: `\[ \]`, `\( \)`,
# `\begin`, `\end` (a line break `\\` is read first: `\\[2mm]` opens nothing).
_NESTING = re.compile(r"\\(?:\\|([\[(]|begin(?![A-Za-z]))|([\])]|end(?![A-Za-z])))")


def _group_end(text: str, start: int) -> int:
    """Where the group that starts with the word at `start` ends (a space or the end):
    after the word where its braces, math (`$`, `$$`, `\\[`, `\\(`) and environments
    close, unless that word ends in a control space or in a macro whose arguments
    come next."""
    depth = dollars = displays = words = 0
    while True:
        end = text.find(" ", start)
        end = len(text) if end < 0 else end
        word = text[start:end]
        depth += word.count("{") - word.count("\\{") - word.count("}") + word.count("\\}")
        dollars += word.count("$") - word.count("\\$")
        if "$$" in word:
            double = _displays(word)
            dollars, displays = dollars - 2 * double, displays + double
        words += 1
        if "\\" in word:
            depth += _nesting(word)
        if (depth <= 0 and dollars % 2 == 0 and displays % 2 == 0
                and not ("\\" in word and _carries(word))) \
                or words >= MAX_GROUP or end == len(text):
            return end
        start = end + 1


def _nesting(word: str) -> int:
    """How many math groups and environments `word` opens, less those it closes."""
    if "\\[" not in word and "\\(" not in word and "\\]" not in word and "\\)" not in word \
            and "\\begin" not in word and "\\end" not in word:
        return 0  # most words: no scan
    return sum(1 if m[1] else -1 for m in _NESTING.finditer(word) if m.lastindex)


def _carries(word: str) -> bool:
    """Whether `word` ends in a control space (`e.g.\\`) or in the name of a macro
    whose arguments come next (`\\sqrt`, an accent: `Nordstr\\" om` is Nordström):
    its last backslash starts a command."""
    at = word.rfind("\\")
    name = word[at + 1:]
    if at < 0 or (len(name) > 1 and not (name.isascii() and name.isalpha())):
        return False
    escaped = at - len(word[:at].rstrip("\\"))  # backslashes before it: `\\\\` is a break
    return escaped % 2 == 0 and _takes_next_word(name)


def _displays(word: str) -> int:
    """How many `$$` of display math `word` holds: one at its start, one at its end
    (`$$x`, `x,$$`, `$$`); inside a word they close and open inline math
    (`$\\Gamma$$\\sim$1.8`)."""
    if word == "$$":
        return 1
    return (word[:2] == "$$") + (word[-2:] == "$$" and word[-3:-2] not in ("\\", "$"))


@lru_cache(maxsize=4096)
def _takes_next_word(name: str) -> bool:
    """Whether a word ending in `\\name` goes on into the next one: a control space
    (`name` ""), or a macro whose arguments pylatexenc reads (`\\sqrt`, `\\v`)."""
    if not name:
        return True
    spec = _contexts()[0].get_macro_spec(name)
    return "{" in str(getattr(getattr(spec, "args_parser", None), "argspec", ""))


_SPECIAL = re.compile(r"[\\${}~`'^_-]")


def _decode_group(group: str, bare: bool) -> str:
    """The parser costs ~10 µs a character: the plain letters before the group's first
    special character, and after a last closing `}` or `$`, are kept as they are. A
    word of no LaTeX but a script's sign (`G_k`, `D^0pi^+mu^-`; `bare`: its first
    mark is such a sign) is not parsed: its scripts written as scripts are
    (_BARE_SCRIPT), the rest of it is the page's text (`E_T^miss`, not TeX's
    `E_Tᵐiss`)."""
    if bare and not _has_tex(group):
        return _BARE_SCRIPTS.sub(_bare_script, group)
    specials = [m.start() for m in _SPECIAL.finditer(group)]
    if not specials:
        return group
    start, end = specials[0], len(group)
    if group[specials[-1]] in "}$" and group[specials[-1] - 1:specials[-1]] != "\\":
        end = specials[-1] + 1
    return group[:start] + _decode(group[start:end]) + group[end:]


def _bare_script(match: re.Match[str]) -> str:
    return _SCRIPTED[match[0][0]](match[1])


@lru_cache(maxsize=16384)
def _decode(fragment: str) -> str:
    tex = _SWITCH.sub("", fragment) if "\\" in fragment else fragment
    if tex != fragment and not tex.strip():
        return ""  # switches alone (`\right.`): nothing to show
    decoded = _contexts()[2].decode(tex)
    if decoded is None:
        decoded = parsed(tex)
        if decoded is None:
            return fragment
    if "\n" in decoded:  # display math, `\\`, `\item`: a title or abstract is one paragraph
        decoded = _LINES.sub(" ", decoded)
    if decoded.strip() or not fragment.strip():
        return decoded
    # Nothing to show: a line break (`\\`) or a control space is a space, empty groups
    # (`{}From`) are nothing; anything else that shows nothing is the page's text
    # (a lone `\`; `~` between words, which page text writes for "about").
    if _BLANK.sub("", fragment):
        return fragment
    return " " if decoded else ""


def parsed(fragment: str) -> str | None:
    """pylatexenc's text of `fragment` (its `%&#` plain), None when it cannot read it
    or it nests too deep for its parser (`too_deep`). Most fragments never get here:
    `latex_fast` decodes them to the same text."""
    if too_deep(fragment):
        return None
    parsing, converter, _ = _contexts()
    try:
        walker = latexwalker.LatexWalker(_plain(fragment),
                                         latex_context=parsing, tolerant_parsing=True)
        return str(converter.nodelist_to_text(walker.get_latex_nodes()[0]))
    except Exception:  # pylatexenc raises several kinds on broken input: keep the page's text
        return None


def _plain(fragment: str) -> str:
    """`fragment` with `%`, `&` and `#` escaped: page text means the signs. But in a
    fragment with a matrix (`\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}`, an
    `array`: environments pylatexenc writes as `[ a b; c d ]`) `&` parts the columns,
    and plain TeX's `\\cr` ends a row as `\\\\` does."""
    if "\\begin" in fragment and any(_is_matrix(m[1]) for m in _BEGIN.finditer(fragment)):
        return _CR.sub(r"\\\\", _PLAIN_IN_MATRIX.sub(r"\\\1", fragment))
    return _PLAIN.sub(r"\\\1", fragment)


def _is_matrix(environment: str) -> bool:
    spec = _contexts()[1].latex_context.get_environment_spec(environment)
    return getattr(spec, "simplify_repl", None) is latex2text.fmt_matrix_environment_node


def stored(text: str, known: Mapping[str, str] | None = None,
           complete: bool = False) -> tuple[str, str | None]:
    """(the text to show and index, the page's own text when that differs, else None).
    `known`: texts already decoded elsewhere (`decode_all`, in a parsing process);
    `complete`: `known` holds every text of the page that has LaTeX, so a text it
    lacks is plain and is not looked at again."""
    decoded = known.get(text) if known else None
    if decoded is None:
        decoded = text if complete and known is not None else to_text(text)
    return decoded, (text if decoded != text else None)


def decode_all(texts: Iterable[str]) -> dict[str, str]:
    """Every text that holds LaTeX, decoded. A build's parsing processes call this, so
    that decoding (about half of what writing a page cost) runs on every core and
    the one writer only looks the texts up (`stored`)."""
    return {text: to_text(text) for text in texts if has_latex(text)}
