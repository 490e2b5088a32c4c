"""The interface in Arabic or English, chosen by each analyst, and single-key shortcuts that can
be turned off (WCAG 2.1.4): both kept in the analyst's own cookies, set by a form.

Templates write their text in English inside `_(...)`; in Arabic the catalogue below gives the
words (and the page is laid out right to left). Text that comes from documents is never passed
through it. A phrase missing from the catalogue shows in English, which a test forbids for the
pages translated here.
"""

# ruff: noqa: E501 - each phrase and its Arabic stay whole on one line, to be read side by side

from __future__ import annotations

from typing import Any

from jinja2 import pass_context

LANGUAGES = ("en", "ar")
LANGUAGE_COOKIE = "marsad_lang"
KEYS_COOKIE = "marsad_keys"

ARABIC = {
    # header, navigation, help
    "Marsad triage": "مرصد: الفرز",
    "Queue": "قائمة الحوادث",
    "Map": "الخريطة",
    "Keys (?)": "المفاتيح (?)",
    "Analyst": "المحلل",
    "Set": "حفظ",
    "Log out": "خروج",
    "Language": "اللغة",
    "Shortcuts": "اختصارات لوحة المفاتيح",
    "on": "مفعّلة",
    "off": "معطّلة",
    "Save": "حفظ",
    "Keyboard": "لوحة المفاتيح",
    "next incident": "الحادثة التالية",
    "previous incident": "الحادثة السابقة",
    "open the selected incident (queue)": "فتح الحادثة المحددة (القائمة)",
    "mark in review": "قيد المراجعة",
    "confirm": "تأكيد",
    "reject": "رفض",
    "confirm (asks first)": "تأكيد (بعد السؤال)",
    "reject (asks why)": "رفض (مع السؤال عن السبب)",
    "undo what was just done (while offered)": "التراجع عما تم للتو (ما دام متاحًا)",
    "Updated since review": "حُدّثت منذ المراجعة",
    "mark duplicate of another incident (asks its number)": "تعليم كمكررة لحادثة أخرى (يسأل عن رقمها)",
    "send to verification (confirmed incidents)": "إرسال للتحقق (الحوادث المؤكدة)",
    "assign to me": "إسنادها لي",
    "back to the queue": "العودة إلى القائمة",
    "search": "بحث",
    "this help": "هذه المساعدة",
    "Close": "إغلاق",
    "Single-key shortcuts are off: turn them on in the header.": "الاختصارات بمفتاح واحد معطّلة: فعّلها من أعلى الصفحة.",
    # filters
    "Search text, URL, place, notes": "ابحث في النص والرابط والمكان والملاحظات",
    "Place": "المكان",
    "From": "من",
    "To": "إلى",
    "and undated": "وغير المؤرخة",
    "Min. confidence": "أدنى ثقة",
    "Sort": "الترتيب",
    "best match": "الأقرب للبحث",
    "confidence, then recent": "الثقة ثم الأحدث",
    "recent, then confidence": "الأحدث ثم الثقة",
    "event date": "تاريخ الحدث",
    "reversed": "معكوس",
    "Filter": "تصفية",
    "Reset": "إعادة ضبط",
    "Chosen filters": "المرشحات المختارة",
    "remove": "إزالة",
    # facets and their names
    "Facets": "التصنيفات",
    "Mine": "المسندة إليّ",
    "none": "لا شيء",
    "Status": "الحالة",
    "Type": "النوع",
    "District": "الشعبية",
    "Source": "المصدر",
    "Assignee": "المسند إليه",
    "Tag": "الوسم",
    "Date known to": "دقة التاريخ",
    "Search": "البحث",
    "With undated": "مع غير المؤرخة",
    "undated": "غير مؤرخ",
    "day": "يوم",
    "week": "أسبوع",
    "month": "شهر",
    "year": "سنة",
    # queue
    "incident": "حادثة",
    "incidents": "حوادث",
    "export": "تصدير",
    "documents are not indexed for search yet: they are read one by one, so searching is slow until `marsad search-index` (or the server, as it starts) has indexed them.": "وثيقة لم تُفهرس للبحث بعد: تُقرأ واحدة واحدة، فيبطؤ البحث حتى يفهرسها الأمر `marsad search-index` (أو الخادم عند بدء تشغيله).",
    "on the map": "على الخريطة",
    "With the chosen": "للمختارة",
    "back to new": "إعادة إلى جديدة",
    "assign to…": "إسناد إلى…",
    "add tag…": "إضافة وسم…",
    "name or tag": "اسم أو وسم",
    "reason (kept in the history)": "السبب (يُحفظ في السجل)",
    "Why (to reject)": "سبب الرفض",
    "choose a reason…": "اختر سببًا…",
    "not an incident": "ليست حادثة",
    "not in Libya": "ليست في ليبيا",
    "outside the mandate": "خارج نطاق الولاية",
    "too vague to verify": "أغمض من أن يُتحقق منها",
    "old event reported again": "حدث قديم أعيد نشره",
    "Apply": "تطبيق",
    "changed.": "تغيّرت.",
    "Not changed:": "لم تتغير:",
    "choose every incident on this page": "اختيار كل حوادث هذه الصفحة",
    "#": "#",
    "Conf.": "الثقة",
    "Types": "الأنواع",
    "Date": "التاريخ",
    "Sources": "المصادر",
    "First headline": "أول عنوان",
    "Nothing matches these filters.": "لا شيء يطابق هذه المرشحات.",
    "previous page": "الصفحة السابقة",
    "next page": "الصفحة التالية",
    "page": "صفحة",
    "of": "من",
    "place not known": "المكان غير معروف",
    # map
    "placed only in a district or region (dashed rings)": "محددة بالشعبية أو المنطقة فقط (دوائر متقطعة)",
    "placed only in a country (not drawn)": "محددة بالبلد فقط (لا تُرسم)",
    "without a place": "بلا مكان",
    "back to the list": "العودة إلى القائمة",
    "Zoom and move": "التكبير والتحريك",
    "zoom in": "تكبير",
    "zoom out": "تصغير",
    "north": "شمالاً",
    "south": "جنوباً",
    "west": "غرباً",
    "east": "شرقاً",
    "zoom": "التكبير",
    "district or region only": "الشعبية أو المنطقة فقط",
    "District outlines: Libya-Postal-Code contributors (MIT), simplified. No map tiles are loaded. A cluster takes the colour of its most frequent status; open one to zoom in.": "حدود الشعبيات: مساهمو Libya-Postal-Code (رخصة MIT)، مبسّطة. لا تُحمَّل أي بلاطات خرائط. تأخذ المجموعة لون حالتها الأكثر تكراراً؛ افتحها للتكبير.",
    # trends
    "Trends": "الاتجاهات",
    "trends": "الاتجاهات",
    "By type": "حسب النوع",
    "By district": "حسب الشعبية",
    "other": "أخرى",
    "No dated incident in this selection.": "لا حوادث مؤرخة في هذا الاختيار.",
    "Incidents a week, the last 52 weeks with any, by the date of the event (undated ones are left out).": "الحوادث في كل أسبوع، آخر 52 أسبوعاً فيها حوادث، حسب تاريخ الحدث (دون غير المؤرخة).",
    # statuses
    "new": "جديدة",
    "in review": "قيد المراجعة",
    "confirmed": "مؤكدة",
    "rejected": "مرفوضة",
    "duplicate": "مكررة",
    "sent to verification": "أُرسلت للتحقق",
    "all": "الكل",
    # violation types
    "killing": "قتل",
    "attack on civilians": "هجوم على مدنيين",
    "torture": "تعذيب",
    "arbitrary detention": "احتجاز تعسفي",
    "enforced disappearance": "إخفاء قسري",
    "sexual violence": "عنف جنسي",
    "trafficking": "اتجار بالبشر",
    "attack on civil society": "استهداف المجتمع المدني",
    "repression of assembly": "قمع التجمعات",
    "forced displacement": "تهجير قسري",
    # errors
    "Back to the queue": "العودة إلى القائمة",
}


def language(cookie: str | None) -> str:
    return cookie if cookie in LANGUAGES else "en"


def translate(text: str, lang: str) -> str:
    return ARABIC.get(text, text) if lang == "ar" else text


@pass_context
def gettext(context: Any, text: str) -> str:
    """`_` in templates: `text` in the page's language."""
    return translate(text, context.get("lang", "en"))
