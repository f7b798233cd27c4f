"""The readers' words: a maintained list, per language, of the words readers type
for a concept, mapped to the word the articles use for it.

``search/synonyms.yml`` (at the repository root)::

    fr:
      résilier: [désabonner, annuler, arrêter]

At build time, wherever an article of that language uses the concept word, the
readers' words are written into the search index at the same place, so they
rank exactly as the concept word does there: a title that says "Résilier"
answers "annuler" as strongly as it answers "résilier". The concept word is
matched the way the search engine matches words: by Snowball stem in languages
that have one (the stemmer Pagefind applies), by the characters themselves in
Japanese, which has no word spaces to stem.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path

import snowballstemmer
import yaml

# Pagefind stems words with the Snowball stemmers; a language missing here is matched literally.
STEMMERS = {"en": "english", "fr": "french", "de": "german", "es": "spanish", "it": "italian", "pt": "portuguese"}
WORD = re.compile(r"[^\W_]+")


class SynonymsError(ValueError):
    """A problem in the synonyms file; the message names the file."""


@dataclasses.dataclass(frozen=True)
class Concept:
    language: str
    article_word: str  # as the articles write it
    readers_words: tuple[str, ...]


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


class WordMatcher:
    """Finds where a language's text uses a word, as the search engine would match it."""

    def __init__(self, language: str):
        name = STEMMERS.get(language)
        self._stemmer = snowballstemmer.stemmer(name) if name else None
        self._stems: dict[str, str] = {}  # word -> stem: stemming is the costly part, words repeat

    @property
    def spaced(self) -> bool:
        """Whether the language separates words with spaces (Japanese does not)."""
        return self._stemmer is not None

    def _stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            stem = self._stems[word] = self._stemmer.stemWord(_normal(word))
        return stem

    def stems(self, text: str) -> list[str]:
        return [self._stem(w) for w in WORD.findall(text)]

    def read(self, text: str) -> "ReadText":
        """``text`` prepared once for looking up many words in it."""
        if self._stemmer is None:
            return ReadText(text, [], [])
        spans = list(WORD.finditer(text))
        return ReadText(text, [m.end() for m in spans], [self._stem(m.group()) for m in spans])

    def find(self, word: str, text: "str | ReadText") -> list[int]:
        """End offsets in the text of each use of ``word`` (one word or several)."""
        read = text if isinstance(text, ReadText) else self.read(text)
        if self._stemmer is None:
            needle, haystack = _normal(word), _normal(read.text)
            if len(haystack) != len(read.text):  # NFKC changed the length: offsets would drift
                needle, haystack = word.casefold(), read.text.casefold()
            return [m.end() for m in re.finditer(re.escape(needle), haystack)] if needle else []
        wanted = self.stems(word)
        n = len(wanted)
        if not n:
            return []
        stems = read.stems
        return [
            read.ends[i + n - 1]
            for i in range(len(stems) - n + 1)
            if stems[i] == wanted[0] and stems[i : i + n] == wanted
        ]


@dataclasses.dataclass
class ReadText:
    text: str
    ends: list[int]  # end offset of each word
    stems: list[str]  # its stem


class Synonyms:
    def __init__(self, concepts: list[Concept], path: Path | None = None):
        self.concepts = concepts
        self.path = path

    def for_language(self, language: str) -> list[Concept]:
        return [c for c in self.concepts if c.language == language]

    @property
    def languages(self) -> list[str]:
        return list(dict.fromkeys(c.language for c in self.concepts))

    @classmethod
    def load(cls, path: Path, languages: list[str] | None = None) -> "Synonyms":
        """Read and validate the file; every problem is reported with the file's name."""
        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text("utf-8"))
        except FileNotFoundError:
            raise SynonymsError(f"{path}: the synonyms file is missing") from None
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise SynonymsError(f"{path}: not valid YAML: {exc}") from None
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise SynonymsError(f"{path}: expected a mapping of language codes (en, ja, fr, ...) to concepts")
        problems, concepts = [], []
        for language, entries in data.items():
            if languages is not None and language not in languages:
                problems.append(f"{path}: '{language}' is not one of the site's languages {languages}")
                continue
            if not isinstance(entries, dict):
                problems.append(f"{path}: {language}: expected a mapping of article words to lists of readers' words")
                continue
            for article_word, readers in entries.items():
                where = f"{path}: {language}.{article_word}"
                if not isinstance(article_word, str) or not article_word.strip():
                    problems.append(f"{path}: {language}: an article word must be non-empty text, not {article_word!r}")
                    continue
                if (
                    not isinstance(readers, list)
                    or not readers
                    or not all(isinstance(w, str) and w.strip() for w in readers)
                ):
                    problems.append(f"{where}: expected a non-empty list of readers' words (text)")
                    continue
                if article_word in readers:
                    problems.append(f"{where}: lists the article word itself among the readers' words")
                    continue
                concepts.append(Concept(language, article_word.strip(), tuple(w.strip() for w in readers)))
        if problems:
            raise SynonymsError("\n".join(problems))
        return cls(concepts, path)
