"""The data model: one term entry per concept (as in TBX, ISO 30042), and the source registry.

This module is the single definition of what a curated file may hold. `EntryFile` is what a curator
writes (derived fields optional); `Entry` is the same with every derived field filled in by the loader.
Curators: the house rules (quotes, statuses, variants, pinyin, working in parallel) are in data/README.md.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

#: A public entry or source id: lower-case ASCII slug, stable and never reused.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=2, max_length=80)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def has_han(text: str) -> bool:
    """True when the text holds at least one Han character."""
    return bool(_HAN.search(text))


# Characters no curated text may hold: C0/C1 controls other than tab and line breaks, lone surrogates and the
# XML non-characters, none of which a TBX or XLIFF file can carry.
#: Validation context key: the data was written by the loader from a validated base (see service.resources).
CHECKED = "checked"
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item)]
    if isinstance(value, dict):
        return [text for pair in value.items() for text in _texts(list(pair))]
    return []


class Strict(BaseModel):
    """Base for every model read from a curated file: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*")
    @classmethod
    def _no_control_characters(cls, value: object, info: ValidationInfo) -> object:
        if info.context and info.context.get(CHECKED):
            return value  # read back from the loader's own cache of a base it checked: not walked again
        for text in _texts(value):
            if bad := _FORBIDDEN.search(text):
                raise ValueError(f"contains the control character U+{ord(bad.group()):04X}")
        return value


class Category(StrEnum):
    """What kind of thing a term names."""

    formula = "formula"  # numbered political formula: 四个面向, 两个确立
    slogan = "slogan"  # a watchword or call: 揭榜挂帅 as a slogan, 科技自立自强
    policy = "policy"  # a strategy or policy line: 创新驱动发展战略
    plan = "plan"  # a programme or plan: “十四五”国家科技创新规划
    mechanism = "mechanism"  # a way of organising work: 新型举国体制, 悬赏制
    institution = "institution"  # 科学技术部, 事业单位
    position = "position"  # an office or title: 总书记
    concept = "concept"  # an idea or term of art: 新发展格局
    project = "project"  # a named project or facility: 天问一号
    place = "place"  # a place or zone: 粤港澳大湾区
    event = "event"  # a meeting or congress: 全国科技工作会议
    document = "document"  # a named text: 墨子
    quotation = "quotation"  # a quoted line with its own notes


class Status(StrEnum):
    """A rendering's standing: the TBX administrativeStatus values."""

    preferred = "preferred"
    admitted = "admitted"
    deprecated = "deprecated"
    superseded = "superseded"

    @property
    def tbx(self) -> str:
        """The TBX-Basic picklist value, e.g. ``preferredTerm-admn-sts``."""
        return f"{self.value}Term-admn-sts"


class VariantType(StrEnum):
    """Chinese terminology practice for other forms of the same concept."""

    short = "short"  # 简称: 科技部 for 科学技术部
    full = "full"  # 全称
    alias = "alias"  # 又称: 悬赏制 for 揭榜挂帅
    former = "former"  # 曾称

    @property
    def zh_label(self) -> str:
        """The Chinese label a curator would write."""
        return {"short": "简称", "full": "全称", "alias": "又称", "former": "曾称"}[self.value]


class RelationType(StrEnum):
    """How two entries relate."""

    see_also = "see_also"
    broader = "broader"
    narrower = "narrower"
    part_of = "part_of"
    has_part = "has_part"


class SourceKind(StrEnum):
    """Who stands behind a source's English."""

    official = "official"  # official government English
    translation = "translation"  # third-party translation
    media = "media"  # state or other media
    reference = "reference"  # a dictionary or reference work


class Source(Strict):
    """One document in the source registry (data/sources.yaml)."""

    id: Slug
    title: NonEmpty
    title_zh: str | None = None
    publisher: NonEmpty
    translator: str | None = None
    editor: str | None = None
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
    url: str | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[A-Za-z]+)?(\+[a-z]{2}(-[A-Za-z]+)?)*$")]
    kind: SourceKind
    file: str | None = Field(None, description="File name of the source text, for `glossary verify-quotes`.")
    description: str | None = None


