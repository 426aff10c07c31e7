"""The score of one query form against one gazetteer name form.

    exact     100 when both are in the same script and their normalised words are equal
    text      rapidfuzz ratio (Indel) of the normalised words, same script only
    phonetic  W_KEY · ratio(phonetic keys) + W_SKELETON · ratio(skeletons), best pair of
              variant keys (docs/matching.md, "Transliteration")
    score     max(text, phonetic) · NON_EXACT_CAP
              · EXONYM_FACTOR                  when the spelling was lent by an exonym
              − REVERSED_GUESS_PENALTY         for a speculative reversed reading
              − DROPPED_WORD_PENALTY per word  when only part of the query was compared

The cap keeps 100 for exact hits, so an exact name or alias outranks any near miss. The
skeleton part forgives every vowel difference; the key part keeps the vowels Arabic writes,
so that short skeletons do not collide (Dura / Dir'iyah).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Indel

from verifier.core.matching.forms import NameForm

EXACT_SCORE = 100.0
NON_EXACT_CAP = 0.98
W_KEY = 0.5
W_SKELETON = 0.5
REVERSED_GUESS_PENALTY = 8.0
# Per word of the query left out of the compared span ("كربلاء المقدسة" read as "كربلاء").
DROPPED_WORD_PENALTY = 8.0
# Scale for a spelling lent by an exonym group rather than written in the query: the
# group is certain, but the same spelling may name another place (جبيل, القنيطرة).
EXONYM_FACTOR = 0.97


def ratio(left: str, right: str) -> float:
    if not left and not right:
        return 0.0
    return 100.0 * Indel.normalized_similarity(left, right)


@dataclass(frozen=True)
class PairScore:
    score: float
    method: str  # "exact" | "text" | "phonetic"
    query_form: str
    name_form: str
    parts: dict[str, float | str]


def _phonetic(query: NameForm, name: NameForm) -> tuple[float, dict[str, float | str]]:
    best = -1.0
    best_parts: dict[str, float | str] = {}
    for (query_variant, query_key), query_skeleton in zip(query.keys, query.skeletons, strict=True):
        for (name_variant, name_key), name_skeleton in zip(name.keys, name.skeletons, strict=True):
            key_ratio = ratio(query_key, name_key)
            skeleton_ratio = ratio(query_skeleton, name_skeleton) if name_skeleton else key_ratio
            value = W_KEY * key_ratio + W_SKELETON * skeleton_ratio
            if value > best:
                best = value
                variant = name_variant if name_variant != "standard" else query_variant
                best_parts = {
                    "phonetic": round(value, 2),
                    "key_ratio": round(key_ratio, 2),
                    "skeleton_ratio": round(skeleton_ratio, 2),
                    "query_key": query_key,
                    "name_key": name_key,
                    "variant": variant,
                }
    return best, best_parts


def _base(query: NameForm, name: NameForm) -> tuple[float, str, dict[str, float | str]]:
    same_script = query.script == name.script
    if same_script and query.plain == name.plain:
        return EXACT_SCORE, "exact", {"exact": EXACT_SCORE}
    phonetic_value, parts = _phonetic(query, name)
    method = "phonetic"
    best = phonetic_value
    if same_script:
        text_value = ratio(query.plain.replace(" ", ""), name.plain.replace(" ", ""))
        parts["text"] = round(text_value, 2)
        if text_value > best:
            best, method = text_value, "text"
    return best * NON_EXACT_CAP, method, parts


def score_pair(query: NameForm, name: NameForm, lent: bool = False) -> PairScore:
    """Score ``query`` against ``name``; ``lent`` when the query form came from an exonym."""
    score, method, parts = _base(query, name)
    if lent:
        score *= EXONYM_FACTOR
        parts["exonym_factor"] = EXONYM_FACTOR
    if query.speculative:
        score -= REVERSED_GUESS_PENALTY
        parts["reversed_guess_penalty"] = -REVERSED_GUESS_PENALTY
    if query.dropped_words:
        penalty = DROPPED_WORD_PENALTY * query.dropped_words
        score -= penalty
        parts["dropped_words_penalty"] = -penalty
    return PairScore(max(score, 0.0), method, query.plain, name.plain, parts)
