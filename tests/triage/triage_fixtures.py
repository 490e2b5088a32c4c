"""Fixtures for triage: documents and candidates put in through the Store API, in both languages.

The sentences are written for these tests (no third-party text); `finding` follows the
extraction contract, with evidence offsets computed from the text so highlights are exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from starlette.testclient import TestClient

from incidents import cluster
from storage import Analysed, CaptureFiles
from triage import accounts
from triage.ingest import store_document

if TYPE_CHECKING:
    from pathlib import Path

    from starlette.applications import Starlette

    from storage import Store

TRIPOLI = {
    "name": "Tripoli",
    "name_ar": "طرابلس",
    "admin1": "Tripoli",
    "lat": 32.887,
    "lon": 13.191,
}
TAJOURA = {
    "name": "Tajoura",
    "name_ar": "تاجوراء",
    "admin1": "Tripoli",
    "lat": 32.882,
    "lon": 13.351,
}
BENGHAZI = {
    "name": "Benghazi",
    "name_ar": "بنغازي",
    "admin1": "Benghazi",
    "lat": 32.115,
    "lon": 20.068,
}


def finding(
    text: str,
    evidence: str,
    *,
    types: list[str],
    day: str | None,
    precision: str = "day",
    location: dict[str, Any] | None = None,
    perpetrators: list[dict[str, Any]] | None = None,
    victims: list[dict[str, Any]] | None = None,
    counts: dict[str, int | None] | None = None,
    confidence: float = 0.8,
) -> dict[str, Any]:
    start = text.index(evidence)
    return {
        "types": types,
        "date": None if day is None else {"start": day, "end": day, "precision": precision},
        "location": location,
        "perpetrators": perpetrators or [],
        "victims": victims or [],
        "counts": {"killed": None, "injured": None, "abducted": None, "detained": None}
        | (counts or {}),
        "confidence": confidence,
        "evidence": [{"start": start, "end": start + len(evidence), "text": evidence}],
    }


@dataclass
class Desk:
    """A data directory with a store, and a way to add analysed documents to it."""

    store: Store
    data_dir: Path

    def add(
        self,
        url: str,
        text: str,
        findings: list[dict[str, Any]],
        *,
        language: str = "en",
        source: str = "test-source",
        published: date | None = date(2024, 5, 13),
        title: str | None = None,
        html: str | None = None,
        cluster_now: bool = True,
    ) -> int:
        document_id, _ = store_document(
            self.store,
            CaptureFiles(self.data_dir / "captures"),
            url=url,
            body=(html or text).encode("utf-8"),
            content_type="text/html; charset=utf-8" if html else "text/plain; charset=utf-8",
            text=text,
            title=title,
            published=published,
            language=language,
            analysed=Analysed("test-nlp-1", language, findings),
            source=source,
        )
        if cluster_now:
            cluster.attach(self.store, document_id)
        return document_id


# One abduction in Tripoli, reported in English and in Arabic by two sources.
EN_ABDUCTION = (
    "Residents said that gunmen from the Radaa force seized four students outside a cafe in "
    "Tripoli on 12 May 2024. Their families have heard nothing since."
)
EN_ABDUCTION_EVIDENCE = (
    "Residents said that gunmen from the Radaa force seized four students outside a cafe in "
    "Tripoli on 12 May 2024."
)
AR_ABDUCTION = (
    "قال سكان إن مسلحين تابعين لقوة الردع خطفوا خمسة طلاب أمام مقهى في طرابلس يوم 12 مايو 2024. "
    "ولم تتلق عائلاتهم أي خبر عنهم."
)
AR_ABDUCTION_EVIDENCE = (
    "قال سكان إن مسلحين تابعين لقوة الردع خطفوا خمسة طلاب أمام مقهى في طرابلس يوم 12 مايو 2024."
)
RADAA = {"name": "Radaa force", "category": "state_security", "aliases": ["قوة الردع", "Rada"]}


def en_abduction() -> dict[str, Any]:
    return finding(
        EN_ABDUCTION,
        EN_ABDUCTION_EVIDENCE,
        types=["enforced_disappearance"],
        day="2024-05-12",
        location=TRIPOLI,
        perpetrators=[RADAA],
        victims=[{"group": "civilians", "count": 4}],
        counts={"abducted": 4},
        confidence=0.82,
    )


def ar_abduction() -> dict[str, Any]:
    return finding(
        AR_ABDUCTION,
        AR_ABDUCTION_EVIDENCE,
        types=["enforced_disappearance", "arbitrary_detention"],
        day="2024-05-12",
        location=TRIPOLI,
        perpetrators=[RADAA],
        victims=[{"group": "civilians", "count": 5}],
        counts={"abducted": 5},
        confidence=0.74,
    )


# A password for test accounts (assumed: any that passes `accounts.check_password`).
PASSWORD = "correct horse battery"  # noqa: S105 - a test password


def signed_in(
    app: Starlette, store: Store, name: str = "amira", role: str = "analyst"
) -> TestClient:
    """A client of `app` logged in through the login form as a new account `name`."""
    accounts.add(store, name, role, PASSWORD, by="test")
    client = TestClient(app)
    client.get("/login")
    answer = client.post(
        "/login",
        data={"csrf": client.cookies["marsad_csrf"], "name": name, "password": PASSWORD},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return client


def csrf_of(client: TestClient, path: str = "/") -> str:
    """The CSRF token a page's forms carry (the session's own)."""
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)