class Variant(Strict):
    """Another Chinese form of the concept, found by search and the draft check exactly as `zh` is."""

    zh: NonEmpty
    type: VariantType
    zh_hant: str | None = None
    pinyin: str | None = Field(None, description="Override; derived with pypinyin when absent.")
    attested: bool = Field(True, description="Does this form appear in a cited source?")
    note: str | None = Field(None, description="Where the form comes from, or when to use it.")


class Rendering(Strict):
    """One English rendering of the concept: attested by at least one source, or the curator's own.

    A curator's rendering (`attested: false`) is for an entry whose every attested rendering is flawed: it
    has no sources and no quote, and its `note` must say why the curator supplies it.
    """

    en: NonEmpty
    status: Status
    attested: bool = Field(
        True, description="Does a cited source use this rendering (false: the curator's own, see `note`)?"
    )
    sources: list[Slug] = Field(
        default_factory=list,
        description="Source ids; the first is the one `quote` is from (none: not attested).",
    )
    quote: NonEmpty | None = Field(
        None, description="Exact words of the first source showing the rendering in use (when attested)."
    )
    quotes: dict[Slug, NonEmpty] = Field(
        default_factory=dict, description="Quotes for the further sources, keyed by source id."
    )
    note: str | None = Field(None, description="Use when…, literal, misleading because…")
    proper_noun: bool = Field(False, description="Match case-sensitively in drafts.")
    generic: bool = Field(
        False, description="Too generic to check alone (e.g. 'spirit'): matched only in bilingual drafts."
    )

    @model_validator(mode="after")
    def _evidence(self) -> Rendering:
        if not self.attested:
            if self.sources or self.quote or self.quotes:
                raise ValueError("a curator's rendering (attested: false) has no sources, quote or quotes")
            if not (self.note and self.note.strip()):
                raise ValueError("a curator's rendering (attested: false) needs a note saying why")
            return self
        if not self.sources:
            raise ValueError("an attested rendering needs at least one source (or attested: false)")
        if self.quote is None:
            raise ValueError("an attested rendering needs the quote of its first source")
        if len(set(self.sources)) != len(self.sources):
            raise ValueError("a source is listed twice")
        stray = set(self.quotes) - set(self.sources[1:])
        if stray:
            raise ValueError(f"quotes for sources not listed after the first: {sorted(stray)}")
        return self

    @property
    def curators(self) -> bool:
        """True for a curator's rendering, which no source attests."""
        return not self.attested


class Note(Strict):
    """A translator's or editor's note, verbatim, with its source and label."""

    text: NonEmpty
    source: Slug
    label: NonEmpty = Field(description='As in the source: "Translator\'s note 2", "Editor\'s note".')


class Member(Strict):
    """One member of a numbered formula, in order."""

    zh: NonEmpty
    en: NonEmpty
    pinyin: str | None = Field(None, description="Override with tone marks; derived when absent.")
    zh_attested: bool = Field(True, description="Does the member's Chinese appear in a cited source?")
    en_attested: bool = Field(
        True, description="Does the member's English appear in a cited source (false: the curator's gloss)?"
    )
    source: Slug | None = Field(None, description="Where the English stands; default: the entry's sources.")
    entry: Slug | None = Field(None, description="The member's own entry, when it is a concept of its own.")


class Context(Strict):
    """A source's sentence that uses the Chinese term, with the publisher's English of it if there is one."""

    zh: NonEmpty = Field(description="The sentence exactly as the source prints it; it contains the term.")
    source: Slug
    en: str | None = Field(None, description="The same source's English of the sentence, exactly as printed.")


class Relation(Strict):
    """A link to another entry."""

    id: Slug
    type: RelationType = RelationType.see_also


