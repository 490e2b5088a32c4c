"""Each pipeline stage on its own, fed pages as a spider would hand them over."""

from __future__ import annotations

import asyncio
import inspect
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from pipeline.analyse import AnalyseStage, analysed
from pipeline.capture import CaptureStage
from pipeline.extract import ExtractStage, extract_article, month_in_url
from pipeline.language import LanguageStage, detect_language
from pipeline.store import StoreStage
from spiders.items import FetchFailed, Page
from storage import sha256_hex
from tests.nlp.rules import rules_analysis

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pipeline.stage import Stage

ARTICLE_EN = """<html lang="en"><head><title>Detainees beaten in Tripoli prison</title>
<meta property="article:published_time" content="2024-05-06T09:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/about">About us</a></nav>
<article><h1>Detainees beaten in Tripoli prison</h1>
<p>Former detainees told our researchers that guards beat them with hoses and kept them in
overcrowded cells without light for weeks, in a prison in the south of the capital.</p>
<p>The organisation called on the authorities to open an independent investigation and to let
monitors visit every place of detention without notice, as the law already requires.</p>
<p>Families said they had not been told where their relatives were held for over a month.</p>
</article><footer>Copyright Example NGO</footer></body></html>"""

ARTICLE_AR = """<html lang="ar" dir="rtl"><head><meta charset="windows-1256">
<title>اعتقال ناشطين في مصراتة</title></head><body><article><h1>اعتقال ناشطين في مصراتة</h1>
<p>قال شهود إن قوة أمنية اعتقلت ثلاثة ناشطين من منازلهم في مدينة مصراتة مساء أمس، واقتادتهم إلى
جهة غير معلومة دون إبراز أي أمر قضائي.</p>
<p>وطالبت عائلات المعتقلين بالكشف عن أماكن احتجازهم والسماح للمحامين بزيارتهم في أقرب وقت.</p>
<p>ولم يصدر أي تعليق رسمي من الجهات الأمنية في المدينة حتى ساعة نشر هذا الخبر.</p>
</article></body></html>"""


def page(body: bytes, url: str = "http://site/a.html", encoding: str = "utf-8") -> Page:
    return Page(
        source="test-source",
        url=url,
        final_url=url,
        status=200,
        headers={"Content-Type": ["text/html"]},
        body=body,
        encoding=encoding,
        fetched_at=datetime(2024, 5, 7, 8, 0, tzinfo=UTC),
        languages=("en", "ar"),
    )


@pytest.fixture
def stages(tmp_path: Path) -> Iterator[dict[str, Stage]]:
    crawler = get_crawler(
        settings_dict={"MARSAD_DATA_DIR": str(tmp_path / "data"), "MARSAD_MIN_ARTICLE_CHARS": 200}
    )
    built: dict[str, Stage] = {
        "capture": CaptureStage.from_crawler(crawler),
        "extract": ExtractStage.from_crawler(crawler),
        "language": LanguageStage.from_crawler(crawler),
        "analyse": AnalyseStage.from_crawler(crawler),
        "store": StoreStage.from_crawler(crawler),
    }
    for stage in built.values():
        stage.open_spider()
    yield built
    for stage in built.values():
        stage.close_spider()


def run_all(stages: dict[str, Stage], item: Any) -> Any:
    for stage in stages.values():
        result = stage.process_item(item)
        item = asyncio.run(result) if inspect.iscoroutine(result) else result
    return item


def test_capture_keeps_the_exact_bytes_under_their_hash(stages: dict[str, Stage]) -> None:
    body = ARTICLE_EN.encode()
    captured = asyncio.run(stages["capture"].process_item(page(body)))
    assert captured.sha256 == sha256_hex(body)
    stored = stages["capture"].paths.captures / body_path(captured.sha256)
    assert stored.read_bytes() == body
    fetch = stages["capture"].store.fetch(captured.fetch_id)
    assert fetch is not None
    assert (fetch["url"], fetch["status"], fetch["sha256"]) == (captured.url, 200, captured.sha256)


def body_path(digest: str) -> str:
    return f"{digest[:2]}/{digest[2:4]}/{digest}"


def test_a_page_flows_through_every_stage_into_one_document(stages: dict[str, Stage]) -> None:
    result = run_all(stages, page(ARTICLE_EN.encode()))
    doc = stages["store"].store.document(result.document_id)
    assert doc is not None
    assert doc["title"] == "Detainees beaten in Tripoli prison"
    assert "guards beat them with hoses" in doc["text"]
    assert "Copyright" not in doc["text"]
    assert doc["published"] == date(2024, 5, 6)
    assert doc["language"] == "en"
    assert doc["capture_sha256"] == sha256_hex(ARTICLE_EN.encode())


def test_windows_1256_arabic_is_decoded_and_detected(stages: dict[str, Stage]) -> None:
    result = run_all(stages, page(ARTICLE_AR.encode("cp1256"), encoding="cp1256"))
    assert result.language == "ar"
    assert "اعتقلت ثلاثة ناشطين" in result.text


def test_the_same_text_under_a_second_url_is_one_document(stages: dict[str, Stage]) -> None:
    first = run_all(stages, page(ARTICLE_EN.encode(), url="http://site/a.html"))
    second = run_all(stages, page(ARTICLE_EN.encode(), url="http://mirror/a.html?utm=x"))
    assert first.document_id == second.document_id
    assert stages["store"].store.totals()["documents"] == 1
    assert stages["store"].store.totals()["fetches"] == 2


