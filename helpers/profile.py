"""The user's profile: who signs the drafts, the weekly goal, holidays, rule overrides.

Stored as ``profile.yml`` in the workspace, a short plain-text file a person can
edit by hand; every field has a sensible default, so a missing file is a valid
profile.
"""

from __future__ import annotations

import secrets

import holidays
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from helpers import csvio
from helpers.errors import Problem, WorkspaceError, io_problem
from helpers.validate import EmailText, one_of

PROFILE_FILE = "profile.yml"


class Rules(BaseModel):
    """The etiquette rules' numbers (DESIGN.md, "The etiquette rules")."""

    model_config = ConfigDict(extra="allow", use_attribute_docstrings=True)

    thank_you_business_days: int = Field(1, ge=0, le=10)
    """A thank-you is due this many business days after."""
    follow_up_after_business_days: int = Field(5, ge=1, le=30)
    """The first follow-up waits this long after the interview."""
    follow_up_after_decision_business_days: int = Field(1, ge=0, le=30)
    """…and this long after the date they said they'd decide."""
    follow_up_spacing_business_days: int = Field(5, ge=1, le=30)
    """Further follow-ups wait this long after the last sent."""
    follow_up_grace_business_days: int = Field(2, ge=0, le=10)
    """A due follow-up becomes overdue after this many more."""
    follow_up_cap: int = Field(2, ge=0, le=5)
    """Follow-ups per application, counted from the last interview."""
    check_in_after_business_days: int = Field(7, ge=1, le=30)
    """With no interview yet, a check-in waits this long after you applied."""
    check_in_cap: int = Field(1, ge=0, le=3)
    """Check-ins per application before any interview."""
    ghosted_after_check_in_business_days: int = Field(10, ge=1, le=60)
    """An unanswered check-in this old: suggest marking the application ghosted."""
    stale_after_days: int = Field(21, ge=1, le=365)
    """No activity for this many days: the application is stale."""
    thin_pipeline: int = Field(5, ge=0, le=100)
    """Fewer active applications than this: the pipeline is thin."""


class Profile(BaseModel):
    """The job seeker's details and preferences."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    name: str = Field("", description="Your name, as you sign your emails.")
    email: EmailText = Field("", description="Your email address.")
    other_emails: list[EmailText] = Field(
        default_factory=list,
        description="Other addresses you send mail from (an alias, a work or an old "
        "address): reading your mailbox (06) counts mail from them as yours.",
    )
    phone: str = Field("", description="Your phone number, as you write it.")
    signature: str = Field("", description="The lines under your name in every draft.")
    weekly_goal: int = Field(5, ge=0, le=200, description="Applications to send each week.")
    country: str = Field("US", description="Country code for public holidays (US, GB, DE…).")
    region: str = Field("", description="State or region code for public holidays (CA, NY…).")
    holiday_calendar: str = Field(
        "employer",
        description="Which holidays are days off: 'employer' (the days most private "
        "employers close) or 'public' (every public holiday of the country and region).",
    )
    locale: str = Field(
        "",
        description="How dates are written in drafts (en_US, en_GB…); empty: English as "
        "written in your country.",
    )
    search_id: str = Field(
        "",
        pattern=r"^[0-9a-f]{0,32}$",
        description="A random number naming this search, made with the first bundle, so a "
        "coach with two clients of the same name tells them apart. It says nothing about you.",
    )
    rules: Rules = Field(default_factory=Rules)

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        code = value.upper()
        if code not in holidays.list_supported_countries():
            raise ValueError(f"{value!r} is not a country code the holidays package knows")
        return code

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str, info) -> str:
        country = info.data.get("country")
        if value and country:
            regions = holidays.list_supported_countries().get(country, [])
            if value.upper() not in [r.upper() for r in regions]:
                raise ValueError(
                    f"{value!r} is not a region of {country}; one of: {', '.join(regions)}"
                )
            return value.upper()
        return value

    @field_validator("holiday_calendar")
    @classmethod
    def _known_calendar(cls, value: str) -> str:
        from helpers.businessdays import CALENDARS

        return one_of((value or "employer").lower(), CALENDARS)

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if not value:
            return ""
        from babel import Locale, UnknownLocaleError

        try:
            return str(Locale.parse(value.replace("-", "_")))
        except (UnknownLocaleError, ValueError):
            raise ValueError(f"{value!r} is not a locale (e.g. en_US, en_GB)") from None

    def calendar(self):
        """The business-day calendar for this profile's country, region and holidays."""
        from helpers.businessdays import calendar_for

        return calendar_for(self.country, self.region, self.holiday_calendar)

    @property
    def date_locale(self) -> str:
        """The locale drafts write dates in: ``locale``, else English as written in
        the profile's country (``en_US``, ``en_GB``…), else international English."""
        from helpers.dates import english_locale

        return english_locale(self.locale, self.country)