class EntryFile(Strict):
    """What a curator writes in data/entries/<id>.yaml."""

    id: Slug
    zh: NonEmpty
    zh_hant: str | None = Field(None, description="Override; derived with OpenCC when absent.")
    pinyin: str | None = Field(
        None, description="Override with tone marks; derived with pypinyin when absent."
    )
    category: Category
    zh_attested: bool = Field(
        description="Does the Chinese appear in a cited source (false: curator-supplied)."
    )
    zh_note: str | None = Field(None, description="Where curator-supplied Chinese comes from.")
    zh_variants: list[Variant] = Field(default_factory=list)
    renderings: list[Rendering] = Field(min_length=1)
    notes: list[Note] = Field(default_factory=list)
    members: list[Member] = Field(default_factory=list)
    related: list[Relation] = Field(default_factory=list)
    literal: str | None = Field(None, description="A literal gloss of the Chinese.")
    definition: str | None = Field(
        None, description="What the concept is, in English, one or two sentences: the curator's own words "
        "unless `definition_source` names the source it is quoted from."
    )
    definition_source: Slug | None = Field(
        None, description="The source the definition is quoted from, word for word; absent: the curator's."
    )
    context: Context | None = Field(None, description="A Chinese sentence of a source that uses the term.")

    @field_validator("zh")
    @classmethod
    def _zh_is_chinese(cls, value: str) -> str:
        if not has_han(value):
            raise ValueError("must contain Chinese characters")
        return value

    @field_validator("related")
    @classmethod
    def _related_once(cls, related: list[Relation]) -> list[Relation]:
        ids = [relation.id for relation in related]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"related entry listed twice: {', '.join(twice)}")
        return related

    @field_validator("renderings")
    @classmethod
    def _one_preferred(cls, renderings: list[Rendering]) -> list[Rendering]:
        preferred = sum(r.status is Status.preferred for r in renderings)
        if preferred != 1:
            raise ValueError(f"needs exactly one preferred rendering, has {preferred}")
        seen: set[str] = set()
        for rendering in renderings:
            key = rendering.en.casefold()
            if key in seen:
                raise ValueError(f"rendering {rendering.en!r} is listed twice")
            seen.add(key)
        return renderings


class Attestation(BaseModel):
    """One source attesting a rendering: who published it, and when."""

    model_config = ConfigDict(frozen=True)

    source: str
    publisher: str
    date: str
    kind: SourceKind


class RenderingUsage(BaseModel):
    """Which publishers use a rendering and since when (derived from its sources; one per rendering)."""

    model_config = ConfigDict(frozen=True)

    publishers: list[str] = Field(description="Publishers of the sources attesting it, oldest first.")
    since: str | None = Field(description="Date of the oldest source attesting it.")
    latest: str | None = Field(description="Date of the newest source attesting it.")
    official_since: str | None = Field(description="Date of the oldest official source attesting it.")
    attested_by: list[Attestation]


#: Loader bookkeeping that `Entry.export()` leaves out of the published entry.
INTERNAL_FIELDS = frozenset({"variants_hant", "variants_pinyin", "members_pinyin", "pinyin_overridden"})
#: Fields the loader derives and a curator never writes (published, unlike INTERNAL_FIELDS).
DERIVED_FIELDS = frozenset({"usage", "profiles"})


class Entry(EntryFile):
    """An entry as the loader hands it on: every derived field is filled in."""

    zh_hant: str
    pinyin: str
    variants_hant: list[str] = Field(default_factory=list, description="Traditional form of each variant.")
    variants_pinyin: list[str] = Field(default_factory=list, description="Pinyin of each variant.")
    members_pinyin: list[str] = Field(default_factory=list, description="Pinyin of each member.")
    pinyin_overridden: bool = False
    usage: list[RenderingUsage] = Field(
        default_factory=list, description="Per rendering, in order: which publishers use it, since when."
    )
    profiles: dict[str, str] = Field(
        default_factory=dict,
        description="The preferred rendering under each profile: `house` (the curated status) and `official` "
        "(the government's own English, most recent first).",
    )

    @property
    def preferred(self) -> Rendering:
        """The one preferred rendering."""
        return next(r for r in self.renderings if r.status is Status.preferred)

    def chinese_forms(self) -> list[str]:
        """Every Chinese string that names this entry: zh, its traditional form, every variant and theirs."""
        forms = [self.zh, self.zh_hant]
        for variant, hant in zip(self.zh_variants, self.variants_hant, strict=True):
            forms += [variant.zh, hant]
        return list(dict.fromkeys(forms))

    def export(self) -> dict[str, object]:
        """The entry as published by `glossary export --format json` and the API."""
        data = self.model_dump(mode="json", exclude=set(INTERNAL_FIELDS))
        data["zh_variants"] = [
            {**variant.model_dump(mode="json"), "zh_hant": hant, "pinyin": py}
            for variant, hant, py in zip(
                self.zh_variants, self.variants_hant, self.variants_pinyin, strict=True
            )
        ]
        data["members"] = [
            {**member.model_dump(mode="json"), "pinyin": py}
            for member, py in zip(self.members, self.members_pinyin, strict=True)
        ]
        return data
