"""What an outreach message *does*: the acts it performs and the context that licenses them.

The linter (:mod:`outreach.lint`) does not decide from a phrase list. It first
recognises **acts** — a pitch of the sender's product or service, an ask and its
size (a call, money, an introduction, a referral or endorsement, a job, a
favour), pressure, nagging, flattery, an apologetic opener, template markers,
skipping the double opt-in — and the **context** that can license them (the
recipient asked, an existing customer or supplier relationship, a shared past,
colleagues, a double opt-in, no ask at all). Each recogniser is a :class:`Cue`
with an id such as ``pitch.offer`` or ``ctx.asked``; :func:`detect` returns
every cue's spans in one pass over the text.

The decision is made from these cues together (:mod:`outreach.lint_model`):
"we sell X" in a reply to "please send me your prices" is fine, the same
sentence after "thanks for connecting" is a pitch. Cues are therefore written
to be *broad* (recall of the act) rather than precise: context and the trained
weights decide whether an act is a problem.

Offsets returned are offsets into the original text: the only normalisation is
folding typographic apostrophes one-for-one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

Span = tuple[int, int]


class Kind(StrEnum):
    """Whether a cue is something the sender does, or context around it."""

    ACT = "act"
    CONTEXT = "context"


@dataclass(frozen=True, slots=True)
class Cue:
    """One recogniser: an id, what kind it is, the lint rule it feeds, and its pattern.

    ``rule`` is the rule a finding is filed under when this cue drives a "bad"
    verdict (empty for context cues, which never produce findings).
    """

    id: str
    kind: Kind
    rule: str
    pattern: re.Pattern[str]
    opener_only: bool = False  # only counts in the first two sentences


def _rx(*alternatives: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), flags)


_DAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"mon|tue|tues|wed|thu|thur|thurs|fri)"
)
_MONEY = (
    r"(?:[$€£₦₹₱¥]|usd |eur |gbp |inr |ngn |r\$ ?|rm ?|sgd |aud |cad )"
    r"\s?\d[\d,.]*\s?(?:k|m|bn|million|billion)?"
)
_SELF = r"(?:we|i)(?:'re|'m| are| am)?"

PITCH = "pitch-in-first-message"
BIG_ASK = "big-ask-of-stranger"
MEETING = "purposeless-meeting"
PRESSURE = "pressure-deadline"
NAG = "nagging-follow-up"
FLATTERY = "inflated-flattery"
APOLOGY = "apologetic-opener"
TEMPLATE = "mass-template"
OPT_IN = "skips-double-opt-in"
BOAST = "connection-boast"
SWAP = "endorsement-swap"
ATTACHMENT = "unsolicited-attachment"
NO_REASON = "no-stated-reason"
PERSONAL = "personal-approach"


def _act(cue_id: str, rule: str, *alternatives: str, opener_only: bool = False) -> Cue:
    return Cue(cue_id, Kind.ACT, rule, _rx(*alternatives), opener_only)


def _ctx(cue_id: str, *alternatives: str) -> Cue:
    return Cue(cue_id, Kind.CONTEXT, "", _rx(*alternatives))


# ------------------------------------------------------------------------ acts

ACTS: tuple[Cue, ...] = (
    # -- the sender offers or promotes their own product or service
    _act(
        "pitch.offer",
        PITCH,
        rf"\b{_SELF} (?:\w+ )?(?:help|helping|provide|providing|offer|offering|sell|selling|"
        r"supply|supplying|manufacture|manufacturing|specialis\w+|specializ\w+|install|installing|"
        r"deliver|delivering)\b(?! you (?:to|with) (?:the|that|this|your question))",
        r"\bwe (?:are|'re) (?:a|an|the) (?:[\w-]+ ){0,4}(?:company|agency|firm|manufacturer|"
        r"exporter|supplier|provider|studio|consultancy|partner|business|team|platform|startup|"
        r"distributor|brand|practice)\b",
        r"\bi(?:'m| am) (?:a|an|now an?) (?:[\w-]+ ){0,3}(?:coach|consultant|agent|broker|realtor|"
        r"adviser|advisor|planner|recruiter|freelancer|designer|developer|cmo|marketer|"
        r"specialist|expert|partner)\b",
        r"\b(?:as|we're|we are) (?:a|an) (?:[\w-]+ ){0,2}partner\b",
        r"\bi(?:'m| am) (?:the )?(?:founder|ceo|co-founder|product lead|head of growth|"
        r"growth lead) (?:of|at)\b",
        r"\bi(?:'m| am) with \w+",
        r"\b(?:i|we) run (?:a|an|our) (?:[\w-]+ ){0,3}(?:programme|program|agency|business|"
        r"service|studio|consultancy|company|practice|course|community|network|scheme)\b",
        r"\b(?:my|our) (?:[\w'-]+ ){0,3}(?:platform|tool|software|app|product|solutions?|"
        r"services|service|system|programme|program|packages?|agency|consultancy|crm|suite|"
        r"engine|dashboard|offering|course|masterclass|fund|studio|plan|portfolio companies|"
        r"rates|prices|range|catalogue|products)\b",
        r"\bwe(?:'ve| have)? (?:just |recently )?(?:built|launched|created|developed|designed|"
        r"released|opened)\b",
        r"\bwe(?:'re| are) (?:building|launching|opening|offering|expanding|inviting|"
        r"hosting|compiling|looking for (?:distributors|partners|clients|a few))\b",
        r"\bwhat we(?:'ve)? (?:built|do|offer)\b",
        r"\b(?:clients|customers|people|parents|families|founders|merchants|teams|brands|"
        r"companies|owners|leaders) (?:i|we) (?:work with|talk to|serve|support|help)\b",
        r"\b(?:the )?(?:teams|companies|clients|people) using (?:our|my)\b",
        r"\bselling \w+ (?:software |services )?to\b",
        r"\blooking for (?:new )?(?:clients|customers|distributors|partners)\b",
        r"\b(?:present|introduce|introducing) (?:our|my)\b",
        r"\bintroduc\w* myself\b",
        r"\bi (?:manage|run|own|founded|started) [A-Z]\w+(?: \w+)?, (?:a|an|the)\b",
        r"\bwe (?:handle|propose|will bring|can (?:prepare|deliver|guarantee|bring|supply|"
        r"provide|offer|do|help|save|get))\b",
        r"\b(?:exactly |precisely )?(?:the |what )(?:\w+ )?(?:problem )?(?:we|our \w+) "
        r"(?:solve|solves|fix|fixes|built \w+ for|tackle|address)",
    ),
    _act(
        "pitch.claim",
        PITCH,
        r"\b(?:cut|cuts|cutting|reduce[sd]?|reducing|save[sd]?|saving|boost\w*|increase[sd]?|"
        r"increasing|double[sd]?|doubling|triple[sd]?|grow|grew|scale|slash\w*|lower\w*|"
        r"improv\w+|generated?|drive|raise)\b[^.?!]{0,50}?(?:\d+ ?%|\b\d+x\b|\bby (?:about |"
        r"around |up to |over )?(?:a third|half|\d[\d.,]*(?: ?%| ?percent|x)?))",
        r"\b\d+(?:\.\d+)?x\b(?! \d)",
        r"\b\d+ ?% (?:faster|cheaper|more|less|fewer|lower|higher|off)\b",
        r"\bused by (?:over |more than )?\d[\d,.]*\+?(?: \w+)?",
        r"\b(?:we've|we have|i've|i have) helped (?:over |more than )?(?:\d+|a few|several|"
        r"dozens|hundreds|three|many|two|four|five|clinics|companies|teams)",
        r"\b(?:proven|guarantee\w*|#1|number one|industry-leading|award-winning|best-in-class|"
        r"game-changing|revolutionary|cutting-edge|fastest-growing|world-class|"
        r"leading manufacturer|leading provider|best (?:quality|price|rates))\b",
        r"\b(?:at|with) (?:the )?(?:lowest|competitive|affordable|best|cheap\w*) "
        r"(?:cost|rates?|prices?)\b",
    ),
    _act(
        "pitch.demo",
        PITCH,
        r"\b(?:a|an|our|my|quick|short|free|live|personali[sz]ed|product|\d+[- ]min\w*|"
        r"\d+[- ]minute|custom|tailored) demos?\b",
        r"\bdemo (?:link|account|call|video|today|tomorrow|next|this|of (?:our|my|how)|slot)\b",
        r"\bdemos?\s*\?",
        r"\b(?:book|schedule|arrange|get|set up|do|give you) (?:a |an )?(?:\w+ )?demo\b",
        r"\b(?:a|our|short|quick|personal|live|\d+[- ]minute) walk ?through\b",
        r"\b(?:walk|take) you through\b",
        r"\bshow you (?:how|what|around|our|the|a|it)\b(?: (?:quick|short|\w+ing))?",
        r"\b(?:tell|share with) you (?:a bit |more )?about\b",
        r"\bhear (?:a bit )?(?:more )?about (?:it|what|how|our|my)\b",
        r"\blearn more\b",
        r"\bsee (?:it|the \w+|how it works) in action\b",
        r"\bwalk (?:you |them )?through (?:how|what|our|my)\b",
        r"\bshow (?:you )?how (?:\w+ ){0,2}(?:teams|companies|we|our|it|they|clients|brands)\b",
        r"\bpreview\b",
        r"\bsee (?:if|whether) (?:we|it|our \w+) (?:could|can|might) (?:help|fit|do)\b",
        r"\bto share (?:some of )?(?:our|my) (?:learnings|insights|ideas)\b",
    ),
    _act(
        "pitch.free",
        PITCH,
        r"\bfree[- ](?:of[- ]charge|trial|audit|valuation|consultation|session|month|access|"
        r"account|quote|quotation|sample|pass|beta|assessment|review|report|strategy|"
        r"discovery|first|for|\w+ (?:audit|assessment|session|trial|consultation))",
        r"\bcomplimentary\b",
        r"\bno[- ](?:obligation|strings|card needed|cost|charge)\b",
        r"\b(?:is|are|it's|session is) on us\b",
        r"\bat no cost\b",
        r"\bas a (?:small )?gift\b",
        r"\bfor free\b",
        r"\b(?:offer|give|host) you (?:a|an|as|our|three|two|\d)",
    ),
    _act(
        "pitch.collateral",
        PITCH,
        r"\b(?:our|my|the|a) (?:\w+ )?(?:brochure|pitch deck|deck|one-pager|price ?list|"
        r"catalogue|catalog|case stud(?:y|ies)|info pack|partner pack|rate card|media kit|"
        r"press release|white paper|ebook|e-book|comparison|flyer|packages?|company profile|"
        r"partner information)\b",
        r"(?<!your )(?<!their )(?<!board )\b(?:brochure|deck|one-pager|price ?list|catalogue|"
        r"media kit|rate card)s?\b",
    ),
    _act(
        "pitch.price",
        PITCH,
        _MONEY,
        r"\b\d[\d,.]*\s?(?:k|m)?\s?(?:dollars|euros|pounds|naira|rupees|usd|eur|gbp|inr)\b",
        r"\b\d+ ?% off\b",
        r"\b(?:discount\w*|early[- ]bird|fees?|honorarium|per hour|/hr|/month|a month|"
        r"processing charge|rates?|pricing|prices?|quote|quotation)\b",
    ),
    _act(
        "pitch.commission",
        PITCH,
        r"\bcommission\b",
        r"\breferral (?:fee|bonus|credit|reward|scheme|programme|program)\b",
        r"\bfinder'?s fee\b",
        r"\b(?:partner|affiliate|ambassador|referral) (?:programme|program|scheme|network)\b",
        r"\b(?:receive|earn|get|pays?) (?:a |an )?\d+ ?%",
        r"\bcredit towards\b",
    ),
    _act(
        "pitch.mlm",
        PITCH,
        r"\b(?:on the side|side (?:hustle|income|business|gig|project))\b",
        r"\b(?:extra|second|passive|additional|residual) income\b",
        r"\b(?:earn|earning|income|work|working|business) (?:\w+ )?(?:from|at) home\b",
        r"\bfinancial (?:freedom|independence)\b",
        r"\bfreedom and flexibility\b",
        r"\b(?:your|my) own boss\b",
        r"\bbuild(?:ing)? (?:a|my|our) (?:small )?team\b",
        r"\buncapped\b",
        r"\bfranchise\b",
        r"\bbusiness (?:opportunity|proposal|owner)\b",
        r"\blife-changing\b",
        r"\btransform your\b",
        r"\b(?:you'd|you would) be (?:so |really )?(?:good|amazing|great|brilliant) at it\b",
        r"\bsomething (?:on the side|i'm passionate about|that's|that has)\b",
        r"\bhigh performers\b",
        r"\bcrypto\b",
        r"\b(?:guaranteed|annual|monthly|crazy|high|strong) returns?\b",
        r"\breturns? (?:of|have been) \d",
        r"\bearning potential\b",
        r"\bunlimited (?:earning|income|potential)\b",
        r"\bmotivated people\b",
        r"\bwork alongside me\b",
        r"\bshow you the business\b",
        r"\bi now earn\b",
        r"\bgrowing fast\b",
        r"\bget in early\b",
        r"\b(?:allocation|spv|presale|token|whitelist)\b",
        r"\bhave an idea\b",
        r"\bcan'?t (?:really )?(?:explain|put) it\b",
    ),
    _act(
        "pitch.recruit",
        PITCH,
        r"\b(?:a |my |our )?(?:confidential|exciting|leading|global|well-funded|fast-growing) "
        r"(?:[\w-]+ ){0,3}(?:client|role|opportunity|opening|position)\b",
        r"\bon behalf of (?:a|my|our) (?:[\w-]+ )?client\b",
        r"\b(?:a |my |our )client (?:who|is|in)\b",
        r"\b(?:strong|great|perfect|good|ideal|excellent|nice) fit\b",
        r"\baligns? (?:really )?(?:nicely|well) with\b",
        r"\bdriven people\b",
        r"\b(?:talent partner|headhunt\w*|staffing)\b",
    ),
    _act(
        "pitch.invite",
        PITCH,
        r"\b(?:invite|inviting) you\b",
        r"\bexclusive\b",
        r"\bvip\b",
        r"\breserve (?:a|your|one|the) (?:seat|spot|place|page|slot)\b",
        r"\breserve (?:one|a seat|a spot) for you\b",
        r"\bspeaking (?:slot|opportunity)\b",
        r"\bfeature you\b",
        r"\b(?:masterclass|roundtable|webinar|challenge|bootcamp|workshop) "
        r"(?:on|for|starting)\b",
        r"\bwould be delighted to (?:include|offer|feature|host)\b",
        r"\bour (?:listeners|readers|subscribers|members|audience)\b",
        r"\bpodcast\b",
        r"\bshortlisted you\b",
        r"\bhand-?picking\b",
        r"\bselecting (?:a )?(?:small )?(?:number|few|handful)\b",
        r"\bdesign partners?\b",
        r"\binviting (?:a )?(?:handful|few|small number|select)\b",
    ),
    _act(
        "pitch.cta",
        PITCH,
        r"\binterested\s*\?",
        r"\b(?:if|should) (?:it|this|that) (?:sounds?|seems?) (?:interesting|useful|good|"
        r"relevant|of interest)\b",
        r"\bif (?:you(?:'re| are)|you'd be) (?:interested|keen|open)\b",
        r"\b(?:want|would you like) (?:me to )?(?:send|share)?\s?(?:you )?(?:the|a|my|our) "
        r"(?:link|details|info|outline|pack|brochure|deck|comparison)\b",
        r"\bwant the link\b",
        r"\bcan i (?:send|share|tell|show|get|set|grab)\b",
        r"\bshall i (?:send|book|reserve|arrange|pencil|set|register|put)\b",
        r"\bwould you like (?:me )?to (?:see|try|hear|learn|book|reserve|join|send|set)\b",
        r"\b(?:are you |would you be )?open to (?:hearing|learning|a (?:quick |short |brief )?"
        r"(?:call|chat|demo|intro|conversation)|connecting|trying|exploring)\b",
        r"\breply (?:\"?yes\"?|now|with)\b",
        r"\bbook (?:a|your|in|you in)\b",
        r"\b(?:sign up|register|subscribe|download|check out|click|order now|buy now)\b",
        r"\blink (?:in|on) my (?:profile|bio)\b",
        r"\b(?:want|like) me to set you up\b",
        r"\bset you up\b",
        r"\bget you (?:on|started|set up)\b",
        r"\bworth a (?:quick )?(?:chat|call|look|coffee)\b",
        r"\bconnect (?:for|to know) more\b",
        r"\bfor more (?:details|info)\b",
        r"\bmessage me for\b",
        r"\btake a look at (?:yours|your \w+)\b",
        r"\bhappy to (?:send|share) (?:it|them|the|our|a|details)",
    ),
    _act(
        "pitch.probe",
        PITCH,
        r"\b(?:are|were) you happy with (?:your|the) (?:current|existing)\b",
        r"\bwho (?:at (?:your |the )?[\w&'-]+(?: [\w&'-]+)? )?(?:handles|makes|is responsible|"
        r"is in charge|runs|looks after|decides|manages|owns|buys|signs off)\b",
        r"\b(?:purchasing|buying|procurement) decisions?\b",
        r"\b(?:the )?right person\b",
        r"\bwhat(?:'s| is) your (?:budget|timeline|biggest (?:challenge|problem))\b",
        r"\bdo you (?:ever )?(?:feel|struggle|find)\b",
        r"\bhave you (?:ever )?(?:thought|considered) (?:about|of)?\b",
        r"\b(?:ever )?consider switching\b",
        r"\bhow are you (?:currently|handling|tracking|managing)\b",
        r"\bdoes your \w+ still use\b",
        r"\bcurious (?:how|what|whether|if)\b",
        r"\bi might have something\b",
        r"\bsomething useful\b",
        r"\bpoint something\b",
        r"\bcould (?:really )?(?:help|benefit|save|free up|transform|fit)\b",
        r"\bperfect (?:for|timing)\b",
        r"\bhelp you (?:\w+ )?(?:grow|find|scale|save|get|win|reach|achieve|streamline|"
        r"increase|fix|turn|unlock)\b",
        r"\bhelp your (?:business|team|company|clinic|firm|practice)\b",
        r"\bcan do the same for you\b",
        r"\bturn that momentum\b",
        r"\blosing (?:money|customers|patients|bookings)\b",
        r"\bleaving money on the table\b",
    ),
    # -- the ask and its size
    _act(
        "ask.call",
        MEETING,
        r"\b(?:\d+|fifteen|twenty|thirty|forty-five|sixty|ten|five|a few)[- ]?(?:min|mins|minutes?)"
        r"\b",
        r"\b(?:quick|short|brief|intro|introductory|discovery|clarity|video|phone|zoom|teams|"
        r"virtual|1-hour|one-hour|\d+-hour|half-hour) (?:call|chat|session|meeting|coffee|zoom)\b",
        r"\b(?:jump|hop|get) on (?:a |the )?(?:quick |short )?(?:call|zoom|phone)\b",
        r"\b(?:grab|have|get) (?:a )?(?:virtual )?(?:coffee|drink|lunch|30)\b",
        r"\bvirtual coffee\b",
        r"\b(?:set up|schedule|arrange|book|find time for) (?:a |an )?(?:quick |short |brief )?"
        r"(?:call|zoom|meeting|chat)\b",
        r"\bwhen can we (?:talk|speak|meet|chat|do)\b",
        r"\bwhen (?:are|r) (?:you|u) free\b",
        r"\b(?:what|which) (?:day|time|date)s? (?:works?|suits?)\b",
        r"\b(?:your|share your|let me know your) availability\b",
        rf"\b{_DAY} or {_DAY}\b",
        r"\b(?:how|what) (?:is|does|'s|are) (?:the |your )?(?:next week|calendar|diary|schedule|"
        r"week)\b",
        r"\bdoes (?:\w+ )?(?:at )?\d+(?:[:.]\d+)? ?(?:am|pm)? (?:\w+ )?work\b",
        r"\bfind (?:a |some )?time\b",
        r"\bpick your brain\b",
        r"\b(?:chat|talk|call|meet|speak|connect) "
        r"(?:sometime|soon|by phone|over (?:zoom|the phone))\b",
        r"\b(?:free|available) (?:this|next) week\b",
        r"\bon your calendar\b",
        r"\bcalendly\b",
        r"\bmeet (?:up|you|this week|one morning)\b",
        r"\bjoin(?:ed)? you one\b",
    ),
    _act(
        "ask.money",
        BIG_ASK,
        r"\binvest\w*\b",
        r"\b(?:pre-)?seed\b",
        r"\bseries [a-c]\b",
        r"\b(?:funding )?round\b",
        r"\bangels?\b",
        r"\b(?:a|the) (?:check|cheque|ticket)\b",
        r"\bminimum\b",
        r"\bsponsor\w*\b",
        r"\bdonat\w+\b",
        r"\bput (?:a bit|some money|money|something) into\b",
        r"\braising\b",
        r"\b(?:need|needs|needed) (?:only )?" + _MONEY,
        r"\bput you down for\b",
        r"\b(?:come|get) in (?:on|with|for) (?:[$€£]|\d)",
        r"\bgive something\b",
    ),
    _act(
        "ask.intro",
        BIG_ASK,
        r"\bintroduc\w* (?:me|us)\b",
        r"\b(?:a|an|the|your) (?:warm )?intro(?:duction)?\b",
        r"\bput (?:me|us) in touch\b",
        r"\bconnect(?:ing)? (?:me|us)\b",
        r"\bpass (?:my|it|this|our|him|her|them|the \w+) (?:\w+ )?(?:along|on|to)\b",
        r"\bforward (?:it|this|my|our|the \w+) (?:\w+ )?to\b",
        r"\bforward(?:ing)? it\b",
        r"\bmention (?:your|my) name\b",
        r"\bpoint (?:me|us) (?:to|towards|in)\b",
        r"\bwho your (?:contact|\w+ lead)\b",
        r"\b(?:your|their) (?:ceo|cto|cfo|coo|boss|head of \w+|manager|director|founder|"
        r"investors?|network|contacts|vp|creative director|hiring manager|hr (?:manager|director)|"
        r"recruiter|partners)\b",
        r"\b(?:\d+|a few|two or three|5–10|several) of (?:your|the) (?:contacts|partners|"
        r"investors|friends)\b",
        r"\btag\w* (?:\d+ |10 )?(?:or so )?(?:people|friends|contacts)\b",
        r"\bshare (?:it |this )?with (?:your|everyone)\b",
        r"\bmake (?:that|the intro|it) happen\b",
    ),
    _act(
        "ask.endorse",
        BIG_ASK,
        r"\brefer(?:ral)? me\b",
        r"\brefer (?:me|us|a|any)\b",
        r"\breferral\b",
        r"\b(?:linkedin )?recommendation\b",
        r"\breferees?\b",
        r"\breference\b",
        r"\bgood word\b",
        r"\bvouch\b",
        r"\bendors\w+\b",
        r"\b(?:5|five)-star\b",
        r"\breview (?:on|for) (?:the |our )?\w+",
        r"\bvot(?:e|ing)\b",
        r"\b(?:like|follow) (?:my|our) (?:page|company page|post)\b",
        r"\bshare (?:my|our) (?:post|page|link)\b",
        r"\b(?:like|follow) and share\b",
        r"\baccept my (?:request|connection)\b",
    ),
    _act(
        "ask.job",
        BIG_ASK,
        r"\b(?:any|a) (?:job|role|position|opportunity|opening)\b",
        r"\b(?:give|get|find) me (?:a |any )?(?:job|work|interviews?)\b",
        r"\blooking for (?:a |any )?(?:job|work|opportunit\w+)\b",
        r"\bare you hiring\b",
        r"\bhiring\?",
        r"\bsponsor my visa\b",
        r"\b(?:my|the attached) (?:cv|resume|résumé|portfolio|application)\b",
        r"\b(?:cv|resume|portfolio) (?:attached|to your|to hr)\b",
        r"\bpass my (?:cv|portfolio|resume)\b",
        r"\bunpaid\b",
        r"\bwork for you\b",
        r"\bany suitable position\b",
        r"\bavailable to start\b",
        r"\bi(?:'ll| will) do anything\b",
    ),
    _act(
        "ask.favour",
        BIG_ASK,
        r"\b(?:could|can|would|will) (?:you|u) (?:please |kindly |possibly )?(?:review|look at|"
        r"read|check|translate|complete|fill|send|help|write|take a look|sign|share|do|give|"
        r"make|submit|put|cover|leave|find|join|mentor|advise|endorse|recommend|forward|pass|"
        r"introduce|refer|vote|consider|let me know who|tell me who)\b",
        r"\b(?:would|do) you mind\b",
        r"\bwould you be (?:willing|able|kind enough|comfortable)\b",
        r"\b(?:huge|big|massive|small|quick) favou?r\b",
        r"\bhuge help\b",
        r"\bany (?:help|feedback|advice)(?: at all)?\b",
        r"\bfeedback\b",
        r"\bcode review\b",
        r"\bsurvey\b",
        r"\b(?:be|become) my (?:mentor|guide|advis[oe]r)\b",
        r"\bmentor(?:ship)?\b",
        r"\badvis(?:ory board|ors)\b",
        r"\bplease (?:help|give|send|do|accept|review|share|like)\b",
        r"\bkindly (?:refer|share|accept|check|send|give|help|reply|revert|connect)\b",
        r"\bdo the needful\b",
        r"\b(?:help|bless) me\b",
        r"\bhelp me (?:out|get|find|with)\b",
    ),
    # -- pressure, nagging, guilt
    _act(
        "pressure.deadline",
        PRESSURE,
        r"\b(?:let me know|reply|respond|confirm|decide|answer|sign(?: up)?|register|book|"
        r"get back to me|tell me|hear (?:back )?from you|need (?:it|your \w+|an answer|a "
        r"reply|a yes|to know)|send (?:it|them|me)|i'd need|in or not)\b[^.?!]{0,40}?\b(?:by|"
        r"before|until|till) (?:the )?(?:tomorrow|tonight|today|end of (?:the )?(?:day|week|"
        r"month)|eod|eow|midnight|this week|next week|noon|" + _DAY + r")\b",
        r"\bat (?:the|your) earliest\b",
        r"\ba\.?s\.?a\.?p\b",
        r"\burgent(?:ly)?\b",
        r"\b(?:reply|respond|call|act|sign|decide|confirm|revert|answer|begin|start|meeting)\w* "
        r"(?:(?:me|us|with \w+(?: \w+)?) )?immediately\b",
        r"\bimmediately\s*[.!]",
        r"\bright away\b",
        r"\b(?:today|this week|this month) only\b",
        r"\bonly (?:this|until)\b",
        r"\bexpires?\b",
        r"\b(?:last|final) (?:chance|notice|call)\b",
        r"\bonly \d+ (?:spots?|seats?|places?|slots?)\b",
        r"\b(?:spots?|seats?|places?|slots?) (?:are )?(?:going|filling|limited|left|remain)\w*\b",
        r"\b(?:\d+|two|three|few) (?:spots?|seats?) (?:left|remain)",
        r"\bfilling (?:up )?(?:quickly|fast)\b",
        r"\blimited[- ](?:time|seats|spots|places)\b",
        r"\bseats are limited\b",
        r"\bdon'?t miss\b",
        r"\bleft behind\b",
        r"\bor lose\b",
        r"\b(?:price|prices) (?:goes|go|going) up\b",
        r"\bwithin \d+ (?:days|hours)\b",
        r"\bin \d+ hours\b",
        r"\bevery day you (?:delay|wait|don't)\b",
        r"\bfew more days\b",
        r"\bonly open for\b",
        r"\bnow\b(?=[!.])",
        r"\bnow or never\b",
        r"\bbefore (?:it's|its) (?:too late|gone)\b",
        r"\bspots? going fast\b",
        r"\b(?:chance|offer) will not come again\b",
        r"\bbefore (?:prices?|it) (?:increase|rise|go)\w*\b",
    ),
    _act(
        "pressure.date",
        PRESSURE,
        r"\b(?:by|before|until|till) (?:the )?(?:tomorrow|tonight|today|end of (?:the )?"
        r"(?:day|week|month)|eod|eow|midnight|this week|next week|noon|" + _DAY + r")\b",
    ),
    _act(
        "pressure.demand",
        PRESSURE,
        r"\bi (?:really )?need (?:an answer|to know|you to|your|a reply|a response|a yes|"
        r"a decision)\b",
        r"\bneed (?:your )?(?:confirmation|decision|answer)\b",
        r"\b(?:please|pls|kindly) (?:respond|revert|reply)\b",
        r"\b(?:respond|revert|reply) (?:now|asap|me|immediately|today|soon)\b",
        r"\bpls (?:revert|reply|confirm|respond)\b",
        r"\bplease (?:confirm|respond) (?:today|now|asap|by)\b",
        r"\bmake sure you(?:'re| are) (?:available|free|there)\b",
        r"\bi demand\b",
        r"\bare you in or not\b",
        r"\bi(?:'ll| will) (?:call|ring|phone|try calling) (?:you|your)\b",
        r"\bi(?:'ll| will) (?:just )?assume\b",
        r"\botherwise i(?:'ll| will)\b",
        r"\bi(?:'ll| will) keep (?:following|messaging|emailing|trying)\b",
        r"\bwhy (?:haven't|have you not|didn't) you\b",
        r"\byou(?:'ve| have) read my message\b",
        r"\bhello\?+",
        r"\bmy (?:last|only) hope\b",
        r"\bwaiting for your (?:positive )?(?:reply|answer|response)\b",
        r"\bi(?:'ll| will) be waiting\b",
        r"\b(?:it would|it'll|it will|would|will|should) (?:only |just |literally )?take "
        r"(?:you )?(?:just |only )?(?:a |two |2 |five |5 |one |a few |an )?(?:minutes?|mins?|"
        r"seconds?|moment|hour)\b",
        r"\btakes (?:just |only )?(?:\d+|a few|one|two|thirty) (?:sec\w*|mins?|minutes?)\b",
        r"\bonly (?:need|needs|takes?) (?:\d+|a few|five|two) (?:mins?|minutes?)\b",
        r"\bi(?:'ve| have) put you down\b",
        r"\bother \w+ have already\b",
        r"\byour competitors\b",
        r"\bothers? (?:have|has) already signed\b",
        r"\bmandatory\b",
        r"\b(?:call|reply|respond|ring) (?:me )?(?:immediately|now|asap)\b",
        r"\bpick up\b",
        r"\bcalling you again\b",
        r"\bi(?:'ll| will) (?:reach out to|contact|go to|email) your (?:ceo|boss|manager)\b",
        r"\bneed it (?:this week|today|by)\b",
    ),
    _act(
        "nag.chase",
        NAG,
        r"\bdid you (?:get a chance to |ever )?(?:see|get|read|receive)\b",
        r"\b(?:perhaps|maybe|in case) you (?:did not|didn't|haven't|missed|never)\b",
        r"\bmy (?:last|previous|earlier|other) (?:\w+ )?(?:\d+ |two |three |four |five |few )?"
        r"(?:messages?|emails?|notes?|msgs?|inmails?)\b",
        r"\b(?:previous|last) (?:\d+|two|three|four|five|few) (?:messages|emails|notes)\b",
        r"\bhaven'?t (?:yet )?heard back\b",
        r"\bhaven'?t (?:yet )?(?:responded|replied|accepted)\b",
        r"\bstill (?:waiting|haven't|have not)\b",
        r"\bbump(?:ing)?\b",
        r"\bto the top of your inbox\b",
        r"\bfollow(?:ing)? up on my (?:follow-up|previous|last|earlier)\b",
        r"\b(?:following|circling|checking) (?:up |back |in )?(?:again|once more|one more time)\b",
        r"\bcircling back\b",
        r"\b(?:reached out|messaged you|written|emailed you|tried you) (?:a few|several|multiple|"
        r"many|\d+|two|three|four) times\b",
        r"\b(?:this is my|my) (?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) "
        r"(?:message|email|note|attempt|try)\b",
        r"\bsent you (?:a|an) [\w -]+, (?:a|an) ",
        r"\b(?:from|since) yesterday\. and\b",
        r"\bas (?:per|mentioned in) my (?:previous|last|earlier)\b",
        r"\bi(?:'ve| have) (?:sent|messaged|emailed) you (?:\d+|two|three|several)\b",
        r"\b(?:slip|slipped) through the cracks\b",
        r"\bunanswered\b",
        r"\bviewed my profile\b.{0,80}\b(?:but|and) (?:didn't|never)\b",
        r"\bone more shot\b",
        r"\bi see you(?:'ve| have) read\b",
        r"\bread my (?:last|previous|message)\b",
        r"\bdid you get my\b",
        r"\bsorry to bother you again\b",
        r"\byou said\b[^.]{0,60}\bwasn't a fit\b",
    ),
    _act(
        "nag.guilt",
        NAG,
        r"\bi'?d hate to tell\b",
        r"\bthe least you could do\b",
        r"\bi thought we had\b",
        r"\bdisappointed\b",
        r"\bafter (?:everything|all) i(?:'ve| have)? (?:did|done) for you\b",
        r"\byou owe me\b",
        r"\bremember (?:when )?i helped\b",
        r"\btoo busy for (?:old )?(?:friends|me|us|people like me)\b",
        r"\bi(?:'m| am) guessing\b",
        r"\bthe courteous thing\b",
        r"\bsince i (?:shared|liked|endorsed|helped|did)\b",
        r"\bi'?ve (?:now )?spent (?:over )?\w+ hours\b",
        r"\bi(?:'ve| have) been patient\b",
    ),
    # -- sincerity and tone
    _act(
        "flattery",
        FLATTERY,
        r"\b(?:truly |such |a real |a true |an absolute |the greatest )?(?:an?|and) "
        r"(?:great |real |true |absolute )?(?:honou?r|privilege) (?:of my \w+ )?(?:to|of) (?:be )?"
        r"(?:connect|meet|know|be in|join|be part)\w*",
        r"\b(?:truly|such) (?:an?|and) (?:honou?r|privilege)\b",
        r"\b(?:honou?red|privileged|humbled) to (?:be )?(?:connect|meet|be in|join|learn)\w*",
        r"\bdeeply value (?:my|our) (?:\w+ )?network\b",
        r"\b(?:blown away|amazed|in awe) by your\b",
        r"\b(?:incredible|amazing|inspiring|stellar|outstanding|phenomenal|extraordinary|awesome|"
        r"impressive|great|lovely|brilliant) (?:profile|journey|career|achievements?|"
        r"accomplishments?|background)\b",
        r"\byour profile (?:is|was) (?:so |most |really |truly )?(?:impressive|amazing|great|"
        r"incredible|a masterclass)\b",
        r"\bone of the (?:very )?(?:few|most|best|brightest|smartest|greatest)\b",
        r"\bvisionar(?:y|ies)\b",
        r"\b(?:living )?legend(?:ary)?\b",
        r"\b(?:titan|guru|rockstar|genius|icon|giant) (?:like you|of)\b",
        r"\btrue (?:giant|titan|legend|genius|icon)\b",
        r"\bbrilliance\b",
        r"\bunmatched\b",
        r"\bbrightest star\b",
        r"\bsmartest person\b",
        r"\b(?:biggest|huge|big) fan\b",
        r"\binspir\w+ (?:to )?(?:millions|everyone|us all|the entire)\b",
        r"\binspires millions\b",
        r"\bdeepest admiration\b",
        r"\bthe very best\b",
        r"\bsingle-handedly\b",
        r"\b(?:so|very|most|really) impressive\b",
        r"\bof your calibre\b",
        r"\besteemed\b",
        r"\bhumble (?:request|connection)\b",
        r"\byou look (?:lovely|very|so|beautiful|kind)\b",
        r"\bprofile pic\b",
        r"\blovely profile\b",
        r"\bpeople skills like yours\b",
        r"\bso respected\b",
        r"\bgreat things together\b",
        r"\bmy idol\b",
        r"\bpure gold\b",
        r"\brockstar\b",
        r"\bmost important mind\b",
    ),
    _act(
        "apology",
        APOLOGY,
        r"\b(?:i'm |i am )?(?:so |very |really |terribly )?sorry (?:to|for) (?:bother|disturb|"
        r"trouble|intrud|interrupt|bug|impos|writ|reach|this|the (?:intrusion|cold|random)|"
        r"contact)\w*",
        r"\bsorry (?:for|about) (?:the |this )?(?:intrusion|interruption|(?:cold|random|"
        r"unsolicited) (?:message|note|email))",
        r"\bapolog\w* (?:for (?:the |this |my |any )?[\w-]+|in advance|again|if)\b",
        r"\b(?:forgive|pardon|excuse) (?:me|the|this|my)\b",
        r"\bi (?:hate|don't want|do not want|don't mean) to "
        r"(?:bother|disturb|trouble|impose|be a)\b",
        r"\bsorry po\b",
    ),
    _act(
        "apology.grovel",
        APOLOGY,
        r"\bi know (?:that )?(?:you(?:'re| are| must be| get)|i'm (?:just|probably)|this is)\b",
        r"\bwasting your time\b",
        r"\bfeel terrible\b",
        r"\bsorry (?:again|if)\b",
        r"\bhope you don'?t mind\b",
        r"\bsomeone like me\b",
        r"\bi hate to\b",
        r"\bso sorry\b",
    ),
    _act(
        "template.placeholder",
        TEMPLATE,
        r"\{\{?\s*[a-z_][\w ]*\s*\}?\}",
        r"\[(?:first[ _]?name|last[ _]?name|full[ _]?name|name|company(?:[ _]name)?|title|"
        r"job[ _]title|role|industry|city|location|your name|recipient|position|school|field)\]",
        r"<(?:first[_ ]?name|last[_ ]?name|name|company|title|industry|role|position)>",
        r"%[A-Z_]{3,}%",
        r"\b(?:FIRSTNAME|FIRST_NAME|COMPANY_NAME|LASTNAME)\b",
    ),
    _act(
        "template.salutation",
        TEMPLATE,
        r"^\W*(?:dear (?:sir|madam|sir/madam|sir or madam|sirs|esteemed|valued|candidate|"
        r"respondent|editor|website owner|friend|connection|member|professional|colleague|"
        r"hiring manager|customer|partner|medical director|director|team|all|investor|"
        r"business owner|owner)\b|to whom it may "
        r"concern|to whoever|respected (?:sir|ma'?am|madam)|greetings of the day|hello dear|"
        r"hi dear|hello sir|hi sir|sir\b)",
        r"\bdear (?:sir|madam|esteemed|valued|candidate|respondent)\b",
        r"\bgreetings of the day\b",
        r"\bwebsite owner\b",
        r"^\W*(?:hi|hello|hey|greetings|good (?:morning|afternoon|day|evening))(?: there)?\W*\n",
        r"^\W*(?:hi|hello|hey)(?: there)?\s*[,!.]\s*(?:i|we|i'm|we're|connect|it|this)\b",
        r"^\W*(?:hi|hello|hey) there\b(?!\s+(?-i:[A-Z]))",
    ),
    _act(
        "template.group",
        TEMPLATE,
        r"^\W*(?:hi|hello|hey|dear) (?:all|everyone|everybody|folks|team)\b",
    ),
    _act(
        "template.mass",
        TEMPLATE,
        r"\b(?:reaching out to|connecting with|messaging|writing to) (?:\d+|all|every|a (?:few|"
        r"handful of)|several|many|lots of)\b",
        r"\b(?:being sent|sending this) to (?:all|every|\d+)\b",
        r"\bbcc\w*\b",
        r"\beveryone you know\b",
        r"\b(?:your|this) (?:esteemed|reputed|prestigious) (?:company|organi[sz]ation|firm|"
        r"publication|institution)\b",
        r"\bkindly revert\b",
        r"\bat your earliest(?: convenience)?\b",
        r"\bfor your perusal\b",
        r"\bawaiting your valuable\b",
        r"\byour valuable (?:enquiry|order|time|feedback)\b",
        r"\bwe assure you\b",
        r"\bthanks? (?:&|and) regards\b",
        r"\bsales (?:department|team)\b",
        r"\bthe \w+ team\s*$",
        r"\bteam \w+\s*$",
        r"\bpr team\b",
        r"\bmarketing dept\b",
        r"\bhad a glitch\b",
        r"\breceived this twice\b",
        r"\bmy (?:networking )?goal\b",
        r"\bconnecting with all\b",
        r"\byour (?:website|business|company) is not\b",
        r"\bcompanies like (?:yours|\{)",
        r"\b(?:people|professionals|leaders|winners) like (?:you|yourself)\b",
        r"\bsomeone (?:in your position|like yourself)\b",
        r"\ba few (?:amazing|select|selected|hand-picked) (?:people|leaders|professionals)\b",
        r"\bselected (?:leaders|professionals|few)\b",
        r"\bhand-picked\b",
        r"\bdm'?ing everyone\b",
        r"\b(?:working through|on) the same list\b",
        r"\ball the (?:founders|members|people|owners)\b",
    ),
    _act(
        "opt_in.skip",
        OPT_IN,
        r"\bcc'?(?:ing|'d|d)?\b",
        r"\b(?:i've|i have) (?:copied|added|cc'd|looped)\b",
        r"\bcopied (?:her|him|them|you) (?:in|here)\b",
        r"\bpassed (?:your|his|her|their) (?:number|email|details|contact)\b",
        r"\bgave me your (?:number|email|details|contact)\b",
        r"\b(?:give|send|pass) (?:him|her|them) my (?:email|number|details|contact|cv)\b",
        r"\b(?:he|she|they)(?:'ll| will) (?:give you a )?call you\b",
        r"\b(?:he|she|they)(?:'ll| will) give you a call\b",
        r"\bmeet \w+!",
        r"\b(?:rather than|instead of) wait\w*\b",
        r"\b(?:jump|get) ahead\b",
        r"\bhead start\b",
        r"\b(?:reach(?:ing)? out|write|writing|send\w*|contact\w*) (?:to you )?directly\b",
        r"\bbefore (?:he|she|they) (?:checks|asks|gets)\b",
        r"\badded (?:[\w.]+ ){1,5}to (?:this|the|our) (?:whatsapp )?(?:group|thread|chat)\b",
        r"\btold (?:him|her|them) you'?d\b",
        r"\bi'?m connecting you two\b",
        r"\bjust (?:cc|copy|loop|add) (?:her|him|them|\w+)\b",
        r"\b(?:doesn't|does not|don't) know i'?m (?:writing|reaching)\b",
        r"\balready told\b",
        r"\bsay(?:ing)? you suggested\b",
        r"\bmention(?:ing)? that you pointed\b",
        r"\bdraft(?:ed)? (?:the|some)? ?(?:emails?|text|letter|one) (?:for you|below|you could)\b",
        r"\bi've drafted\b",
        r"\bi haven'?t had a chance to ask\b",
        r"\bi'?m sure (?:you|she|he|they) won'?t mind\b",
        r"\b(?:her|his|their) number is\b",
        r"\bjust give (?:her|him|them) a call\b",
        r"\bover to you two\b",
        r"\badded you (?:both|all)\b",
        r"\bgo way back\b",
        r"\bi said you'?d\b",
        r"\bi told (?:my friend|him|her|them) all about\b",
    ),
    _act(
        "boast",
        BOAST,
        r"\b(?:\d[\d,.]*\s?k?\+?|thousands of|tens of thousands of|hundreds of) "
        r"(?!mutual |shared |common )(?:\w+ )?(?:connections|followers)\b",
        r"\bopen ?networker\b",
        r"\blion\b",
        r"\bi accept (?:all|every|any)\b",
        r"\btop voice\b",
        r"\bgrow our networks\b",
        r"\bi'?ll accept yours\b",
    ),
    _act(
        "swap",
        SWAP,
        r"\bendorse (?:me|mine) (?:back|too|as well|in return|for)\b",
        r"\breturn the favou?r\b",
        r"\bswap (?:endorsements|recommendations|recs)\b",
        r"\bi'?ll (?:write|endorse|recommend) (?:you|one for you)\b",
        r"\bhappy to write one for you\b",
        r"\bi(?:'ve| have) (?:just )?endorsed you\b",
    ),
    _act(
        "attachment",
        ATTACHMENT,
        r"\b(?:please find|i've|i have|see|find) (?:the )?attached\b",
        r"\battached (?:is|are|you'll find|please find|here|it)\b",
        r"\b(?:i'?m|i am) attaching\b",
        r"\b(?:deck|cv|resume|brochure|proposal|catalogue|one-pager)(?: is)? attached\b",
        r"\b(?:here's|here is) my calendly\b",
        r"\bcalendly\.com\S*",
        r"\bmy calendar link\b",
        r"\bdeck (?:link )?below\b",
    ),
    _act(
        "personal",
        PERSONAL,
        r"\bare you (?:married|single)\b",
        r"\bwhere are you from\b",
        r"\bknow you (?:more|better)\b",
        r"\bgrab a drink\b",
        r"\br u awake\b",
        r"\bstrava\b",
        r"\bjoined you one morning\b",
    ),
    _act(
        "vague",
        NO_REASON,
        r"\bsynerg\w*",
        r"\b(?:explore|discuss) (?:\w+ )?(?:opportunit\w+|partnerships?|collaborations?|"
        r"possibilities|ways)\b",
        r"\bmutual (?:benefit|growth)\b",
        r"\bgrow (?:together|our networks?)\b",
        r"\b(?:expand|extend|grow|build|widen)\w* (?:my|our) (?:\w+ )?(?:network|connections|"
        r"circle)\b",
        r"\badd you to my (?:professional )?network\b",
        r"\bin my network\b",
        r"\blike-minded\b",
        r"\bget(?:ting)? to know each other\b",
        r"\bno (?:particular |specific )?agenda\b",
        r"\badd(?:ing)? value\b",
        r"\bbusiness opportunit\w+\b",
        r"\bdo great things\b",
        r"\blet'?s connect\b",
        r"\bwould love to connect\b",
        r"\bi'?d like to connect\b",
        r"\bpartner with your\b",
        r"\bwork together\b",
        r"\bidea for a partnership\b",
        r"\bswap notes\b",
        r"\btouch(?:ing)? base\b",
        r"\banything i can do for you\b",
        r"\bjoin your (?:professional )?network\b",
    ),
)

# --------------------------------------------------------------------- context

CONTEXTS: tuple[Cue, ...] = (
    _ctx(
        "ctx.asked",
        r"\byou (?:had |have |'ve )?(?:asked|requested|booked|enquired|inquired|proposed|"
        r"suggested|kindly offered|offered|invited me|signed up|applied|registered|ordered|"
        r"agreed|chose|picked)\b",
        r"\bas (?:you )?(?:requested|asked|promised|agreed|discussed|suggested|proposed|"
        r"required|specified|instructed|planned)\b",
        r"\bas (?:per|in) (?:your|our|the) (?:request|agreement|contract|conversation|call|"
        r"discussion|sow|terms|brief)\b",
        r"\b(?:at|per|following|after) your (?:request|suggestion|question|enquiry|inquiry)\b",
        r"\byour (?:request|question|enquiry|inquiry|message asking|demo request|brief asked|"
        r"rfp|rfq|tender|call for|ad|listing|advert)\b",
        r"\bin response to\b",
        r"\b(?:reply|replying|responding) to your\b",
        r"\bthank(?:s| you) (?:so much |again )?for (?:your|the) (?:message|question|email|"
        r"enquiry|inquiry|order|request|interest|application|booking|registration|"
        r"invitation|reply)\b",
        r"\bthank(?:s| you) (?:so much )?for (?:asking|applying|registering|signing (?:up|on)|"
        r"requesting|getting back|choosing|agreeing|proposing|shortlisting|viewing|letting (?:us|"
        r"me) know|filling in|trying us|sending)\b",
        r"\b(?:asked|told) (?:me|us|people|everyone) to\b",
        r"\byou said (?:you(?:'d| would)|to)\b",
        r"\byou were (?:happy|keen|open|glad)\b",
        r"\b(?:she|he|they) (?:asked|said) (?:me |whether|if|you'?d|she'?d|he'?d)",
        r"\bthanks for agreeing\b",
        r"\bthank(?:s| you) (?:\w+ )?for (?:coming|attending|joining|registering|signing up)\b",
        r"\bas we (?:discussed|agreed)\b",
        r"\bwe (?:discussed|agreed)\b",
        r"\bboth said yes\b",
        r"\bconfirm(?:ed|ing) (?:for|your|the|that)\b",
        r"\b(?:chase|nudge|remind|ping) you\b",
        r"\bmatched us\b",
        r"\byou posted (?:that|yesterday|on|asking)\b",
        r"\byour post (?:asked|said)\b",
        r"\blisted you as\b",
    ),
    _ctx(
        "ctx.ref",
        r"\byou (?:mentioned|said|told (?:me|us)|wrote|posted|commented|raised|flagged|"
        r"reported|described|wanted)\b",
        r"\byour (?:post|comment|question|point|tip|feedback|advice)\b",
        r"\bthank(?:s| you) (?:so much |again )?for (?:your|the) (?:time|chat|call|meeting|"
        r"visit|feedback|tip|intro|introduction|help|great|kind|quick|conversation|session)\b",
        r"\bfollowing up on (?:your|our|the|tuesday's|monday's|yesterday's|today's)\b",
        r"\bgreat (?:call|chat|speaking|session)\b",
    ),
    _ctx(
        "ctx.buyer",
        r"\b(?:we(?:'re| are)|i(?:'m| am)) (?:\w+ )?(?:evaluating|considering|trialling|testing|"
        r"comparing|looking at|choosing) (?:your|a few|some|options|vendors|suppliers|tools)\b",
        r"\b(?:we|i) use (?:your|\w+ at)\b",
        r"\b(?:a )?(?:long-time |happy )?(?:user|customer|client) of (?:your|yours)\b",
        r"\bthanks for (?:showing|the demo)\b",
        r"\byour (?:\w+ )?(?:product|tool|platform|app|software|library|package|docs|api)\b",
    ),
    _ctx(
        "ctx.existing",
        r"\byour (?:order|account|contract|licen[cs]e|subscription|trial|invoice|claim|warranty|"
        r"renewal|policy|booking|membership|po\b|shipment|delivery|return|repair|car|"
        r"application|registration|seat|unit|plan|file|report|project|renewal)\b",
        r"\brenews?\b",
        r"\bour (?:agreement|contract|sow|annual contract|terms)\b",
        r"\bexisting (?:customers?|clients?)\b",
        r"\b(?:customer|client|supplier|vendor|partner) (?:since|for)\b",
        r"\bsince 20\d\d\b",
        r"\bthanks? (?:you )?for (?:the|your) (?:order|business|payment)\b",
        r"\bthanks as always\b",
        r"\bwelcome (?:aboard|to|back)\b",
        r"\b(?:your|the) team has been using\b",
        r"\bas usual\b",
        r"\bfor your records\b",
        r"\bas quoted\b",
        r"\bunder warranty\b",
        r"\btaking over (?:your|the) account\b",
        r"\byour usual\b",
        r"\binvoice\b",
        r"\bpo \d+|\bpo number\b",
        r"\byour (?:current|existing|annual|usual) (?:plan|tier|contract|order|supplier|usage)\b",
        r"\byour usage\b",
        r"\b(?:quick |an )?update (?:on|after|for) (?:your|the|our|saturday's|today's)\b",
        r"\bthanks? (?:you )?for the (?:quick )?delivery\b",
        r"\b(?:arrived|delivered) (?:at|to) (?:the|our)\b",
        r"\b(?:the|your) (?:landlord|tailor|technician)\b",
        r"\bready for (?:collection|pickup)\b",
        r"\bis ready\b",
    ),
    _ctx(
        "ctx.tie",
        r"\b(?:we|you and i) (?:\w+ )?(?:worked|studied|trained|served|overlapped|shipped|built|"
        r"played|volunteered) (?:\w+ )?together\b",
        r"\b(?:former|old|ex-) ?(?:colleague|manager|teammate|student|boss|intern|supervisor|"
        r"classmate|team|cohort|flatmate|professor|mentor)\b",
        r"\bour (?:old |monthly |weekly )?(?:team|office|days|cohort|class|group|lab|project|"
        r"chats|calls|catch-ups|set|crew|field team)\b",
        r"\bit'?s been (?:ages|years|a while|too long|\w+ years)\b",
        r"\blong time\b",
        r"\bsince (?:uni|school|college|our)\b",
        r"\bwhen (?:we|i) (?:worked|was|were)\b",
        r"\bi was your\b",
        r"\byou (?:taught|supervised|managed|hired|mentored|trained) me\b",
        r"\bthanks? again\b",
        r"\bgreat (?:catching up|to see you|seeing you)\b",
        r"\bmiss you\b",
        r"\byour (?:sister|brother|mum|mom|dad|wife|husband|son|daughter|cousin)\b",
        r"\bmy treat\b",
        r"\bon me\b",
        r"\bdrinks\b",
        r"\bremember (?:me|you|when)\b",
    ),
    _ctx(
        "ctx.colleague",
        r"\b(?:our|the) (?:1:1|one-to-one|standup|stand-up|team meeting|lab meeting|board "
        r"meeting|shift|handover|rota|committee|shared drive|sprint)\b",
        r"\bjoining (?:your|the|our) (?:team|department|lab|group|crew)\b",
        r"\bi'?m (?:the new|joining|taking over)\b",
        r"\bwe(?:'re| are) both on\b",
        r"\bhandover\b",
        r"^\s*@\w+",
        r"\b(?:can|could) we (?:move|push|shift)\b",
        r"\bnew (?:colleague|teammate|starter)\b",
        r"\bwelcome (?:to|aboard)\b",
        r"\bworking with you\b",
        r"\b(?:our|your|the) (?:first day|desk|badge|laptop|onboarding)\b",
        r"\bthe shared (?:drive|folder)\b",
    ),
    _ctx(
        "ctx.met",
        r"\b(?:great|lovely|good|nice|pleasure|wonderful) (?:to )?(?:meet|meeting|seeing|"
        r"chatting|sharing|speaking|talking)\b",
        r"\bwe (?:met|sat|spoke|chatted|talked)\b",
        r"\bsat (?:next to|beside|together)\b",
        r"\bafter (?:my|your|the) (?:talk|session|panel|webinar|presentation|keynote)\b",
        r"\bat (?:the|our|your) (?:booth|stand|stall|conference|summit|meetup|fair|expo|panel|"
        r"workshop|session|course|mixer|tasting|markets?|event)\b",
    ),
    _ctx(
        "ctx.opt_in",
        r"\bonly if (?:s?he|they|it)\b",
        r"\bif (?:s?he|they)(?:'s| is| are)? (?:keen|interested|open|says yes|agrees?|happy)\b",
        r"\b(?:i'll )?only (?:pass on|share|connect|introduce|make the introduction)\b",
        r"\bwon'?t (?:pass on|share)\b",
        r"\bwithout asking\b",
        r"\bcheck(?:ed|ing)? with (?:you|him|her|them|\w+) (?:first|before)\b",
        r"\b(?:ask|asking|check with) (?:him|her|them|[A-Z]\w+) (?:first|whether|if)\b",
        r"\bwould you (?:be (?:willing|comfortable|open) to |mind )?"
        r"(?:ask|asking|check|checking)\b",
        r"\bwould you (?:be )?open to (?:me )?(?:introduc|hearing|a (?:short|quick|brief))\w*",
        r"\bboth said\b",
        r"\bsaid (?:yes|you'?d be happy|she'?d be happy|he'?d be happy)\b",
        r"\bhappy to hear from me\b",
        r"\bbefore i (?:do anything|pass|share|connect|introduce)\b",
        r"\bbe open to me introducing\b",
        r"\bi(?:'ll| will) step back\b",
        r"\bwith your permission\b",
        r"\bi didn'?t want to pass on\b",
        r"\bshall i connect you\b",
        r"\bwant me to (?:ask|introduce|connect)\b",
        r"\bhe checked with you\b",
    ),
    _ctx(
        "ctx.blurb",
        r"\bblurb\b",
        r"\bforwardable\b",
        r"\b(?:note|summary|paragraph|email) (?:you|to) (?:could |can )?forward\b",
        r"\b(?:you|to) (?:could |can )?(?:forward|pass (?:along|on))\b",
    ),
    _ctx(
        "ctx.no_ask",
        r"\bno need to (?:reply|respond|do anything|apply|mention|return)\b",
        r"\bnothing (?:you need|to do|needed|to pay)\b",
        r"\bthere'?s nothing you need\b",
        r"\bno action (?:needed|required)\b",
        r"\bjust (?:wanted|flagging|thought|fyi|a heads-up|a note)\b",
        r"\bfyi\b",
        r"\bheads-up\b",
        r"\bwanted (?:you )?to (?:let you know|say|know)\b",
        r"\bno (?:reply|response) (?:needed|necessary|required)\b",
        r"\bdon'?t feel (?:any )?need\b",
        r"\bthought (?:of you|you'?d|it might)\b",
        r"\bin case it'?s (?:useful|of interest|helpful)\b",
        r"\bhope (?:it|that|this) helps\b",
        r"\bgood luck\b",
        r"\bsee you\b",
        r"\bnot selling anything\b",
        r"\bno follow-up\b",
    ),
    _ctx(
        "ctx.gratitude",
        r"\bthank(?:s| you)\b",
        r"\bgrateful\b",
        r"\bcongrat\w*\b",
        r"\bwell deserved\b",
        r"\bproud of you\b",
        r"\bsympathy\b",
        r"\bsorry to hear\b",
        r"\b(?:obrigad[oa]|danke|merci|gracias|salamat|arigatou|asante|tak)\b",
    ),
    _ctx(
        "ctx.easy_out",
        r"\bno (?:worries|pressure|problem|rush|obligation|stress|hard feelings|need)\b",
        r"\b(?:totally|completely|perfectly|entirely|fully|absolutely) (?:fine|ok|okay|"
        r"understand)",
        r"\bunderstand if\b",
        r"\bfeel free to (?:ignore|say no|pass|decline|let it drop|skip)",
        r"\bif (?:it's|it is|now is|now isn't|now's|the timing is|this is|you're|you are) "
        r"(?:not )?(?:a good|the right|a bad|awkward|off|busy|swamped|too busy|stretched)",
        r"\beasy (?:no|to decline)\b",
        r"\bfine (?:if not|to pass|either way|by me|too)",
        r"\beither way\b",
        r"\bif not\b",
        r"\b(?:simple|quick) no\b",
        r"\bsay no\b",
        r"\brather not\b",
        r"\bwhenever (?:suits|convenient|you)\b",
        r"\bor not at all\b",
        r"\bif (?:you(?:'re| are))? ?(?:swamped|busy|slammed)\b",
        r"\bno harm done\b",
        r"\bif (?:you )?(?:don't|do not) have time\b",
        r"\bonly if\b",
        r"\bif (?:it|that)(?:'s| is) (?:useful|helpful|easier)\b",
        r"\bif useful\b",
        r"\bif you(?:'d| would) (?:like|prefer)\b",
        r"\bno (?:reply|answer) is fine\b",
        r"\bi(?:'ll| will) (?:not|never) chase\b",
        r"\bwon'?t chase\b",
        r"\bi (?:completely |totally )?understand\b",
    ),
    _ctx(
        "ctx.specific",
        r"\b(?:one|two|three|a couple of|a few) (?:short |quick |specific )?"
        r"(?:questions?|things?)\b",
        r"\bi read your\b",
        r"\byour (?:\d{4} )?(?:paper|post|article|talk|report|study|book|thread|dataset|"
        r"presentation|keynote|write-up|blog)\b",
        r"\b(?:i'm|i am) (?:a|an) (?:\w+ )?(?:student|undergraduate|researcher|journalist|"
        r"reporter|postdoc|registrar|nurse|analyst|engineer)\b",
        r"\b(?:my|our) thesis\b",
        r"\bby email\b",
        r"\bone-line answer\b",
        r"\b(?:cite|citation)\b",
    ),
    _ctx(
        "ctx.stranger",
        r"\b(?:we )?(?:haven'?t|have not|never|didn'?t) (?:actually )?(?:met|crossed paths|"
        r"spoken)\b",
        r"\bdon'?t (?:think we|know each other|know me)\b",
        r"\bout of (?:the blue|nowhere)\b",
        r"\b(?:met|chatted|spoke|chatting) (?:only |however )?briefly\b",
        r"\bsaw your (?:profile|name|details)\b",
        r"\bcame across your (?:profile|details|name|website|clinic|company)\b",
        r"\bfound your (?:details|profile|name|contact)\b",
        r"\b(?:you )?viewed my profile\b",
        r"\bthanks? (?:you )?(?:so much )?for (?:connecting|accepting|the connect|the add|adding "
        r"me)\b",
        r"\b(?:great|good|nice) to (?:be )?connect(?:ed)?\b",
        r"\bfellow \w+ (?:alum|alumnus|alumna|alumni)\b",
        r"\b(?:we're|we are) both (?:in|members|ucc|iim)\b",
        r"\bi see we(?:'re| are) both\b",
        r"\bi noticed (?:you|your|that you)\b",
        r"\bnoticed (?:you|your)\b",
        r"\bi'?d (?:love|like) to connect\b",
        r"\bsmall world\b",
        r"\bfrom the attendee list\b",
        r"\bthe attendee list\b",
        r"\bi'?m new here\b",
    ),
    _ctx(
        "ctx.reply_data",
        r"\b(?:here'?s|here is|here are|attached is|attached are|please find attached) (?:the|"
        r"your|our|my)\b",
        r"\b(?:slides|recording|spec sheet|quote|quotation|proposal|report|template|notes|link|"
        r"dataset|invoice) (?:you|as)\b",
    ),
)

CUES: tuple[Cue, ...] = ACTS + CONTEXTS
CUES_BY_ID: dict[str, Cue] = {cue.id: cue for cue in CUES}


def fold(text: str) -> str:
    """Typographic apostrophes folded to ``'`` one-for-one (offsets are preserved)."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n+")


