"""The interface in Arabic or English, chosen by each analyst, and single-key shortcuts that can
be turned off (WCAG 2.1.4), set by a form. The language is kept on the account (any browser it
signs in from), and in a cookie for the pages before login; the shortcuts in a cookie.

Templates write their text in English inside `_(...)`; in Arabic the catalogue below gives the
words (and the page is laid out right to left). Text that comes from documents is never passed
through it. A phrase missing from the catalogue shows in English, which a test forbids for the
pages translated here.
"""

# ruff: noqa: E501 - each phrase and its Arabic stay whole on one line, to be read side by side

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from jinja2 import pass_context

from incidents.corrections import LABELS as FIELD_LABELS
from nlp import actors

if TYPE_CHECKING:
    from jinja2 import Environment

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
    "Perpetrator": "الجهة المنفذة",
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
    "Districts of Libya with incidents": "شعبيات ليبيا والحوادث فيها",
    "{n} placed only in {place}": "{n} محددة فقط في {place}",
    "{n} incidents": "الحوادث: {n}",
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
    # actors
    "Actors": "الجهات الفاعلة",
    "The perpetrator registry: armed groups, state bodies, coalitions and foreign forces, with their names in both languages.": "سجل الجناة: الجماعات المسلحة والأجهزة الحكومية والتحالفات والقوات الأجنبية، بأسمائها باللغتين.",
    "Name": "الاسم",
    "Arabic name": "الاسم بالعربية",
    "Category": "الفئة",
    "Units": "الوحدات",
    "now": "الآن",
    "All actors": "كل الجهات الفاعلة",
    "a kind of actor, not a named one": "صنف من الجهات، لا جهة بعينها",
    "Arabic names": "الأسماء بالعربية",
    "English names": "الأسماء بالإنجليزية",
    "Belonged to": "التبعية",
    "Units under it": "الوحدات التابعة لها",
    "Area": "منطقة النشاط",
    "Incidents naming it": "الحوادث التي تذكرها",
    "in the queue": "في قائمة الحوادث",
    "with its units": "مع الوحدات التابعة لها",
    "No incident names it yet.": "لا توجد حادثة تذكرها بعد.",
    "Perpetrator and its units": "الجهة المنفذة والوحدات التابعة لها",
    "state forces": "قوات حكومية",
    "armed group": "جماعة مسلحة",
    "coast guard": "خفر السواحل",
    "foreign forces": "قوات أجنبية",
    "traffickers": "مهربون وتجار بشر",
    "unidentified armed men": "مسلحون مجهولون",
    # adding documents (triage/upload.py)
    "Add documents": "إضافة وثائق",
    "Result": "النتيجة",
    "Lines read": "الأسطر المقروءة",
    "New documents stored": "وثائق جديدة حُفظت",
    "Already stored (analysed again, not duplicated)": "محفوظة من قبل (أعيد تحليلها دون تكرار)",
    "Incidents": "الحوادث",
    "Lines not stored (the others were):": "أسطر لم تُحفظ (وحُفظ غيرها):",
    "Line": "السطر",
    "Id": "المعرّف",
    "Error": "الخطأ",
    "A JSON Lines file, one document a line as for": "ملف JSON Lines، وثيقة في كل سطر كما في",
    "or one HTML, PDF or text file. A file sent twice is stored once.": "أو ملف واحد بصيغة HTML أو PDF أو نص. الملف المرسل مرتين يُحفظ مرة واحدة.",
    "File": "الملف",
    "at most": "بحد أقصى",
    "For a single file:": "لملف واحد:",
    "Published": "تاريخ النشر",
    "Address (URL)": "العنوان (الرابط)",
    "Add": "إضافة",
    # errors
    "Back to the queue": "العودة إلى القائمة",  # header: the account's role
    "admin": "مدير",
    "analyst": "محلل",
    "viewer": "مطّلع",
    # undo offer and the decision dialog
    "Incident {id}": "الحادثة {id}",
    "Undo (z)": "تراجع (z)",
    "Undo": "تراجع",
    "Mark in review": "وضعها قيد المراجعة",
    "Confirm": "تأكيد",
    "Reject": "رفض",
    "Send to verification": "إرسال للتحقق",
    "{action} incident {id} ({summary})?": "{action}: الحادثة {id} ({summary})؟",
    "Duplicate of incident number:": "مكررة للحادثة رقم:",
    "Why": "السبب",
    "Note": "ملاحظة",
    "Yes (Enter)": "نعم (Enter)",
    "Cancel (Esc)": "إلغاء (Esc)",
    "same event, another report": "الحدث نفسه، تقرير آخر",
    "same article, another address": "المقال نفسه، رابط آخر",
    # the check before a duplicate mark
    "Incident {id}: duplicate of…?": "الحادثة {id}: مكررة لأي حادثة؟",
    "← incident {id}": "→ الحادثة {id}",
    "Is incident {id} a duplicate of incident {target}?": "هل الحادثة {id} مكررة للحادثة {target}؟",
    "Is incident {id} a duplicate?": "هل الحادثة {id} مكررة؟",
    "This one": "هذه الحادثة",
    "The one it would join": "الحادثة التي ستنضم إليها",
    "Incident": "الحادثة",
    "Documents": "الوثائق",
    "not known": "غير معروف",
    "unknown": "غير معروف",
    "Incident {id} is rejected: this incident would leave the open queue with it.": "الحادثة {id} مرفوضة: ستخرج هذه الحادثة معها من القائمة المفتوحة.",
    "Duplicate of incident #": "مكررة للحادثة رقم",
    "Check": "تحقّق",
    "Mark incident {id} a duplicate of {target}": "تعليم الحادثة {id} كمكررة للحادثة {target}",
    # the incident page
    "← queue": "→ القائمة",
    "previous (k)": "السابقة (k)",
    "next (j)": "التالية (j)",
    "1 new source": "مصدر جديد واحد",
    "{n} new sources": "مصادر جديدة: {n}",
    "updated since review": "حُدّثت منذ المراجعة",
    "Merged into": "دُمجت في",
    "incident {id}": "الحادثة {id}",
    "date not known": "التاريخ غير معروف",
    "In review (i)": "قيد المراجعة (i)",
    "Confirm (c)": "تأكيد (c)",
    "Reject… (x)": "رفض… (x)",
    "Sent to verification (v)": "أُرسلت للتحقق (v)",
    "Back to new": "إعادة إلى جديدة",
    "Check duplicate… (d)": "فحص التكرار… (d)",
    "Not a duplicate: unmerge": "ليست مكررة: فكّ الدمج",
    "What was found": "ما عُثر عليه",
    "Field": "الحقل",
    "Machine": "الآلة",
    "Correct to": "التصحيح إلى",
    "by": "بواسطة",
    "machine's value": "قيمة الآلة",
    "Types:": "الأنواع:",
    "Dates: 2024-05-12, 2024-05, 2024, or 2024-05-12/2024-05-18 week. Place: a name, optionally @ lat,lon. Counts: a number or unknown. Perpetrators: separated by ;. Victims: group:count, separated by commas.": "التواريخ: 2024-05-12 أو 2024-05 أو 2024 أو 2024-05-12/2024-05-18 week. المكان: اسم، ويمكن إضافة @ lat,lon. الأعداد: رقم أو unknown. الجهات المنفذة: يُفصل بينها بـ ;. الضحايا: group:count، يُفصل بينها بفواصل.",
    "Save corrections": "حفظ التصحيحات",
    "Confidence": "الثقة",
    "1 document": "وثيقة واحدة",
    "{n} documents": "الوثائق: {n}",
    "Claims by source": "الادعاءات حسب المصدر",
    "Value": "القيمة",
    "Stated by": "ذكرها",
    "sources disagree": "المصادر مختلفة",
    "document {id}": "الوثيقة {id}",
    "Review": "المراجعة",
    "Assign": "إسناد",
    "Assign to me (a)": "إسنادها لي (a)",
    "Tags": "الوسوم",
    "comma, separated": "مفصولة، بفواصل",
    "Save tags": "حفظ الوسوم",
    "Notes": "الملاحظات",
    "Save notes": "حفظ الملاحظات",
    "Seen: new sources and changed claims reviewed": "اطّلعتُ: رُوجعت المصادر الجديدة والادعاءات المتغيرة",
    "Supporting documents": "الوثائق الداعمة",
    "Not one event? Move these documents to a new incident:": "ليست حدثاً واحداً؟ انقل هذه الوثائق إلى حادثة جديدة:",
    "Split": "فصل",
    "Document {id}": "الوثيقة {id}",
    "new source": "مصدر جديد",
    "superseded by a re-analysis": "حلّ محلها تحليل أحدث",
    "published": "نُشرت",
    "fetched": "جُلبت",
    "input id": "معرّف الإدخال",
    "original page": "الصفحة الأصلية",
    "stored capture": "النسخة المحفوظة",
    "This source says:": "يقول هذا المصدر:",
    "no date": "بلا تاريخ",
    "no place": "بلا مكان",
    "confidence": "الثقة",
    "Text": "النص",
    "History": "السجل",
    "When (UTC)": "متى (UTC)",
    "Who": "مَن",
    "What": "ماذا",
    # fields an analyst corrects, and the claims of the sources
    "Killed": "القتلى",
    "Injured": "الجرحى",
    "Abducted": "المختطفون",
    "Detained": "المحتجزون",
    "Perpetrators": "الجهات المنفذة",
    "Victims": "الضحايا",
    "types": "الأنواع",
    "date": "التاريخ",
    "place": "المكان",
    "perpetrators": "الجهات المنفذة",
    "victims": "الضحايا",
    "killed": "القتلى",
    "injured": "الجرحى",
    "abducted": "المختطفون",
    "detained": "المحتجزون",
    # history actions
    "created": "أُنشئت",
    "attached": "أُضيف مصدر",
    "detached": "نُقل منها مصدر",
    "status": "الحالة",
    "assignee": "الإسناد",
    "notes": "الملاحظات",
    "tags": "الوسوم",
    "corrected": "صُحّحت",
    "uncorrected": "أُعيدت قيمة الآلة",
    "merged": "دُمجت",
    "absorbed": "ضمّت حادثة",
    "unmerged": "فُكّ دمجها",
    "released": "أُخرجت منها حادثة",
    "split": "فُصلت",
    "acknowledged": "اطُّلع عليها",
    "undo": "تراجع",
    "sent": "أُرسلت للتحقق",
    # login
    "Log in": "تسجيل الدخول",
    "No account exists yet. On the server, stop Marsad and create the first admin:": "لا يوجد أي حساب بعد. على الخادم، أوقف مرصد وأنشئ أول مدير:",
    "(or start marsad serve from a terminal: it asks).": "(أو شغّل marsad serve من الطرفية: سيسألك).",
    "Account": "الحساب",
    "Password": "كلمة المرور",
    # the queue
    "bundle": "حزمة التحقق",
    "choose incident {id}": "اختيار الحادثة {id}",
    # error pages
    "The request cannot be done": "لا يمكن تنفيذ الطلب",
    "Sign in first": "سجّل الدخول أولاً",
    "Not allowed": "غير مسموح",
    "Not found": "غير موجود",
    "Not this way": "ليس بهذه الطريقة",
    "Cannot be done now": "لا يمكن تنفيذه الآن",
    "Gone": "لم يعد موجوداً",
    "Too many tries": "محاولات كثيرة",
    "Busy: try again soon": "مشغول: حاول بعد قليل",
}

