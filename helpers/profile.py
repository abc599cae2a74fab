"""The user's profile: who signs the drafts, the weekly goal, holidays, rule overrides.

Stored as ``profile.yml`` in the workspace, a short plain-text file a person can
edit by hand; every field has a sensible default, so a missing file is a valid
profile.
"""

from __future__ import annotations

import holidays
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from helpers import csvio
from helpers.errors import Problem, WorkspaceError, io_problem
from helpers.validate import EmailText

PROFILE_FILE = "profile.yml"


class Rules(BaseModel):
    """The etiquette rules' numbers (DESIGN.md, "The etiquette rules")."""

    model_config = ConfigDict(extra="allow")

    thank_you_business_days: int = Field(
        1, ge=0, le=10, description="A thank-you is due this many business days after."
    )
    follow_up_after_business_days: int = Field(
        5, ge=1, le=30, description="The first follow-up waits this long after the interview."
    )
    follow_up_after_decision_business_days: int = Field(
        1, ge=0, le=30, description="…and this long after the date they said they'd decide."
    )
    follow_up_spacing_business_days: int = Field(
        5, ge=1, le=30, description="Further follow-ups wait this long after the last sent."
    )
    follow_up_grace_business_days: int = Field(
        2, ge=0, le=10, description="A due follow-up becomes overdue after this many more."
    )
    follow_up_cap: int = Field(
        2, ge=0, le=5, description="Follow-ups per application, counted from the last interview."
    )
    stale_after_days: int = Field(
        21, ge=1, le=365, description="No activity for this many days: the application is stale."
    )
    thin_pipeline: int = Field(
        5, ge=0, le=100, description="Fewer active applications than this: the pipeline is thin."
    )


class Profile(BaseModel):
    """The job seeker's details and preferences."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    name: str = Field("", description="Your name, as you sign your emails.")
    email: EmailText = Field("", description="Your email address.")
    phone: str = Field("", description="Your phone number, as you write it.")
    signature: str = Field("", description="The lines under your name in every draft.")
    weekly_goal: int = Field(5, ge=0, le=200, description="Applications to send each week.")
    country: str = Field("US", description="Country code for public holidays (US, GB, DE…).")
    region: str = Field("", description="State or region code for public holidays (CA, NY…).")
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

    def calendar(self):
        """The business-day calendar for this profile's country and region."""
        from helpers.businessdays import calendar_for

        return calendar_for(self.country, self.region)


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
    data = profile.model_dump(mode="json")
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)
    path = workspace.root / PROFILE_FILE
    with workspace.lock():
        try:
            csvio.atomic_write(path, text.encode("utf-8"))
        except OSError as err:
            raise WorkspaceError(io_problem(path, "save", err)) from err