def opener_end(norm: str) -> int:
    """End offset of the first two sentences (a greeting line counts as one)."""
    ends = [m.start() for m in _BOUNDARY.finditer(norm) if norm[: m.start()].strip()]
    return ends[1] if len(ends) > 1 else len(norm)


def detect(text: str) -> dict[str, list[Span]]:
    """Every cue that matches ``text``, with the spans it matched (in order).

    >>> text = "Thanks for connecting! We help clinics cut no-shows by 30%. Demo?"
    >>> hits = detect(text)
    >>> sorted(hits)
    ['ctx.gratitude', 'ctx.stranger', 'pitch.claim', 'pitch.demo', 'pitch.offer']
    >>> [text[start:end] for start, end in hits["pitch.demo"]]
    ['Demo?']
    """
    norm = fold(text)
    head = opener_end(norm)
    found: dict[str, list[Span]] = {}
    for cue in CUES:
        spans = [
            (m.start(), m.end())
            for m in cue.pattern.finditer(norm)
            if m.end() > m.start() and (not cue.opener_only or m.start() < head)
        ]
        if spans:
            found[cue.id] = spans
    return found


def rule_of(cue_id: str, cues: Mapping[str, Cue] = CUES_BY_ID) -> str:
    """The lint rule a cue's findings are filed under ("" for context cues)."""
    return cues[cue_id].rule
