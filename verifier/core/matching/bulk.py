"""The forms of many curated names at once, for building an index over a large gazetteer.

The result is what ``forms.analyse(name, guess_order=False)`` gives for each name. Plain
names, in one script, without brackets, commas or signs of reversed PDF order, which is
nearly all of them, are folded in one pass over their joined text and keyed from the cached
readings of their words; any other name goes through ``analyse`` on its own.
"""

from __future__ import annotations

import re

from verifier.core.matching import arabic, latin, romanised
from verifier.core.matching.cleanup import strip_invisibles
from verifier.core.matching.forms import ARABIC, LATIN, NameForm, analyse
from verifier.core.matching.phonetic import arabic_keys, arabic_word_readings

# Names with no Arabic letter, qualifier (comma, brackets) or newline.
_LATIN_ONLY = re.compile(
    r"[^,،(\[\n\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]*"
)
# Arabic letters and spaces only: no Latin letter or digit, no presentation form (whose shape
# may prove reversed order), no qualifier.
_ARABIC_ONLY = re.compile("[\u0621-\u065f\u0670-\u0674\u0679-\u06d3 \u00a0]*")
# A word starting with a letter that only ever ends one: the name was stored reversed.
_STARTS_REVERSED = re.compile("(?:^|\\s)[ةى]")
_NOT_ARABIC_LETTER_OR_LINE = re.compile("[^\u0621-\u063a\u0641-\u064a\u0671-\u06d3\n]+")


def _latin_forms(texts: list[str]) -> list[list[NameForm]]:
    result: list[list[NameForm]] = []
    if not texts:
        return result
    lines = [folded.split() for folded in latin.fold_latin_lines(texts)]
    romanised.latin_word_readings.prepare(word for words in lines for word in words)
    for text, all_words in zip(texts, lines, strict=True):
        if len(all_words) == 1 and not latin.may_be_marked(text):
            # Most names: one word, no article or generic word to strip, no marks.
            keys = romanised.latin_keys(all_words)
            word = all_words[0]
            result.append([NameForm(LATIN, word, keys)] if keys[0][1] else [])
            continue
        positions = latin.word_positions(all_words)
        words = [all_words[index] for index in positions]
        marked_words: list[str] = []
        if latin.may_be_marked(text):
            marked = latin.fold_marked(text)
            if marked:
                marked_all = marked.split()
                if len(marked_all) == len(all_words):
                    marked_words = [marked_all[index] for index in positions]
        keys = romanised.latin_keys(words, marked_words)
        if not words or not keys[0][1]:
            result.append([])
            continue
        article = latin.follows_article(all_words, positions[0])
        result.append([NameForm(LATIN, " ".join(words), keys, article=article)])
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
        if not words or not keys[0][1]:
            result.append([])
            continue
        result.append([NameForm(ARABIC, plain, keys, article=articles[0])])
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
