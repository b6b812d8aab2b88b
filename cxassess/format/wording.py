"""English word lists and text measures used by the survey-design checks (`lint`).

Kept apart from the checks so that other languages can be added as word lists, and so that the
measures (word counts, syllables, reading grade, overlap of content words) are testable alone.
"""

from __future__ import annotations

import re

WORD_RE = re.compile(r"[A-Za-zÀ-ÿ]+(?:['’][A-Za-z]+)?")

ABSOLUTES = {
    "always", "never", "every", "everyone", "everybody", "everything", "nobody", "usually",
    "often", "sometimes", "rarely", "seldom", "frequently", "generally", "normally", "mostly",
}  # fmt: skip
ABSOLUTE_PHRASES = ("no one", "most of the time", "all the time")

NEGATIONS = {
    "not", "no", "never", "nobody", "none", "nothing", "cannot", "without", "neither", "nor",
    "nowhere",
}  # fmt: skip

LEADING_OPENERS = (
    "don't you", "do you not", "wouldn't you", "isn't it", "aren't you", "surely",
    "how great", "how good", "how wonderful", "how excellent", "how much do you love",
    "as you know", "most people agree", "everyone agrees", "do you agree that",
)  # fmt: skip

# Judgements that, joined by "and"/"or", ask two things at once ("quick and friendly").
JUDGEMENTS = {
    "clear", "correct", "quick", "fast", "friendly", "warm", "helpful", "polite", "easy",
    "simple", "accurate", "honest", "fair", "kind", "reliable", "trained", "enough", "respectful",
    "professional", "courteous", "efficient", "pleasant", "open", "useful", "relevant", "timely",
    "convenient", "competent", "knowledgeable", "caring", "supported", "valued", "safe",
}  # fmt: skip
# Actions that, joined by "and"/"or", are two behaviours ("pay and receive").
ACTIONS = {
    "pay", "receive", "buy", "return", "help", "solve", "fix", "answer", "listen", "understand",
    "explain", "tell", "share", "treat", "check", "follow", "call", "visit", "order", "track",
    "reply", "respond", "contact", "reach", "find", "know", "feel", "trust", "agree", "decide",
    "act", "learn", "train", "support", "deliver", "keep", "repair", "replace", "record", "use",
}  # fmt: skip
# Words that tie a second idea to the first: a behaviour and its cause, or a condition.
SECOND_IDEA = ("because", "even when", "even if", "and/or", "as well as")

# Words left out when comparing two texts: function words and the words that differ between a
# staff wording ("we", "customers") and its customer mirror ("they", "I").
STOPWORDS = {
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "at", "by", "from",
    "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these", "those",
    "as", "so", "if", "when", "than", "then", "there", "their", "they", "them", "we", "our",
    "us", "i", "my", "me", "you", "your", "he", "she", "his", "her", "who", "what", "which",
    "do", "does", "did", "have", "has", "had", "can", "could", "will", "would", "should",
    "customer", "customers", "company", "business", "people", "staff", "someone", "am",
    "about", "into", "up", "out", "very", "just", "own", "get", "gets", "got", "one", "any",
}  # fmt: skip


def words(text: str) -> list[str]:
    """The words of a text, lowercased, with `’` as `'`."""
    return [w.lower().replace("’", "'") for w in WORD_RE.findall(text)]


def syllables(word: str) -> int:
    """A standard estimate of a word's syllables: vowel groups, less a silent final e."""
    word = word.lower().strip("'")
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", word)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", word)))


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level: 0.39 words per sentence + 11.8 syllables per word - 15.59."""
    found = words(text)
    if not found:
        return 0.0
    sentences = max(1, len(re.findall(r"[.!?]+", text.strip())) or 1)
    total = sum(syllables(w) for w in found)
    return 0.39 * len(found) / sentences + 11.8 * total / len(found) - 15.59


def stem(word: str) -> str:
    """A crude stem, enough to match `trained`/`training` and `answers`/`answer`."""
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_stems(text: str, english: bool) -> set[str]:
    """The stems of a text's content words (every word when not English)."""
    found = words(text)
    if english:
        found = [w for w in found if w not in STOPWORDS and "'" not in w]
    return {stem(w) for w in found}


def overlap(a: set[str], b: set[str]) -> float:
    """Dice coefficient of two sets: 1 when equal, 0 when they share nothing."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def has_phrase(text_words: list[str], phrase: str) -> bool:
    """Whether the words contain a phrase of one or more words, in order."""
    target = phrase.split()
    n = len(target)
    return any(text_words[i : i + n] == target for i in range(len(text_words) - n + 1))


def double_barrel(text: str) -> str | None:
    """What makes a text ask two things, or None. Lists of one kind of thing ("phone, chat or
    email") pass: only judgements, actions or clauses joined by and/or count."""
    lowered = text.lower()
    for marker in SECOND_IDEA:
        if re.search(rf"\b{re.escape(marker)}\b", lowered):
            return f"'{marker}' adds a second idea"
    found = words(text)
    for i, w in enumerate(found):
        if w not in ("and", "or") or i == 0 or i + 1 >= len(found):
            continue
        left, right = found[i - 1], found[i + 1]
        kinds = [
            (JUDGEMENTS, "two qualities"),
            (ACTIONS, "two actions"),
        ]
        for group, label in kinds:
            if left in group and right in group:
                return f"'{left} {w} {right}' joins {label}"
        if left.endswith("ly") and right.endswith("ly") and len(left) > 4 and len(right) > 4:
            return f"'{left} {w} {right}' joins two ways of doing something"
        if right in ("we", "they", "i", "you", "it") and i + 2 < len(found):
            return f"'{w} {right} ...' starts a second statement"
    return None