# Messages the code says (errors, refusals), each with its `{name}` places: an Arabic page
# reads the values back out of the English message and puts them into the Arabic one.
MESSAGES = {
    "missing or wrong CSRF token: reload the page and try again": "رمز الحماية (CSRF) مفقود أو خاطئ: أعد تحميل الصفحة وحاول مجدداً",
    "a viewer account cannot change incidents": "حساب المطّلع لا يستطيع تغيير الحوادث",
    "no such action": "لا يوجد إجراء كهذا",
    "no incident {id}": "لا توجد حادثة رقم {id}",
    "no document {id}": "لا توجد وثيقة رقم {id}",
    "the capture file is missing (run `marsad verify`)": "ملف النسخة المحفوظة مفقود (شغّل marsad verify)",
    "unknown format {kind}": "صيغة غير معروفة: {kind}",
    "another export is being built: try again when it is done": "يجري إعداد تصدير آخر: حاول مجدداً بعد انتهائه",
    "a {kind} export is recorded in the custody log: use its button": "يُسجَّل تصدير {kind} في سجل العهدة: استخدم زرّه",
    "too many failed logins: try again in {minutes} minute(s)": "محاولات دخول فاشلة كثيرة: حاول مجدداً بعد {minutes} دقيقة",
    "wrong name or password (or the account is disabled)": "الاسم أو كلمة المرور خاطئة (أو الحساب معطّل)",
    "authentication required": "يلزم تسجيل الدخول",
    "say why you reject: one of {reasons}": "اذكر سبب الرفض: أحد {reasons}",
    "say why you mark a duplicate: one of {reasons}": "اذكر سبب تعليمها كمكررة: أحد {reasons}",
    "{code} is not a reason to reject; one of {reasons}": "{code} ليس سبباً للرفض؛ الأسباب: {reasons}",
    "{code} is not a reason to mark a duplicate; one of {reasons}": "{code} ليس سبباً لتعليمها كمكررة؛ الأسباب: {reasons}",
    "say in a few words why you reject (reason: other)": "اذكر ببضع كلمات سبب الرفض (السبب: آخر)",
    "say in a few words why you mark a duplicate (reason: other)": "اذكر ببضع كلمات سبب تعليمها كمكررة (السبب: آخر)",
    "mark a duplicate with the incident it duplicates": "علّم المكررة مع رقم الحادثة التي تكررها",
    "unknown status {status}": "حالة غير معروفة: {status}",
    "give the number of the incident this one duplicates": "أعطِ رقم الحادثة التي تكررها هذه",
    "incident {id} cannot duplicate itself": "الحادثة {id} لا يمكن أن تكون مكررة لنفسها",
    "there is no incident {id}": "لا توجد حادثة رقم {id}",
    "incident {id} is itself a duplicate of incident {other}: mark this one a duplicate of incident {again}": "الحادثة {id} هي نفسها مكررة للحادثة {other}: علّم هذه مكررة للحادثة {again}",
    "incident {id} is already a duplicate": "الحادثة {id} مكررة أصلاً",
    "incident {id} was merged into another": "الحادثة {id} دُمجت في حادثة أخرى",
    "incident {id} is {old}: it cannot become {new} from there": "الحادثة {id} حالتها «{old}»: لا يمكن أن تصبح «{new}» من هناك",
    "incident {id} is {old}: it cannot become {new} from there (confirm it first)": "الحادثة {id} حالتها «{old}»: لا يمكن أن تصبح «{new}» من هناك (أكّدها أولاً)",
    "choose the sources that go to the new incident": "اختر المصادر التي تنتقل إلى الحادثة الجديدة",
    "choose documents of incident {id} to split off": "اختر وثائق الحادثة {id} التي تُفصل عنها",
    "leave at least one source on the incident being split": "أبقِ مصدراً واحداً على الأقل في الحادثة التي تُقسم",
    "no history entry {id}": "لا يوجد قيد رقم {id} في السجل",
    "incident {id} has changed since: nothing to undo there, use its history or its buttons": "تغيّرت الحادثة {id} منذ ذلك: لا شيء للتراجع عنه هناك، استخدم سجلها أو أزرارها",
    "say why you correct the machine (kept in the history)": "اذكر سبب تصحيح ما استخرجته الآلة (يُحفظ في السجل)",
    "which history entry?": "أي قيد في السجل؟",
    "not a correctable field: {name}": "ليس حقلاً يمكن تصحيحه: {name}",
    "not a correctable field: {name}; one of {fields}": "ليس حقلاً يمكن تصحيحه: {name}؛ الحقول: {fields}",
    "{name}: give a number of people, or `unknown`": "{name}: اكتب عدد الأشخاص، أو unknown",
    "types: unknown {types}; use {known}": "الأنواع: غير معروف {types}؛ استخدم {known}",
    "types: an incident needs at least one type (reject it instead)": "الأنواع: تحتاج الحادثة نوعاً واحداً على الأقل (ارفضها بدلاً من ذلك)",
    "date: precision is one of {precisions}": "التاريخ: الدقة إحدى {precisions}",
    "date: the end is before the start": "التاريخ: النهاية قبل البداية",
    "date: {text} is not a date; write 2024-05-12, 2024-05, 2024 or 2024-05-12/2024-05-18": "التاريخ: {text} ليس تاريخاً؛ اكتب 2024-05-12 أو 2024-05 أو 2024 أو 2024-05-12/2024-05-18",
    "place: give a place name before the @": "المكان: اكتب اسم المكان قبل @",
    "place: write the point as LAT,LON, e.g. 31.2,16.59": "المكان: اكتب النقطة بصيغة LAT,LON، مثل 31.2,16.59",
    "place: latitude or longitude out of range": "المكان: خط العرض أو الطول خارج النطاق",
    "victims: unknown group {group}; use {groups}": "الضحايا: فئة غير معروفة {group}؛ استخدم {groups}",
    "victims: {group}'s count must be a number": "الضحايا: عدد {group} يجب أن يكون رقماً",
    "say which status or tag": "حدّد الحالة أو الوسم",
    "choose the incidents first (the boxes at the start of each row)": "اختر الحوادث أولاً (المربعات في بداية كل سطر)",
    "unknown type {type} (one of {types})": "نوع غير معروف {type} (أحد {types})",
    "{key} takes a date as YYYY-MM-DD, not {value}": "يأخذ {key} تاريخاً بصيغة YYYY-MM-DD، لا {value}",
    "min_confidence takes a number from 0 to 1, not {value}": "أدنى ثقة عدد من 0 إلى 1، لا {value}",
    "unknown order {order} (relevance or one of {orders})": "ترتيب غير معروف {order} (relevance أو أحد {orders})",
}


