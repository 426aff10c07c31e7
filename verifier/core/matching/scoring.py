"""The score of one query form against one gazetteer name form.

    exact     100 when both are in the same script and their normalised words are equal
    text      rapidfuzz ratio (Indel) of the normalised words, same script only
    phonetic  W_KEY · ratio(phonetic keys) + W_SKELETON · ratio(skeletons), best pair of
              readings, less the readings' penalties (phonetic.VARIANT_PENALTY) and
              FIRST_SOUND_PENALTY across scripts when the keys start differently
    score     max(text, phonetic) · NON_EXACT_CAP
              − ARTICLE_MISMATCH_PENALTY       across scripts, when only one has the article
              · EXONYM_FACTOR · likeness       when the spelling was lent by an exonym
              − REVERSED_GUESS_PENALTY         for a speculative reversed reading
              − DROPPED_WORD_PENALTY per word  when only part of the query was compared
              − QUALIFIER_WORD_PENALTY per word of a qualifier left out ("Adrar, Algeria")
              − NAME_PART_PENALTY (+ NAME_WORD_PENALTY per further word) when the query
                                               matched only one word of a longer name

The cap keeps 100 for exact hits, so an exact name or alias outranks any near miss. The
skeleton part forgives every vowel difference; the key part keeps the vowels Arabic writes,
so that short skeletons do not collide (Dura / Dir'iyah).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Indel

from verifier.core.matching.forms import NameForm
from verifier.core.matching.phonetic import STANDARD

EXACT_SCORE = 100.0
NON_EXACT_CAP = 0.98
W_KEY = 0.5
W_SKELETON = 0.5
REVERSED_GUESS_PENALTY = 8.0
# Per word of the query left out of the compared span ("كربلاء المقدسة" read as "كربلاء").
DROPPED_WORD_PENALTY = 8.0
# Per word of a qualifier left out: after a comma or in brackets, words are meant to qualify
# the name ("Baghdad, Iraq"); a bare kind of place ("(city)") costs nothing.
QUALIFIER_WORD_PENALTY = 2.0
# When the query matched one word of a longer gazetteer name (الكردي for Kafr al Kurdī): a
# part of a name is weaker evidence than a whole name and never enough for the auto band;
# each further word left out costs a little more (بولاق for Būlāq Abū al ‘Ilā).
NAME_PART_PENALTY = 10.0
NAME_WORD_PENALTY = 2.0
# Across scripts, a name that carries the article in one script and not in the other is a
# slightly worse fit (المنصورة: Al Mansurah before Mansourah); only settles near-ties.
ARTICLE_MISMATCH_PENALTY = 0.5
# Across scripts, keys that start with different sounds: a word's first letter, or the alef
# or ayn of its first vowel, is always written, so a mismatch there counts a little more
# (الرقة: Ar Raqqah before ‘Irqah).
FIRST_SOUND_PENALTY = 1.0
# Scale for a spelling lent by an exonym group rather than written in the query: the group
# is certain, but the same spelling may name another place (جبيل, القنيطرة). An exact lent
# spelling (99) still outranks any cross-script likeness (at most 98): the list holds the
# well-known places, which a bare label most likely means (صيدا is Sidon before Saïda).
EXONYM_FACTOR = 0.99
# Ceiling for a spelling lent because the label only sounds like a listed form (ترابلس,
# موغادور): below the auto band, since a foreign city can sound like one (بونه, Bonn, and
# Bône for Annaba).
EXONYM_LIKENESS_CAP = 93.0


def ratio(left: str, right: str) -> float:
    if not left and not right:
        return 0.0
    return 100.0 * _similarity(left, right)


_similarity = Indel.normalized_similarity


@dataclass(frozen=True)
class PairScore:
    score: float
    method: str  # "exact" | "text" | "phonetic"
    query_form: str
    name_form: str
    parts: dict[str, float | str]


Parts = dict[str, float | str]


Readings = tuple[tuple[str, str, str, float, bool], ...]


def _phonetic(query: Readings, name: Readings, cross_script: bool, parts: Parts) -> float:
    """Best W_KEY · key ratio + W_SKELETON · skeleton ratio over the pairs of readings, less
    the readings' penalties and FIRST_SOUND_PENALTY; ``parts`` gets the winning pair."""
    best = -1.0
    winner: tuple[str, str, str, float, float] | None = None
    for query_reading, query_key, query_skeleton, query_penalty, query_cross in query:
        if query_cross and not cross_script:
            continue
        for name_reading, name_key, name_skeleton, name_penalty, name_cross in name:
            if name_cross and not cross_script:
                continue
            key_ratio = 100.0 * _similarity(query_key, name_key)
            skeleton_ratio = (
                100.0 * _similarity(query_skeleton, name_skeleton) if name_skeleton else key_ratio
            )
            value = W_KEY * key_ratio + W_SKELETON * skeleton_ratio
            value -= query_penalty + name_penalty
            if cross_script and query_key[:1] != name_key[:1]:
                value -= FIRST_SOUND_PENALTY
            if value > best:
                best = value
                used = [r for r in (query_reading, name_reading) if r != STANDARD]
                reading = " + ".join(dict.fromkeys(used)) if used else STANDARD
                winner = (query_key, name_key, reading, key_ratio, skeleton_ratio)
    if winner is not None:
        query_key, name_key, reading, key_ratio, skeleton_ratio = winner
        parts.update(
            phonetic=round(best, 2),
            key_ratio=round(key_ratio, 2),
            skeleton_ratio=round(skeleton_ratio, 2),
            query_key=query_key,
            name_key=name_key,
            variant=reading,
        )
    return best


