"""From a raw label to the forms the scorer compares.

A label can yield several forms: a reversed-order reading of PDF Arabic, a separate form for
each script of a mixed label ("Luxor - الأقصر"), the name without its qualifier ("Adrar,
Algeria", "الجزائر (مدينة)"), a reading with a glued article split off (غورالصافي), and,
for queries, the shorter word spans of a long label ("كربلاء المقدسة") in case only part of
it is the name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from verifier.core.matching import arabic, latin, lexicon, phonetic, romanised, traditions
from verifier.core.matching.cleanup import readings, strip_invisibles

ARABIC = "arabic"
LATIN = "latin"
# Longest label, in words, whose sub-spans are tried; longer ones are not place names.
MAX_SPAN_WORDS = 5


_Value = TypeVar("_Value")


class _cached(Generic[_Value]):  # lower case: a decorator, like cached_property
    """``functools.cached_property`` without its lock, which Python 3.11 takes on every first
    access and which costs more than computing these values; two threads computing the
    same value at once is harmless."""

    def __init__(self, compute: Callable[[Any], _Value]) -> None:
        self._compute = compute
        self._name = compute.__name__

    def __get__(self, instance: Any, owner: type | None = None) -> _Value:
        value = instance.__dict__[self._name] = self._compute(instance)
        return value


@dataclass
class NameForm:
    """One comparable reading of a label. Treated as immutable (changed copies come from
    ``dataclasses.replace``); not frozen only because a gazetteer creates tens of thousands
    and a frozen dataclass is three times slower to create."""

    script: str  # ARABIC or LATIN
    plain: str  # normalised words, article and generic words removed: the exact-match key
    keys: tuple[tuple[str, str], ...]  # (reading, phonetic key); the standard reading first
    reversed: bool = False
    speculative: bool = False
    dropped_words: int = 0  # words of the label (or of a gazetteer name) left out of this form
    qualifier_words: int = 0  # words of a qualifier ("Adrar, Algeria") left out
    article: bool = False  # the form's first word carries the article (البصرة, Al Başrah)
    # The words as the learned transliteration model reads them (learned/alphabet.py), when
    # they differ from ``plain``: Arabic letters unfolded (ة, ى, أ, إ kept), Latin with the
    # BGN/PCGN letters and the ayn and hamza signs kept.
    letters: str = ""

    @property
    def model_text(self) -> str:
        return self.letters or self.plain

    @property
    def key(self) -> str:
        return self.keys[0][1]

    @_cached
    def key_strings(self) -> tuple[str, ...]:
        return tuple(key for _, key in self.keys)

    @_cached
    def skeletons(self) -> tuple[str, ...]:
        return tuple(map(phonetic.skeleton, self.key_strings))

    @_cached
    def readings(self) -> tuple[tuple[str, str, str, float, bool], ...]:
        """(reading, key, skeleton, penalty, only across scripts) per key, for scoring."""
        skeleton, penalties = phonetic.skeleton, phonetic.VARIANT_PENALTY
        cross = phonetic.CROSS_SCRIPT_VARIANTS
        return tuple(
            [
                (reading, key, skeleton(key), penalties.get(reading, 0.0), reading in cross)
                for reading, key in self.keys
            ]
        )

    @_cached
    def regional(self) -> bool:
        """Whether any reading's penalty depends on the candidate's country."""
        return not traditions.BY_COUNTRY.isdisjoint(reading for reading, _ in self.keys)

    def readings_for(self, country: str) -> tuple[tuple[str, str, str, float, bool], ...]:
        """:attr:`readings` for a candidate of ``country``: the penalties of its tradition,
        without the readings that do not apply there (traditions.py)."""
        if not self.regional:
            return self.readings
        cache: dict[str, tuple[tuple[str, str, str, float, bool], ...]] | None
        cache = self.__dict__.get("_by_country")
        if cache is None:
            cache = self.__dict__["_by_country"] = {}
        found = cache.get(country)
        if found is None:
            table = traditions.penalties(country)
            found = cache[country] = tuple(
                [
                    (reading, key, skeleton, table.get(reading, penalty) or 0.0, cross)
                    for reading, key, skeleton, penalty, cross in self.readings
                    if reading not in table or table[reading] is not None
                ]
            )
        return found

    @_cached
    def coarse_keys(self) -> tuple[str, ...]:
        """Distinct coarse keys of all readings, for the shortlist."""
        return tuple(dict.fromkeys(map(phonetic.coarse, self.key_strings)))


_ARABIC_RUN = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]+")
# Punctuation (، ؛ ؟), digits and anything else between Arabic letters separates words.
_NOT_ARABIC_LETTER = re.compile("[^\u0621-\u063a\u0641-\u064a\u0671-\u06d3]+")
# What follows the first comma, and anything in brackets, qualifies the name before it.
_QUALIFIER = re.compile(r"[(\[][^)\]]*[)\]]?|[,،].*", re.DOTALL)


def _split_scripts(text: str) -> tuple[str, str]:
    """(Arabic-script part, rest). Words keep their order within each part."""
    if text.isascii():
        return "", text
    arabic_part = " ".join(_ARABIC_RUN.findall(text))
    latin_part = _ARABIC_RUN.sub(" ", text)
    return arabic_part, latin_part.strip()


def _split_qualifier(text: str) -> tuple[str, str]:
    """(name, qualifier): "Adrar, Algeria" → ("Adrar", "Algeria")."""
    if not any(mark in text for mark in ",،(["):
        return text, ""
    qualifiers = " ".join(match.strip("()[],، ") for match in _QUALIFIER.findall(text))
    head = _QUALIFIER.sub(" ", text).strip()
    if not head:  # the whole label is in brackets or after a comma
        return qualifiers, ""
    return head, qualifiers


def _spans(count: int, with_spans: bool) -> list[tuple[int, int]]:
    whole = [(0, count)]
    if not with_spans or count < 2 or count > MAX_SPAN_WORDS:
        return whole
    return whole + [
        (start, start + size)
        for size in range(count - 1, 0, -1)
        for start in range(count - size + 1)
    ]


def _arabic_words(text: str) -> list[str]:
    return _NOT_ARABIC_LETTER.sub(" ", arabic.clean_arabic(text)).split()


def _vowelled(reading_text: str, reversed_: bool, words: list[str]) -> list[str] | None:
    """The written short vowels of the name's words (``words``: cleaned, article and
    generic words removed), when the label has harakat and they line up with the words."""
    if reversed_:
        return None
    found = arabic.vowelled_words(reading_text)
    if len(found) < len(words):
        return None
    found = found[len(found) - len(words) :]  # generic words go only from the front
    if [bare for bare, _ in found] != words:
        return None
    return [spelled for _, spelled in found]


def _arabic_forms(
    reading_text: str, reversed_: bool, speculative: bool, spans: bool
) -> Iterator[NameForm]:
    cleaned = _arabic_words(reading_text)
    versions = [cleaned]
    if spans:  # a label may have lost the space before an article; curated names have not
        glued = [arabic.split_glued_article(word) or [word] for word in cleaned]
        split = [part for parts in glued for part in parts]
        if len(split) > len(cleaned):
            versions.append(split)
    seen: set[tuple[str, int]] = set()
    for number, version in enumerate(versions):
        words, articles = arabic.name_words_with_articles(" ".join(version))
        vowelled = _vowelled(reading_text, reversed_, words) if number == 0 else None
        for start, end in _spans(len(words), spans):
            part = words[start:end]
            plain = arabic.fold_arabic(" ".join(part))
            dropped = len(words) - len(part)
            if (plain, dropped) in seen:
                continue
            seen.add((plain, dropped))
            keys = tuple(phonetic.arabic_keys(part))
            if lexicon.might_translate(plain.split()):
                standard = [phonetic.arabic_word_readings(word)[0] for word in part]
                keys = lexicon.with_translated(keys, plain.split(), standard)
            if vowelled is not None:
                key = phonetic.vowelled_key(vowelled[start:end])
                if all(key != known for _, known in keys):
                    keys = (*keys, (phonetic.HARAKAT_READING, key))
            yield NameForm(
                ARABIC,
                plain,
                keys,
                reversed_,
                speculative,
                dropped,
                article=articles[start],
                letters=" ".join(part),
            )


def _latin_forms(text: str, spans: bool) -> Iterator[NameForm]:
    folded = latin.fold_latin(text)
    all_words = folded.split()
    positions = latin.name_positions(folded)
    words = [all_words[index] for index in positions]
    marked = latin.fold_marked(text)
    marked_words = marked.split() if marked else []
    if len(marked_words) != len(all_words):
        marked_words = []  # the two foldings disagree on word boundaries: do without
    letter_words = latin.letter_words(text, len(all_words))
    for start, end in _spans(len(words), spans):
        part = words[start:end]
        if len(part) == 1 and len(part[0]) < 3 and len(words) > 1:
            continue  # a lone particle ("de", "bou") is no name
        marked_part = (
            [marked_words[index] for index in positions[start:end]] if marked_words else []
        )
        keys = romanised.latin_keys(part, marked_part)
        if lexicon.might_translate(part):
            standard = [romanised.latin_word_readings(word)[0] for word in part]
            keys = lexicon.with_translated(keys, part, standard)
        if spans:  # a raw label may follow any tradition; the candidate's country decides
            keys = (*keys, *romanised.regional_keys(part, [key for _, key in keys]))
        dropped = len(words) - len(part)
        article = bool(part) and latin.follows_article(all_words, positions[start])
        plain = " ".join(part)
        letters = (
            " ".join(letter_words[index] for index in positions[start:end]) if letter_words else ""
        )
        yield NameForm(
            LATIN,
            plain,
            keys,
            dropped_words=dropped,
            article=article,
            letters="" if letters == plain else letters,
        )


def _script_forms(text: str, guess_order: bool, spans: bool) -> list[NameForm]:
    """Forms of one label part: each script on its own, the other script's words counting as
    left out."""
    arabic_text, latin_text = _split_scripts(text)
    arabic_forms: list[NameForm] = []
    if arabic_text:
        for reading in readings(arabic_text, guess_order):
            arabic_forms.extend(
                _arabic_forms(reading.text, reading.reversed, reading.speculative, spans)
            )
    latin_forms = list(_latin_forms(latin_text, spans)) if latin_text else []
    if arabic_forms and latin_forms:
        if all(len(form.plain) < 2 for form in latin_forms):
            latin_forms = []  # a stray letter or digit beside Arabic text
        else:
            arabic_words = len(arabic_forms[0].plain.split()) + arabic_forms[0].dropped_words
            latin_words = len(latin_forms[0].plain.split()) + latin_forms[0].dropped_words
            arabic_forms = [
                replace(f, dropped_words=f.dropped_words + latin_words) for f in arabic_forms
            ]
            latin_forms = [
                replace(f, dropped_words=f.dropped_words + arabic_words) for f in latin_forms
            ]
    return [form for form in (*arabic_forms, *latin_forms) if form.key]


def _qualifier_size(qualifier: str) -> int:
    """Words a qualifier costs when left out: none for a bare kind of place ("city")."""
    arabic_text, latin_text = _split_scripts(qualifier)
    words = [w for w in _arabic_words(arabic_text) if not arabic.is_generic(w)]
    words += [w for w in latin.fold_latin(latin_text).split() if w not in latin.GENERIC_WORDS]
    return len(words)


def analyse(label: str, guess_order: bool = True, spans: bool = False) -> list[NameForm]:
    """All forms of ``label``; empty when it has no letters or digits at all.

    ``guess_order`` also tries a reversed reading of Arabic with no sign of its order, and
    ``spans`` adds the shorter word spans of a multi-word label and the qualifier on its
    own; both are for raw labels, not for curated gazetteer names. In a label mixing
    scripts, each script's form counts the other script's words as left out.
    """
    text = strip_invisibles(label)
    head, qualifier = _split_qualifier(text)
    forms = _script_forms(head, guess_order, spans)
    if not qualifier:
        return forms
    size = _qualifier_size(qualifier)
    forms = [replace(form, qualifier_words=size) for form in forms]
    if spans:  # "Baghdad, Iraq" is Baghdad; the qualifier alone is a last resort
        head_words = max((len(f.plain.split()) + f.dropped_words for f in forms), default=0)
        forms += [
            replace(form, dropped_words=form.dropped_words + head_words)
            for form in _script_forms(qualifier, guess_order, spans)
        ]
    return forms


def with_regional_readings(form: NameForm) -> NameForm:
    """A Latin gazetteer name of a country with its own tradition (traditions.REGIONAL_LATIN)
    with the readings of that tradition added."""
    if form.script != LATIN:
        return form
    extra = romanised.regional_keys(form.plain.split(), form.key_strings)
    return replace(form, keys=(*form.keys, *extra)) if extra else form


def label_key(label: str) -> str:
    """The identity of a raw label, for learned aliases: invisible characters, case,
    presentation forms, harakat, tatweel, alef/ya/teh marbuta spelling and punctuation
    folded; nothing else. Two labels with the same key are the same label."""
    return label_keys([label])[0]


_LABEL_PUNCTUATION_OR_LINE = re.compile(r"[^\w\n]+")


def label_keys(labels: list[str]) -> list[str]:
    """:func:`label_key` of many labels, in one pass over their joined text (ASCII labels,
    most of a gazetteer, skip the Arabic and Unicode folding they do not need)."""
    keys = [""] * len(labels)
    for plain_ascii in (True, False):
        at = [n for n, label in enumerate(labels) if label.isascii() is plain_ascii]
        if not at:
            continue
        text = "\n".join(labels[n].replace("\n", " ") for n in at)
        if not plain_ascii:
            text = arabic.fold_arabic(arabic.clean_arabic(strip_invisibles(text)))
            text = unicodedata.normalize("NFKC", text)
        # Runs of anything but letters and digits became one space each: only a space at
        # either end of a line is left to remove.
        text = _LABEL_PUNCTUATION_OR_LINE.sub(" ", text.casefold())
        lines = text.replace(" \n", "\n").replace("\n ", "\n").strip(" ").split("\n")
        if len(at) == len(labels):
            return lines
        for n, line in zip(at, lines, strict=True):
            keys[n] = line
    return keys