def language(cookie: str | None) -> str:
    return cookie if cookie in LANGUAGES else "en"


def choose(account: str | None, cookie: str | None, accept: str | None) -> str:
    """The page's language: the signed-in account's choice, else this browser's cookie, else
    the first of ours the browser's Accept-Language asks for, else English."""
    for chosen in (account, cookie):
        if chosen in LANGUAGES:
            return chosen
    return _accepted(accept or "")


def _accepted(header: str) -> str:
    """The language of `LANGUAGES` an Accept-Language header prefers (RFC 9110 12.5.4)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().split("-")[0].lower()
        if primary in LANGUAGES and weight > 0:
            ranked.append((-weight, position, primary))
    return min(ranked)[2] if ranked else "en"


def translate(text: str, lang: str) -> str:
    return ARABIC.get(text, text) if lang == "ar" else text


@pass_context
def gettext(context: Any, text: str, **values: Any) -> str:
    """`_` in templates: `text` in the page's language, its `{name}` places filled with
    `values` (the template escapes the whole, values included)."""
    translated = translate(text, context.get("lang", "en"))
    return translated.format(**values) if values else translated


@pass_context
def translated(context: Any, text: str) -> str:
    """`text` in the page's language, as a filter (for lists: `map('translated')`)."""
    return translate(text, context.get("lang", "en"))