def load_profile(workspace) -> Profile:
    """The workspace's profile; defaults when ``profile.yml`` does not exist.

    Raises:
        WorkspaceError: the file is not valid YAML or a value is out of range, naming
            the line (as ``row``) or the field (as ``column``).
    """
    path = workspace.root / PROFILE_FILE
    if not path.exists():
        return Profile()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except UnicodeDecodeError:
        raise WorkspaceError(
            Problem(PROFILE_FILE, None, None, "the file is not UTF-8 text")
        ) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        reason = getattr(err, "problem", None) or str(err)
        raise WorkspaceError(
            Problem(PROFILE_FILE, row, None, f"this is not valid YAML: {reason}")
        ) from None
    if not isinstance(data, dict):
        raise WorkspaceError(
            Problem(PROFILE_FILE, None, None, "the file should hold 'field: value' lines")
        )
    try:
        return Profile.model_validate(data)
    except ValidationError as err:
        raise WorkspaceError(
            [
                Problem(
                    PROFILE_FILE,
                    None,
                    ".".join(str(p) for p in e["loc"]),
                    f"{e['input']!r}: {e['msg']}" if e["type"] != "missing" else e["msg"],
                )
                for e in err.errors()
            ]
        ) from None


def save_profile(workspace, profile: Profile) -> None:
    """Write ``profile.yml`` atomically under the workspace lock."""
    _merge_into_file(workspace, profile.model_dump(mode="json"))


def _merge_into_file(workspace, data: dict) -> None:
    """Set ``data``'s values in ``profile.yml`` (atomically, under the workspace lock),
    leaving every other line of the file as it is."""
    path = workspace.root / PROFILE_FILE
    with workspace.lock():
        text = _round_trip(path, data)
        try:
            csvio.atomic_write(path, text.encode("utf-8"))
        except OSError as err:
            raise WorkspaceError(io_problem(path, "save", err)) from err


def search_id(workspace) -> str:
    """The workspace's :attr:`Profile.search_id`, made (and saved) the first time.

    A new random value, never derived from the data: a workspace started from a copy
    of the example gets its own the first time it makes a bundle."""
    with workspace.lock():
        profile = load_profile(workspace)
        if profile.search_id:
            return profile.search_id
        made = secrets.token_hex(16)
        _merge_into_file(workspace, {"search_id": made})
    return made


def _round_trip(path, data: dict) -> str:
    """``profile.yml``'s text with ``data``'s values: the file's comments, order and
    layout kept (a round-trip YAML library), only changed values rewritten."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import LiteralScalarString

    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 88
    try:
        doc = rt.load(path.read_text(encoding="utf-8-sig")) if path.exists() else None
    except Exception:  # unreadable as it is: written afresh (loading it failed anyway)
        doc = None
    if not isinstance(doc, dict):
        doc = CommentedMap()

    def merge(target, values) -> None:
        for key, value in values.items():
            old = target.get(key)
            if isinstance(value, dict) and isinstance(old, dict):
                merge(old, value)
            elif old != value:
                many_lines = isinstance(value, str) and "\n" in value
                target[key] = LiteralScalarString(value) if many_lines else value

    merge(doc, data)
    out = io.StringIO()
    rt.dump(doc, out)
    return out.getvalue()
