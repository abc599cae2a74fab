"""The English a talking point is read with: word lists and patterns.

What :mod:`helpers.grammar` consults to turn what was typed into part of a sentence:
the openings that only say "we discussed", verbs after "their", subjects and
auxiliaries that make a clause, countable nouns, adverbs, irregular and contracted
verbs, the common words (a capital elsewhere is a name), generic topics that read
badly, and the letters that show a line is English.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _suffixes(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _phrases(text: str) -> frozenset[str]:
    """One phrase a line."""
    return frozenset(line.strip() for line in text.strip().splitlines())


BULLET = re.compile(r"^\s*(?:[-*•·–]|\d+[.)])\s+")
WORD = re.compile(r"[\w’'-]+|[^\w\s]", re.UNICODE)

# Leading words that only say "we discussed": what follows is the topic.
DISCUSSED = re.compile(
    r"^(?:i\s+(?:really\s+)?(?:enjoyed|liked|loved)\s+)?"
    r"(?:(?:we|i)\s+(?:also\s+|briefly\s+|mostly\s+|mainly\s+)?"
    r"(?:talked|spoke|chatted|went)\s+(?:about|over|through)"
    r"|(?:we|i)\s+(?:also\s+)?(?:discussed|covered)"
    r"|(?:we|i)\s+had\s+(?:a|an)\s+(?:\w+\s+)?(?:chat|conversation|discussion|talk)\s+"
    r"(?:about|on|of)"
    r"|talked\s+about|spoke\s+about|chatted\s+about|discussed|discussing|talking\s+about"
    r"|(?:our|the|a)\s+(?:\w+\s+)?(?:conversation|discussion|chat|talk)\s+(?:about|on|of)"
    r"|conversation\s+about|discussion\s+(?:of|about|on)|re:|topic:|about)\s+",
    re.IGNORECASE,
)

# Verbs of what the interviewer did, opening a subject-less note ("Asked how I…").
THEIR_VERBS = _words(
    """
    asked showed explained mentioned shared described walked told gave suggested recommended
    pointed offered introduced challenged pushed noted said wondered outlined presented
    questioned quizzed grilled probed drilled
    """
)

SUBJECTS = _words("i we you it there they he she")
AUXILIARIES = _words(
    """
    do does did is are was were would will can could should shall have has had might must
    may
    """
)
WH = _words("how what why when where which who whether")

# Singular nouns that take "the" after a name: "the Looker migration".
COUNTABLE = _words(
    """
    migration project rollout launch roadmap dashboard pipeline platform redesign rewrite
    initiative program programme exercise study plan report model integration upgrade audit
    reorg partnership acquisition merger conference offsite hackathon team
    """
)

# Words that may follow an object "her" (so it is "you", not "your").
AFTER_OBJECT = _words(
    """
    about after again and as at before but by for from how if in into my of on or our over
    so that the a an this those these through to up what when where whether which while who
    why with some more all too very
    """
)

ADVERBS = _words(
    """
    also really just still already often never always recently clearly actually mostly
    mainly usually sometimes then
    """
)

IRREGULAR = {
    "is": "are",
    "was": "were",
    "has": "have",
    "does": "do",
    "doesn't": "don't",
    "doesn’t": "don’t",
    "isn't": "aren't",
    "isn’t": "aren’t",
    "wasn't": "weren't",
    "wasn’t": "weren’t",
    "hasn't": "haven't",
    "hasn’t": "haven’t",
    "goes": "go",
}

CONTRACTIONS = {
    "he's": "you're",
    "she's": "you're",
    "he’s": "you’re",
    "she’s": "you’re",
    "he'd": "you'd",
    "she'd": "you'd",
    "he’d": "you’d",
    "she’d": "you’d",
    "he'll": "you'll",
    "she'll": "you'll",
    "he’ll": "you’ll",
    "she’ll": "you’ll",
    "they're": "you're",
    "they’re": "you’re",
}

# Common words that may open a talking point and are not names: lowercased there.
COMMON = _words(
    """
    the a an how what why when where which who whose our my your this that these those some
    any each every all both more most much many other another its it's one two three first
    second last next new old big small large long short best better good great hard easy
    simple real open early late weekly daily monthly quarterly annual data team teams
    company product products project projects process processes plan plans planning goal
    goals work role roles job question questions idea ideas problem problems challenge
    challenges approach approaches way ways system systems tool tools model models pipeline
    pipelines report reports reporting dashboard dashboards metric metrics test tests
    testing code review reviews design designs customer customers user users client clients
    market markets sales service services support research analysis analytics strategy
    roadmap feature features launch launches release releases migration migrations move
    moves shift change changes growth cost costs budget budgets price pricing revenue risk
    risks quality security privacy compliance governance culture hiring onboarding training
    mentoring leadership management manager managers engineering engineers analyst analysts
    scientist scientists developer developers stakeholder stakeholders meeting meetings
    office remote hybrid travel on-call rotation schedule deadline deadlines timeline
    backlog sprint sprints agile scrum incident incidents outage outages monitoring alerting
    logging performance latency scale scaling storage database databases warehouse lake
    query queries table tables schema schemas batch stream streaming real-time realtime live
    row row-level column column-level field fields event events late-arriving
    late-arriving-data duplicate duplicates missing null nulls error errors bug bugs fix
    fixes case cases study studies example examples story stories lesson lessons experience
    background career path paths summer winter spring fall autumn season seasonal holiday
    holidays weekend weekends morning evening night day week month year quarter
    first-quarter self-serve self-service cross-team cross-functional end-to-end front-end
    back-end full-stack machine deep statistical predictive forecasting forecast forecasts
    pricing churn retention acquisition conversion funnel funnels cohort cohorts segment
    segments experiment experiments a/b ab survey surveys feedback interview interviews
    take-home exercise exercises whiteboard live-coding pair pairing handoff handoffs
    documentation docs standard standards best-practice practices policy policies regulation
    regulations audit audits auditor auditors legal finance financial accounting marketing
    operations ops logistics supply chain fleet route routes routing delivery deliveries
    shipping inventory warehouse warehouses store stores retail health healthcare claims
    claim patient patients hospital hospitals care energy grid load power weather ridership
    transit traffic transport
    """
)

SUFFIXES = _suffixes(
    """
    ing tion sion ment ness ity ance ence ship ism ology ive ous ful less able ible
    """
)

GENERIC = _phrases(
    """
    the role
    the job
    the team
    the company
    the position
    everything
    stuff
    things
    n/a
    na
    tbd
    todo
    -
    the interview
    my experience
    my background
    my resume
    my résumé
    work
    """
)

ENGLISH_HINTS = _words(
    """
    the an and of to in on for with my your our how what we you about is was it this that
    """
)