# What an error page's status means, said in a few words.
HTTP_TITLES = {
    400: "The request cannot be done",
    401: "Sign in first",
    403: "Not allowed",
    404: "Not found",
    405: "Not this way",
    409: "Cannot be done now",
    410: "Gone",
    429: "Too many tries",
    503: "Busy: try again soon",
}
# Audit actions whose values are review statuses (shown by their label, translated).
_STATUS_ACTIONS = ("status", "undo", "unmerged", "created")


@pass_context
def audit_value(context: Any, action: str, value: str | None) -> str:
    """A history entry's from or to value: a status by its label in the page's language (the
    app's `STATUS_LABELS`), any other value as it was recorded."""
    if value is None:
        return ""
    labels = context.get("STATUS_LABELS") or {}
    if action in _STATUS_ACTIONS and value in labels:
        return translate(labels[value], context.get("lang", "en"))
    return value


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each message as a pattern whose groups are its places (longest first: the most
    specific wins)."""
    found = []
    for english, arabic in sorted(MESSAGES.items(), key=lambda item: -len(item[0])):
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^;]+?)", re.escape(english))
        found.append((re.compile(pattern, re.DOTALL), arabic))
    return tuple(found)


def message(text: str, lang: str) -> str:
    """A message of the code in `lang`; one it does not know stays as it is (in English).
    Problems joined with "; " are each translated."""
    if lang != "ar":
        return text
    whole = _message(text)
    if whole is not None:
        return whole
    return "؛ ".join(_message(part) or part for part in text.split("; "))


def _message(text: str) -> str | None:
    if text in ARABIC:
        return ARABIC[text]
    for pattern, arabic in _patterns():
        found = pattern.fullmatch(text)
        if found:
            # A value that is a label (a status) is said in Arabic too.
            return arabic.format(**{k: ARABIC.get(v, v) for k, v in found.groupdict().items()})
    return None


@pass_context
def said(context: Any, text: str) -> str:
    """A message of the code in the page's language (a filter)."""
    return message(str(text), context.get("lang", "en"))


@cache
def _actors_in_arabic() -> dict[str, str]:
    return {
        str(a["name"]).casefold(): str(a["name_ar"])
        for a in actors.data()["actors"]
        if a.get("name_ar")
    }


@pass_context
def actor_name(context: Any, name: str) -> str:
    """A perpetrator as the registry names it in the page's language (its Arabic name on an
    Arabic page; a name the registry does not know, as it was given)."""
    if context.get("lang") != "ar":
        return name
    return _actors_in_arabic().get(name.casefold(), name)


def install(env: Environment) -> None:
    """What templates use to speak the page's language."""
    env.globals["_"] = gettext
    env.globals["audit_value"] = audit_value
    env.globals["FIELD_LABELS"] = FIELD_LABELS
    env.globals["HTTP_TITLES"] = HTTP_TITLES
    env.filters["translated"] = translated
    env.filters["said"] = said
    env.filters["actor_name"] = actor_name