def _phonetic_value(query: Readings, name: Readings, cross_script: bool) -> float:
    """:func:`_phonetic` without its explanation, in a tighter loop: most pairs a batch
    scores are only ranked."""
    similarity = _similarity
    best = -1.0
    for _, query_key, query_skeleton, query_penalty, query_cross in query:
        if query_cross and not cross_script:
            continue
        first_sound = query_key[:1]
        for _, name_key, name_skeleton, name_penalty, name_cross in name:
            if name_cross and not cross_script:
                continue
            key_ratio = 100.0 * similarity(query_key, name_key)
            skeleton_ratio = (
                100.0 * similarity(query_skeleton, name_skeleton) if name_skeleton else key_ratio
            )
            value = W_KEY * key_ratio + W_SKELETON * skeleton_ratio
            value -= query_penalty + name_penalty
            if cross_script and first_sound != name_key[:1]:
                value -= FIRST_SOUND_PENALTY
            if value > best:
                best = value
    return best


def _base(query: NameForm, name: NameForm, parts: Parts | None, country: str) -> tuple[float, str]:
    same_script = query.script == name.script
    if same_script and query.plain == name.plain:
        if parts is not None:
            parts["exact"] = EXACT_SCORE
        return EXACT_SCORE, "exact"
    query_readings, name_readings = query.readings_for(country), name.readings_for(country)
    if parts is not None:
        best = _phonetic(query_readings, name_readings, not same_script, parts)
    else:
        best = _phonetic_value(query_readings, name_readings, not same_script)
    method = "phonetic"
    if same_script:
        text_value = ratio(query.plain.replace(" ", ""), name.plain.replace(" ", ""))
        if parts is not None:
            parts["text"] = round(text_value, 2)
        if text_value > best:
            best, method = text_value, "text"
    score = best * NON_EXACT_CAP
    if not same_script and query.article != name.article:
        score = _penalise(score, parts, "article_penalty", ARTICLE_MISMATCH_PENALTY)
    return score, method


def base_value(query: NameForm, name: NameForm, country: str = "") -> float:
    """The rule score of a pair before the penalties for exonyms, reversal and words left
    out: what the learned transliteration score is blended with (matcher.py)."""
    return _base(query, name, None, country)[0]


def _penalise(score: float, parts: Parts | None, name: str, penalty: float) -> float:
    if penalty and parts is not None:
        parts[name] = -penalty
    return score - penalty


def _evaluate(
    query: NameForm, name: NameForm, lent: float | None, parts: Parts | None, country: str
) -> tuple[float, str]:
    score, method = _base(query, name, parts, country)
    if lent is not None:
        factor = EXONYM_FACTOR * lent
        score *= factor
        if parts is not None:
            parts["exonym_factor"] = round(factor, 4)
        if lent < 1.0 and score > EXONYM_LIKENESS_CAP:
            score = EXONYM_LIKENESS_CAP
            if parts is not None:
                parts["exonym_likeness_cap"] = EXONYM_LIKENESS_CAP
    if query.speculative:
        score = _penalise(score, parts, "reversed_guess_penalty", REVERSED_GUESS_PENALTY)
    if query.dropped_words:
        penalty = DROPPED_WORD_PENALTY * query.dropped_words
        score = _penalise(score, parts, "dropped_words_penalty", penalty)
    if query.qualifier_words:
        penalty = QUALIFIER_WORD_PENALTY * query.qualifier_words
        score = _penalise(score, parts, "qualifier_penalty", penalty)
    if name.dropped_words:
        penalty = NAME_PART_PENALTY + NAME_WORD_PENALTY * (name.dropped_words - 1)
        score = _penalise(score, parts, "partial_name_penalty", penalty)
    return max(score, 0.0), method


def pair_value(
    query: NameForm, name: NameForm, lent: float | None = None, country: str = ""
) -> float:
    """The score of :func:`score_pair` alone, without the explanation (faster)."""
    return _evaluate(query, name, lent, None, country)[0]


def score_pair(
    query: NameForm, name: NameForm, lent: float | None = None, country: str = ""
) -> PairScore:
    """Score ``query`` against ``name``, with the parts that explain it. ``lent`` is given
    when the query form is a spelling an exonym group lent: how closely the label matched
    the group's listed form (1 when it is that form). ``country`` is the candidate's: its
    romanisation tradition sets which readings apply and what they cost (traditions.py)."""
    parts: Parts = {}
    score, method = _evaluate(query, name, lent, parts, country)
    return PairScore(score, method, query.plain, name.plain, parts)
