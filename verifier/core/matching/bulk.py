"""The forms of many curated names at once, for building an index over a large gazetteer.

The result is what ``forms.analyse(name, guess_order=False)`` gives for each name. Plain
names, in one script, without brackets, commas or signs of reversed PDF order, which is
nearly all of them, are folded in one pass over their joined text and keyed from the cached
readings of their words; any other name goes through ``analyse`` on its own.

The work is pure Python, so for a large gazetteer ``analyse_all`` gives part of the names
to a forked copy of the process (``core/parallel.py``).
"""

from __future__ import annotations

import re
from dataclasses import fields
from operator import attrgetter
from typing import Any

from verifier.core import parallel
from verifier.core.matching import arabic, latin, lexicon, romanised
from verifier.core.matching.cleanup import strip_invisibles
from verifier.core.matching.forms import ARABIC, LATIN, NameForm, analyse, label_keys
from verifier.core.matching.phonetic import arabic_keys, arabic_word_readings

# Names with no Arabic letter, qualifier (comma, brackets) or newline.
_LATIN_ONLY = re.compile(
    r"[^,،(\[\n\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]*"
)
# Arabic letters and spaces only: no Latin letter or digit, no presentation form (whose shape
# may prove reversed order), no qualifier, no harakat (which add a reading: forms.py).
_ARABIC_ONLY = re.compile("[\u0621-\u064a\u0653-\u065f\u0671-\u0674\u0679-\u06d3 \u00a0]*")
# A word starting with a letter that only ever ends one: the name was stored reversed.
_STARTS_REVERSED = re.compile("(?:^|\\s)[ةى]")
_NOT_ARABIC_LETTER_OR_LINE = re.compile("[^\u0621-\u063a\u0641-\u064a\u0671-\u06d3\n]+")


def _latin_forms(texts: list[str]) -> list[list[NameForm]]:
    result: list[list[NameForm]] = []
    if not texts:
        return result
    lines = [folded.split() for folded in latin.fold_latin_lines(texts)]
    readings = romanised.latin_word_readings
    readings.prepare(word for words in lines for word in words)
    one_word_keys = romanised.one_word_keys
    for text, all_words, marked in zip(texts, lines, latin.fold_marked_lines(texts), strict=True):
        if len(all_words) == 1 and not latin.has_letter_signs(text):
            # Most names: one word, no article or generic word to strip, no marks.
            word = all_words[0]
            keys = one_word_keys(word, readings(word))
            result.append([NameForm(LATIN, word, keys)] if keys[0][1] else [])
            continue
        if not all_words:  # no letter or digit at all
            result.append([])
            continue
        positions = latin.word_positions(all_words)
        words = [all_words[index] for index in positions]
        marked_words: list[str] = []
        if marked:
            marked_all = marked.split()
            if len(marked_all) == len(all_words):
                marked_words = [marked_all[index] for index in positions]
        keys = romanised.latin_keys(words, marked_words)
        if lexicon.might_translate(words):
            keys = lexicon.with_translated(keys, words, [readings(word)[0] for word in words])
        if not keys[0][1]:
            result.append([])
            continue
        article = latin.follows_article(all_words, positions[0])
        plain = " ".join(words)
        letter_words = latin.letter_words(text, len(all_words))
        letters = " ".join(letter_words[index] for index in positions) if letter_words else ""
        letters = "" if letters == plain else letters
        result.append([NameForm(LATIN, plain, keys, article=article, letters=letters)])
    return result


def _arabic_forms(texts: list[str]) -> list[list[NameForm]]:
    if not texts:
        return []
    cleaned = arabic.clean_arabic("\n".join(texts))
    lines = _NOT_ARABIC_LETTER_OR_LINE.sub(" ", cleaned).split("\n")
    named = [arabic.name_words_with_articles(line) for line in lines]
    arabic_word_readings.prepare(word for words, _ in named for word in words)
    plains = arabic.fold_arabic("\n".join(" ".join(words) for words, _ in named)).split("\n")
    result: list[list[NameForm]] = []
    for (words, articles), plain in zip(named, plains, strict=True):
        keys = tuple(arabic_keys(words))
        if lexicon.might_translate(plain.split()):
            standard = [arabic_word_readings(word)[0] for word in words]
            keys = lexicon.with_translated(keys, plain.split(), standard)
        if not words or not keys[0][1]:
            result.append([])
            continue
        result.append([NameForm(ARABIC, plain, keys, article=articles[0], letters=" ".join(words))])
    return result


def analyse_names(texts: list[str]) -> list[list[NameForm]]:
    """``analyse(text, guess_order=False)`` for each of ``texts``."""
    result: list[list[NameForm]] = [[] for _ in texts]
    latin_at: list[int] = []
    arabic_at: list[int] = []
    # Invisible characters go in one pass over the joined names (newlines take the slow path).
    joined = "\n".join(texts)
    cleaned = (
        strip_invisibles(joined).split("\n")
        if joined.count("\n") == len(texts) - 1
        else [strip_invisibles(text) for text in texts]
    )
    for position, text in enumerate(cleaned):
        if _LATIN_ONLY.fullmatch(text):
            latin_at.append(position)
        elif _ARABIC_ONLY.fullmatch(text) and not _STARTS_REVERSED.search(text):
            arabic_at.append(position)
        else:
            result[position] = analyse(texts[position], guess_order=False)
    for at, forms in zip(latin_at, _latin_forms([cleaned[p] for p in latin_at]), strict=True):
        result[at] = forms
    for at, forms in zip(arabic_at, _arabic_forms([cleaned[p] for p in arabic_at]), strict=True):
        result[at] = forms
    return result


def prepare_words(texts: list[str]) -> None:
    """Compute the readings of the words of many labels in one go, before each label is
    analysed on its own (which then finds its words' readings ready)."""
    single_line = [text.replace("\n", " ") for text in texts]
    romanised.latin_word_readings.prepare(
        word for line in latin.fold_latin_lines(single_line) for word in line.split()
    )
    arabic_texts = [text for text in single_line if not text.isascii()]
    if arabic_texts:
        cleaned = arabic.clean_arabic("\n".join(arabic_texts))
        words = _NOT_ARABIC_LETTER_OR_LINE.sub(" ", cleaned).split()
        arabic_word_readings.prepare(arabic.strip_article(word) for word in words)


# Names from which a forked copy of the process analyses part of them: below, forking and
# sending the forms back cost more than the second core saves.
PARALLEL_FROM_NAMES = 20_000
# The share of the names analysed here: the copy also keys all the labels and pickles what
# it found.
_OWN_SHARE = 0.55
_FORM_FIELDS = attrgetter(*(field.name for field in fields(NameForm) if field.init))


def analyse_all(texts: list[str]) -> tuple[list[list[NameForm]], list[str]]:
    """:func:`analyse_names` and :func:`label_keys` of ``texts``, on two cores for a large
    gazetteer (``core/parallel.py``)."""
    if not parallel.worthwhile(len(texts), PARALLEL_FROM_NAMES):
        return analyse_names(texts), label_keys(texts)
    cut = int(len(texts) * _OWN_SHARE)

    def theirs() -> tuple[list[list[tuple[Any, ...]]], list[str]]:
        found = analyse_names(texts[cut:])
        return [[_FORM_FIELDS(form) for form in forms] for forms in found], label_keys(texts)

    own, sent = parallel.beside(lambda: analyse_names(texts[:cut]), theirs)
    if sent is None:
        return own + analyse_names(texts[cut:]), label_keys(texts)
    fields_sent, labels = sent
    return own + [[NameForm(*values) for values in forms] for forms in fields_sent], labels
