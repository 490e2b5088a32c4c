"""Who did it: which of the actors a sentence names are the agents of its acts.

The perpetrator of an act is its agent: the actor an agent word names ("by", "at the hands of",
"على يد", "من قبل"), else the actor nearest the act in its clause, with the actors chained to it
("militias loyal to Haftar"). Not who reports ("according to the police", "authorities say"),
whom a call addresses ("urged the Libyan authorities to release"), what a strike targets
("strikes on IS positions"), who backs the agent ("a NATO-backed uprising"), or the subject of
an English passive ("the deputy intelligence chief was abducted"). A named unit wins over the
force it belongs to; the generic words beside a name are dropped later, when the incident is
assembled.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING

from nlp.actors import find_actors
from nlp.context import BREAK
from nlp.text import fold

if TYPE_CHECKING:
    from collections.abc import Callable

    from nlp.actors import Actor, ActorMention
    from nlp.findings import Finding
    from nlp.text import Token
    from nlp.triggers import Hit

# Generic perpetrators by how little they say, for when the text names no one: state bodies
# ("the authorities", "security forces") are also who reports and whom calls address.
_VAGUENESS = {"state_forces": 2, "armed_group": 1}
# An actor this close to a trigger, in the same clause, is taken for its perpetrator.
ACTOR_REACH = 10
# An actor named this soon after "by", "على يد", "accused" is a perpetrator wherever it stands;
# one named this soon after "said", "according to", "التابع" is a source.
AGENT_REACH = 5
SOURCE_REACH = 4
# "abducted in Benghazi on 3 May by gunmen": how far "by" may follow the act it completes.
PASSIVE_REACH = 8
# "gunmen who had reportedly abducted": how far the act may follow "who".
RELATIVE_REACH = 3
# What may stand between two actors read as one perpetrator: "X and Y", "militias loyal to X",
# "armed groups linked with Libya's Government of National Accord".
_CONNECTIVE = re.compile(
    r"\s*(?:,|and|or|&|و|أو|of|from|من|loyal to|affiliated (?:to|with)|linked (?:to|with)|backed by"
    r"|led by|controlled by|under|belonging to|(?:ال)?(?:تابع|تابعة|موالي|موالية|موالين)\s*ل?"
    r"|يقودها|بقيادة|(?:also\s+)?(?:called|named|known\s+as)|calling\s+itself|تدعى|يدعى|تسمى|يسمى"
    r"|(?:ال)?معروف(?:ة)?\s+(?:باسم|ب))?\s*(?:the\s+|libya['’]s\s+)?"
)
# An actor this soon after "called on", "طالبت" is asked to act, not the one who acted.
CALL_REACH = 3
# A quotation or a new clause between who reports and an actor: the actor is reported on.
_OPENS = re.compile(r"[\"“«:,،]")
_BACKED = re.compile(r"[-‐]\s*(?:backed|supported|sponsored)\b", re.IGNORECASE)
# "anti-government forces supported by NATO members", "بدعم من": who backs the agent.
_BACKER = re.compile(
    r"(?:\b(?:backed|supported|armed|funded)\s+by|with\s+the\s+(?:support|backing)\s+of"
    r"|بدعم\s+من|مدعوم\w*\s+من|بمساندة|بإسناد\s+من)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_AGENT_BEFORE = re.compile(
    r"(?:من\s+جانب|من\s+طرف(?:\s+(?:هذه|هذا|هؤلاء))?|بواسطة|تبناه|تبنته|تبنى|مصدره|مصدرها"
    r"|perpetrated\s+by|(?:run|manned|operated)\s+by(?:\s+the)?|in\s+the\s+hands\s+of)\s+$",
    re.IGNORECASE,
)
# "anti-Gaddafi forces", "القوات المناهضة للقذافي": the name says whom they fought.
_ANTI = re.compile(r"(?:\banti[-‐\s]|مناهض\w*\s+ل?|معارض\w*\s+ل)$", re.IGNORECASE)
# "مجموعة مسلحة، الثلاثاء، على اغتيال", "gunmen, on Monday, abducted": a short aside between
# commas does not cut the actor from its act.
_PARENTHETICAL = re.compile(r"[,،]\s*\S+(?:\s+\S+)?\s*[,،]")
# "armed groups linked with the Government of National Accord (GNA) used force", "درنة (شرق)":
# an acronym or a word in brackets glosses a name; it does not close the clause.
_GLOSS = re.compile(r"\(\s*[^\s()]+(?:\s+[^\s()]+)?\s*\)")
# An English passive just before the act: its subject is the patient.
_PASSIVE = re.compile(r"\b(?:was|were|is|are|been|being)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
# "were kidnapping, killing and torturing": a progressive, not a passive.
_PROGRESSIVE = re.compile(r"\w+ing\b", re.IGNORECASE)
# Between an actor and the act after it: the actor fights the act ("stepped up operations to
# combat trafficking").
_AGAINST = re.compile(
    r"\b(?:combat\w*|fight\w*\s+against|crack\w*\s+down\s+on|crackdown\s+on|to\s+counter)\b"
    r"|(?:ل|و)?(?:مكافحة|محاربة|التصدي\s+ل|لمواجهة)",
    re.IGNORECASE,
)
# "a 33-year-old soldier from al-Gaddafi's forces": whom a person belongs to, told of a victim
# more often than of a perpetrator when nothing ties it to the act.
_MEMBER = re.compile(
    r"\b(?:soldier|fighter|member|officer|commander|loyalist|supporter|recruit)s?\s+"
    r"(?:from|of|in|with)\s+(?:the\s+)?(?:al-)?$|(?:جندي|جنديا|عنصر|عنصرا|منتسب|ضابط)\s+(?:في|من|ب)\s*$",
    re.IGNORECASE,
)
# "the authorities released 200 migrants", "rescued by security forces": who freed the victims,
# a last resort only if nothing else is named (kidnappers release their hostages too).
_RELEASES = re.compile(
    r"\s*(?:\S+\s+)?(?:released|releases|freed|frees|rescued|set\s+free|(?:ب|و)?(?:إطلاق|أطلق\w*)\s+سراح"
    r"|(?:ب|و)?(?:الإفراج|أفرج\w*)\b)",
    re.IGNORECASE,
)
_RESCUER = re.compile(r"\b(?:rescued|freed|released|saved)\s+by\s+(?:the\s+)?$", re.IGNORECASE)
# Who frees the victims from their captors is not the captor: "forces rescued 40 migrants",
# "حررت السلطات 200 مهاجر", "أنقذت قوة ..." (releasing is not freeing: kidnappers release
# their hostages, "أطلق الخاطفون سراحه", and stay the perpetrators).
_FREES = re.compile(
    r"\s*(?:(?!(?:was|were|is|are|be|been|being)\s)[^\s.,;:،؛]+\s+){0,3}?"
    r"(?:rescued|rescues|liberated|liberates"
    r"|(?:ف|و)?(?:حرر|حررت|يحرر|تحرر|أنقذ|أنقذت|ينقذ|تنقذ))\b",
    re.IGNORECASE,
)
_FREED_BY = re.compile(r"(?:^|\s)(?:ف|و)?(?:حرر|حررت|يحرر|تحرر|أنقذ|أنقذت|ينقذ|تنقذ)\s+$")
# What parts "by" from the act it completes; not a comma, which sets off a name or a date
# ("the abduction of the MP, Hassan Jaballah, by a militia", "abducted on 27 February, by").
_BY_BREAK = re.compile(r"[;:()\[\]\"“”«»؛—–]|\s-\s")
# A number between an act and the actor after it: those counted are its victims.
_COUNTED = re.compile(
    r"\s*(?:\d+|[٠-٩]+|(?:ثلاث|أربع|خمس|ست|سبع|ثماني|تسع|عشر)ة?|اثن(?:ان|ين)|عشرات|عدد)"
    r"\s*(?:من\s+)?"
)
# A document and its author: who reports, not who acted.
_REPORT_BY = re.compile(
    r"\b(?:report|reports|statement|findings|investigation|letter)\s+(?:by|from|of)\s+"
    r"(?:the\s+)?$|(?:تقرير|بيان)\s+(?:صادر\s+عن|ل|من)\s*$",
    re.IGNORECASE,
)
# Words between a generic actor and a name that say the name is what it is called: "a militia
# called Brigade 106", "مجموعة مسلحة تدعى ...", "armed men known as the Kaniyat".
_NAMING = frozenset(
    fold(w)
    for w in (
        *("called", "named", "known as", "also known as", "dubbed", "calling itself"),
        *("calls itself", "تدعى", "يدعى", "تسمى", "يسمى", "المسماة", "المسمى"),
        *("المعروفة باسم", "المعروف باسم", "تعرف باسم", "يعرف باسم", "تطلق على نفسها"),
    )
)
# Each naming phrase's first word: a document without one gives no generic word a name.
_NAMING_WORDS = frozenset(w.split()[0] for w in _NAMING)
# Words before an actor that make it the target of the act: "strikes on IS positions".
_TARGET = frozenset(
    fold(w)
    for w in (
        *("on", "against", "targeting", "targeted", "positions", "على", "ضد", "مواقع"),
        *("معاقل", "استهدفت", "استهدف", "تستهدف", "لمواقع", "بمواقع", "ومواقع"),
    )
)


# A force's men or posts, between a target word and the force (Arabic's construct state):
# "استهدف مقاتلي تنظيم الدولة", the strike targeted the fighters of IS.
_MEN_OF = frozenset(
    fold(w) for w in ("مقاتلي", "عناصر", "مسلحي", "أفراد", "مقرات", "معسكرات", "تمركزات")
)


def bystanders(
    actors: list[ActorMention], acts: list[Hit], hits: list[Hit], text: str
) -> list[Actor]:
    """Actors of the sentence that no rule ties to its acts but that may have done them: the
    last resort of an incident whose sentences name no perpetrator in place."""
    return [
        a.actor
        for a in actors
        if not _not_agent(a, hits, text)
        and not _MEMBER.search(text[max(0, a.start - 32) : a.start])
        and not _RELEASES.match(text, a.end, a.end + 32)
        and not any(
            _patient(a, t, text) or _counted(a, t, text) or _opposes(a, t, text) for t in acts
        )
    ]


def incident_perpetrators(
    findings: list[Finding], document: Callable[[], DocumentActors] | None = None
) -> list[Actor]:
    """The perpetrators of an incident from its sentences' agents: the named ones; a generic
    one only when none is named, and then one alone, the most telling ("a suicide bomber"
    over "armed men" over "the authorities"), since a report's generic words for one
    perpetrator vary. With `document` (the document's actors, read only when asked for), an
    incident whose sentences name nobody falls back on the force the rest of the document names
    most often, if one stands out, or else on its most telling generic word: the headline or
    the sentence before names who did it ("Islamic State ... the organisation killed 22
    wounded"), the sentences of the act do not."""
    day = next((f.date.first for f in findings if f.date is not None), None)
    seen: dict[str, Actor] = {}
    for f in findings:
        # A unit and the force it belonged to on the day, named together ("the 106th Brigade
        # of Haftar's forces"), are one perpetrator: the unit.
        when = f.date.first if f.date is not None else day
        units = {p for a in f.actors for p in a.parents_on(when)}
        for a in f.actors:
            if a.id not in units:
                seen.setdefault(a.id, a)
    named = [a for a in seen.values() if not a.generic]
    if named:
        return named
    if seen:
        generic = min(seen.values(), key=lambda a: _VAGUENESS.get(a.category, 0))
        # "taken by a militia ... the men belonged to a militia called Brigade 106": the
        # document names the militia it speaks of, which is then the perpetrator.
        called = document().called.get(generic.id) if document is not None else None
        return [called or generic]
    # Nobody stands next to the act: the named actor its sentences name most often, if one
    # stands out ("Haftar's militias ... Haftar's forces ... the GNA").
    others = [a for f in findings for a in dict.fromkeys(f.other_actors)]
    named_in = Counter(a.id for a in others if not a.generic)
    ranked = named_in.most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return [next(a for a in others if a.id == ranked[0][0])]
    if named_in:
        return []
    # else the most telling generic word of its sentences ("an armed group attacked ...").
    if others:
        return [min(others, key=lambda a: _VAGUENESS.get(a.category, 0))]
    return _document_actor(document(), findings) if document is not None else []


def _document_actor(doc: DocumentActors, findings: list[Finding]) -> list[Actor]:
    """The named actor the document names most often outside the incident's own sentences (where the
    rules have judged each actor already: a target, a victim's force, a rescuer), if it stands
    out, more often than any other; when it names none, its most telling generic word."""
    # The document's counts less the incident's own sentences': a page of a thousand incidents
    # that each name nobody costs a lookup per sentence, not a pass over the page per incident.
    inside: list[tuple[int, int]] = []
    own: Counter[str] = Counter()
    for f in findings:
        lo, hi = bisect_left(doc.offsets, f.start), bisect_left(doc.offsets, f.end)
        inside.append((lo, hi))
        own.update(doc.ids[lo:hi])
    named = doc.named - own
    ranked = named.most_common(2)
    if ranked:
        if len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
            return []
        return [doc.actors[ranked[0][0]]]
    generic = doc.generic - own
    if not generic:
        return []
    # The most telling, and among equals the first named outside the incident.
    inside.sort()
    los = [lo for lo, _ in inside]

    def first_outside(actor_id: str) -> int:
        for i in doc.where[actor_id]:
            k = bisect_right(los, i) - 1
            if k < 0 or i >= inside[k][1]:
                return i
        return len(doc.ids)

    best = min(generic, key=lambda i: (_VAGUENESS.get(doc.actors[i].category, 0), first_outside(i)))
    return [doc.actors[best]]


class DocumentActors:
    """Where a document names actors, in text order, with counts of named and generic ones;
    each read from its tokens only when first asked for (most incidents ask only whether the
    document gives a generic word a name, which a scan for the naming words mostly answers)."""

    def __init__(self, toks: list[Token]) -> None:
        self._toks = toks

    @cached_property
    def found(self) -> list[ActorMention]:
        return sorted(find_actors(self._toks), key=lambda m: m.start)

    @cached_property
    def offsets(self) -> tuple[int, ...]:
        return tuple(m.start for m in self.found)

    @cached_property
    def ids(self) -> tuple[str, ...]:
        return tuple(m.actor.id for m in self.found)

    @cached_property
    def actors(self) -> dict[str, Actor]:
        """The first mention's actor of each id."""
        first: dict[str, Actor] = {}
        for m in self.found:
            first.setdefault(m.actor.id, m.actor)
        return first

    @cached_property
    def where(self) -> dict[str, list[int]]:
        """Indexes into `offsets` of each id's mentions."""
        found: dict[str, list[int]] = {}
        for i, m in enumerate(self.found):
            found.setdefault(m.actor.id, []).append(i)
        return found

    @cached_property
    def named(self) -> Counter[str]:
        return Counter(i for i in self.ids if not self.actors[i].generic)

    @cached_property
    def generic(self) -> Counter[str]:
        return Counter(i for i in self.ids if self.actors[i].generic)

    @cached_property
    def called(self) -> dict[str, Actor]:
        """The named actor a generic one is said to be called ("a militia called Brigade
        106"), by the generic one's id, when the document names one such for it and no other."""
        if not any(t.text in _NAMING_WORDS for t in self._toks):
            return {}
        return _called(self.found, self._toks)


def document_actors(toks: list[Token]) -> DocumentActors:
    """Where the document of tokens `toks` (`nlp.text.tokens`) names actors."""
    return DocumentActors(toks)


def _called(found: list[ActorMention], toks: list[Token]) -> dict[str, Actor]:
    """Each generic actor the document gives one name ("a militia called Brigade 106")."""
    names: dict[str, dict[str, Actor]] = {}
    for m, n in pairwise(found):
        if (
            m.actor.generic
            and not n.actor.generic
            and " ".join(t.text for t in toks[m.last + 1 : n.first]).removesuffix(" the") in _NAMING
        ):
            names.setdefault(m.actor.id, {})[n.actor.id] = n.actor
    return {g: next(iter(n.values())) for g, n in names.items() if len(n) == 1}


def _is_source(actor: ActorMention, hits: list[Hit]) -> bool:
    return reports(actor.first, hits)


def reports(first: int, hits: list[Hit]) -> bool:
    """Is the name at token `first` who reports ("according to the security forces", "قال
    الناشط", "أشار سجين") rather than inside what is reported ("said that gunmen", "أفادت بأن
    مسلحين", "أشارت إلى مقتل مدني": "إلى" opens what is pointed out)?"""
    for h in hits:
        if h.has("reporting") and 0 < first - h.last <= SOURCE_REACH:
            return not any(c.has("complementizer") and h.last < c.first < first for c in hits)
    return False


def perpetrators(
    actors: list[ActorMention], triggers: list[Hit], hits: list[Hit], text: str, language: str
) -> list[Actor]:
    """The actors the sentence makes perpetrators: the agent an agent word names ("by",
    "على يد", "من قبل"), else the actor nearest each act in its clause; never one introduced
    as the source of the report, the addressee of a call, or the target of the act.

    English puts the agent before the verb ("militias abducted"), so an actor after the act is
    its object ("abducted a member of the Radaa force") unless "by" introduces it; Arabic puts
    it on either side ("اختطف مسلحون", "مجموعة مسلحة خطفت"). The nearest actor brings those
    chained to it ("militias loyal to Haftar", "Haftar's forces and Wagner"), so a named unit
    beside a generic word is kept and the generic one dropped later.
    """
    agents = [h for h in hits if h.has("agent")]
    # "by" names the agent only right after the act: "shot by", not "a centre used by".
    agents += [
        h
        for h in hits
        if h.has("passive_agent")
        and any(
            0 < h.first - t.last <= PASSIVE_REACH and not _BY_BREAK.search(text, t.end, h.start)
            for t in triggers
        )
    ]
    boundaries = [h for h in hits if h.has("boundary")]
    # Those counted as an act's victims ("قتل ثلاثة حراس وأصيب اثنان") did none of its acts.
    eligible = [
        a
        for a in actors
        if not _not_agent(a, hits, text) and not any(_counted(a, t, text) for t in triggers)
    ]
    # Each agent word completes the act nearest to it: in "air strikes in reply to the
    # execution of Copts at the hands of IS", IS did the execution, not the strikes.
    by_trigger: dict[int, list[ActorMention]] = {}
    for g in agents:
        named = [a for a in eligible if 0 < a.first - g.last <= AGENT_REACH]
        if named:
            # No narrated act in the sentence ("responsible for the detention"): the agent
            # word alone names the perpetrator.
            nearest = min(range(len(triggers)), key=lambda i: _gap(triggers[i], g), default=-1)
            by_trigger.setdefault(nearest, []).append(min(named, key=lambda a: a.first))
    for a in eligible:
        # Agent words the lexicon lacks: "من جانب" (by), "بواسطة", "تبناه" (claimed by).
        if _AGENT_BEFORE.search(text[max(0, a.start - 24) : a.start]):
            nearest = min(range(len(triggers)), key=lambda i: _gap(triggers[i], a), default=-1)
            by_trigger.setdefault(nearest, []).append(a)
    found: list[ActorMention] = []
    for a in by_trigger.get(-1, []):
        found += _chained(a, eligible, text)
    for i, t in enumerate(triggers):
        if i in by_trigger:
            for a in by_trigger[i]:
                found += _chained(a, eligible, text)
            continue
        near = [
            a
            for a in eligible
            if abs(a.first - t.first) <= ACTOR_REACH
            and (language == "ar" or a.last < t.first)
            and not BREAK.search(
                _PARENTHETICAL.sub(
                    " ", _GLOSS.sub(" ", text[min(a.end, t.end) : max(a.start, t.start)])
                )
            )
            and not _opposes(a, t, text)
            and not any(
                min(a.last, t.last) < b.first
                and b.last < max(a.first, t.first)
                and not (language == "en" and _relative_subject(a, b, t, text))
                for b in boundaries
            )
            and not _patient(a, t, text)
        ]
        if near:
            found += _chained(min(near, key=lambda a: _gap(t, a)), eligible, text)
    # A unit and the force it belongs to are one perpetrator; which force the unit belonged
    # to depends on the incident's date, so the incident (`incident_perpetrators`) decides.
    return list(dict.fromkeys(m.actor for m in found))


def _gap(a: Hit | ActorMention, b: Hit | ActorMention) -> int:
    """Tokens between two spans (0 when they touch or overlap)."""
    return max(0, b.first - a.last, a.first - b.last)


def _chained(seed: ActorMention, actors: list[ActorMention], text: str) -> list[ActorMention]:
    """`seed` and the actors linked to it by a connective: "Haftar's forces and Wagner",
    "militias loyal to Haftar", "ميليشيات تابعة لحفتر"."""
    group = [seed]
    grown = True
    while grown:
        grown = False
        for a in actors:
            if a in group:
                continue
            if any(
                _CONNECTIVE.fullmatch(text[min(g.end, a.end) : max(g.start, a.start)].lower())
                for g in group
                if g.end <= a.start or a.end <= g.start
            ):
                group.append(a)
                grown = True
    return group


def _relative_subject(actor: ActorMention, pronoun: Hit, trigger: Hit, text: str) -> bool:
    """Does "who" open a clause whose subject is the actor, the act its verb ("criminals who
    were kidnapping migrants", "gunmen who abducted him")? English only: an Arabic relative
    verb reads as active or passive alike ("الذين اختطفوا": who abducted, who were abducted)."""
    return (
        pronoun.first == actor.last + 1
        and 0 < trigger.first - pronoun.last <= RELATIVE_REACH
        and text[pronoun.start : pronoun.end].lower() in ("who", "which")
    )


def _counted(actor: ActorMention, trigger: Hit, text: str) -> bool:
    """Is the actor counted right after the act, so among its victims ("قتل ثلاثة حراس")?"""
    return trigger.end <= actor.start and bool(_COUNTED.fullmatch(text, trigger.end, actor.start))


def _opposes(actor: ActorMention, trigger: Hit, text: str) -> bool:
    """Does the actor fight the act after it ("stepped up operations to combat trafficking")?"""
    return actor.last < trigger.first and bool(_AGAINST.search(text, actor.end, trigger.start))


def _patient(actor: ActorMention, trigger: Hit, text: str) -> bool:
    """Is the actor the subject of an English passive of the act, so the one who suffered it
    ("the deputy chief of the intelligence service was abducted")? Not of a progressive
    ("traffickers who were torturing migrants"), whose subject acts."""
    return (
        actor.end <= trigger.start
        and bool(_PASSIVE.search(text, actor.end, trigger.start))
        and not _PROGRESSIVE.match(text, trigger.start)
    )


def _not_agent(actor: ActorMention, hits: list[Hit], text: str) -> bool:
    """Who reports ("according to the police", "authorities say"), whom a call addresses
    ("urged the Libyan authorities to release"), or what is hit ("strikes on IS positions")."""
    if _is_source(actor, hits) and not any(
        h.has("reporting")
        and 0 < actor.first - h.last <= SOURCE_REACH
        and _OPENS.search(text, h.end, actor.start)
        for h in hits
    ):
        # ...unless a quotation or a new clause opens between: 'He said, "Libyan guards shot',
        # "according to local sources, an armed group attacked"
        return True
    if any(h.has("call") and 0 < actor.first - h.last <= CALL_REACH for h in hits):
        return True
    # "authorities say": a generic actor right before a reporting word is the source; a named
    # one may be reporting its own act ("Radaa said it arrested").
    if any(
        h.has("reporting")
        and 0 < h.first - actor.last <= 2
        and not text[actor.end : h.start].strip()  # not "armed men, according to ..."
        # ...and a named one only when it reports what the sentence told before it ('... were
        # freed after "a raid", the 444th Brigade said'), not its own act after ("said it"),
        # and not when the word ties it to its master ("جهاز الأمن الداخلي التابع لحفتر").
        and (
            actor.actor.generic
            or not (
                any(t.triggers and t.first > h.last for t in hits)
                or _CONNECTIVE.fullmatch(text[h.start : h.end])
            )
        )
        for h in hits
    ):
        return True
    if _REPORT_BY.search(text[max(0, actor.start - 40) : actor.start]):
        return True  # "a report by the judicial police, which said ..."
    if _ANTI.search(text[max(0, actor.start - 16) : actor.start]):
        return True
    if _BACKER.search(text[max(0, actor.start - 32) : actor.start]):
        return True
    if _RESCUER.search(text[max(0, actor.start - 24) : actor.start]):
        return True
    if _FREED_BY.search(text[max(0, actor.start - 12) : actor.start]) or _FREES.match(
        text, actor.end, actor.end + 48
    ):
        return True
    if _BACKED.match(text, actor.end):
        return True  # "a NATO-backed uprising killed ...": the uprising acted
    before = [
        fold(w.strip(".,;:()\"'«»")) for w in text[max(0, actor.start - 40) : actor.start].split()
    ]
    return bool(before) and (
        before[-1] in _TARGET
        or (len(before) > 1 and before[-1] in _MEN_OF and before[-2] in _TARGET)
    )