def test_pages_in_flight_are_stored_together_and_a_bad_one_fails_alone(
    stages: dict[str, Stage],
) -> None:
    before_store = dict(list(stages.items())[:-1])
    good = run_all(before_store, page(ARTICLE_EN.encode(), url="http://site/good.html"))
    bad = run_all(before_store, page(ARTICLE_AR.encode(), url="http://site/bad.html"))
    assert bad.analysed is not None
    broken = {"types": ["detention"], "date": {"start": "not a date", "precision": "day"}}
    bad.analysed = replace(bad.analysed, incidents=[broken])

    async def store_both() -> list[Any]:
        store = stages["store"]
        outcomes = await asyncio.gather(
            store.process_item(good), store.process_item(bad), return_exceptions=True
        )
        return list(outcomes)

    stored, failed = asyncio.run(store_both())
    assert stored is good and good.document_id is not None
    assert isinstance(failed, Exception)
    store = stages["store"].store
    assert [d["url"] for d in store.documents()] == ["http://site/good.html"]
    # Both captures were committed before either page reached the store.
    assert store.totals()["fetches"] == 2


def test_a_page_without_article_text_is_dropped_with_a_reason_and_kept(
    stages: dict[str, Stage],
) -> None:
    empty = page(b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
    with pytest.raises(DropItem, match="too_short"):
        run_all(stages, empty)
    store = stages["store"].store
    (failure,) = store.failures()
    assert failure["stage"] == "extract"
    assert failure["reason"].startswith("too_short")
    assert store.capture(failure["sha256"]) is not None
    crawler = stages["store"].crawler
    assert crawler.stats is not None
    assert crawler.stats.get_value("pipeline/dropped/too_short") == 1


def test_a_failed_fetch_is_recorded(stages: dict[str, Stage]) -> None:
    failed = FetchFailed(
        source="test-source", url="http://site/gone", reason="http_404", status=404
    )
    assert run_all(stages, failed) is failed
    (row,) = stages["store"].store.failures()
    assert (row["stage"], row["reason"], row["url"]) == ("fetch", "http_404", "http://site/gone")


def test_extract_article_reads_title_date_and_text() -> None:
    article = extract_article(ARTICLE_EN, url="http://site/a.html")
    assert article.title == "Detainees beaten in Tripoli prison"
    assert article.published == date(2024, 5, 6)
    assert article.text.startswith("Detainees beaten")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example.org/Web/News/2019/12/1276320.html", date(2019, 12, 1)),
        ("https://news.example.org/2013/5/three-journalists.php", date(2013, 5, 1)),
        ("https://news.example.org/story/2019/1276320", None),  # a year and an id, no month
        ("https://news.example.org/2019/13/x.html", None),
        ("https://news.example.org/news/1455485/title", None),
        (None, None),
    ],
)
def test_month_in_url(url: str | None, expected: date | None) -> None:
    assert month_in_url(url) == expected


def test_an_undated_page_is_analysed_against_the_month_its_url_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The URL's month reaching the NLP is checked; whether this one sentence is worth an
    # incident is the learned models' call, so the rules' incidents stand in for theirs.
    import nlp

    monkeypatch.setattr(nlp, "analyse", rules_analysis)
    text = "Gunmen shot dead a lawyer in Tripoli on Monday, his family said."
    (incident,) = analysed(text, "en", None, "https://site/2019/12/lawyer.html").incidents
    assert incident["date"] == {"start": "2019-12-01", "end": "2019-12-31", "precision": "month"}
    (dated,) = analysed(text, "en", date(2019, 12, 18), "https://site/2019/12/x.html").incidents
    assert dated["date"]["start"] == "2019-12-16"  # the Monday before publication


@pytest.mark.parametrize(
    ("text", "declared", "expected"),
    [
        ("Libya", ("en",), "en"),
        ("Armed men abducted six protesters in Tripoli on Sunday", (), "en"),
        ("اختطف مسلحون ستة متظاهرين في طرابلس يوم الأحد", (), "ar"),
        ("ليبيا: اعتقال صحفي", ("ar",), "ar"),
        ("12345 --- !!!", (), "und"),
    ],
)
def test_language_detection(text: str, declared: tuple[str, ...], expected: str) -> None:
    assert detect_language(text, declared) == expected


def test_language_detection_is_deterministic() -> None:
    text = "ليبيا: مقتل مهاجرين قبالة السواحل"
    assert len({detect_language(text) for _ in range(20)}) == 1


def test_incidents_found_are_stored_with_the_document_and_clustered(
    stages: dict[str, Stage],
) -> None:
    import nlp

    result = run_all(stages, page(ARTICLE_AR.encode("cp1256"), encoding="cp1256"))
    store = stages["store"].store
    candidates = store.candidates(result.document_id)
    assert candidates, "the arrest of three activists is an incident"
    (first, *_) = candidates
    assert "arbitrary_detention" in first["types"]
    assert first["nlp_version"] == nlp.version()
    evidence = first["finding"]["evidence"][0]
    assert result.text[evidence["start"] : evidence["end"]] == evidence["text"]
    assert store.unclustered_candidates([result.document_id]) == []
    assert store.documents_to_analyse(nlp.version()) == []


def test_a_page_without_incidents_is_analysed_and_stores_none(stages: dict[str, Stage]) -> None:
    import nlp

    calm = ARTICLE_EN.replace("guards beat them with hoses and kept", "staff kept").replace(
        "Detainees beaten", "Prison visit"
    )
    result = run_all(stages, page(calm.encode()))
    assert result.analysed is not None
    assert result.analysed.incidents == []
    assert stages["store"].store.candidates(result.document_id) == []
    assert stages["store"].store.documents_to_analyse(nlp.version()) == []
