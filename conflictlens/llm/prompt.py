"""Prompt for the LLM extractor: the coding rules in brief, and the article.

The system message restates the project's coding reference
(``../shared/reference/acled-coding.md``) in condensed form; the JSON Schema
itself travels in ``response_format`` (see :mod:`conflictlens.llm.client`).
"""
from __future__ import annotations

import json

from ..schema import EVENT_TYPES, Source


def _taxonomy() -> str:
    return "\n".join(f"- {et}: {'; '.join(subs)}" for et, subs in EVENT_TYPES.items())


SYSTEM_PROMPT = f"""\
You code news articles about armed conflict and political disorder into \
ACLED-style event records. Answer with one JSON object that follows the given \
schema, with the keys "events" and "aggregates", and nothing else.

What counts as an event
- One event is one incident on one day in one place. An article that reports \
several incidents (different days or places) gives several events; the same \
incident mentioned twice is one event.
- Only code what the article reports as having happened. Plans, threats, \
opinions, warnings and predictions are not events.
- Not events: teasers and headlines of other articles, captions of unrelated \
photos, and figurative language (e.g. "the budget will fall on us like a bomb").
- A total over a period ("62 soldiers killed so far this year", "249 militants \
killed in 2024") is not an event: put it in "aggregates" with its kind, value, \
subject and period.

Event types (event_type: allowed sub_event_type values)
{_taxonomy()}
- Battles need two organised armed sides. A one-sided armed attack on \
unarmed people is Violence against civilians.
- Explosions/Remote violence is used when the weapon defines the event (air or \
drone strike, shelling, IED, suicide bombing), even against civilians.
- Strategic developments are significant non-violent events: launching a \
military operation, ending a cease-fire, arrest campaigns, talks, agreements, \
bans, group splits or mergers.

Actors
- actor1 starts the event, actor2 is the target or the other side (null if \
none). Use ACLED-style names such as "Military Forces of Pakistan (2018-)", \
"Police Forces of Pakistan (2018-)", "TTP: Tehreek-i-Taliban Pakistan", \
"Civilians (Pakistan)", "Unidentified Armed Group (Pakistan)".
- inter codes: 1 state forces, 2 rebel groups, 3 political militias, 4 identity \
militias, 5 rioters, 6 protesters, 7 civilians, 8 external/other forces, \
0 none.

Dates
- event_date is when the event happened, never simply the publication date. \
Resolve relative expressions ("on Tuesday", "last week", "in March") against \
the publication date given with the article.
- time_precision: 1 if the exact day is known, 2 if known within a week or a \
few days, 3 if only the month or a longer period is known. Give \
event_date_start and event_date_end for the window; for precision 2 or 3, \
event_date is the middle of the window.

Place
- Locate the event itself, not the newsroom or dateline: "airstrikes inside \
Afghanistan" happen in Afghanistan. Give country, admin1 (province), admin2 \
(district) and location (the most specific named place) when the text names \
them; otherwise null.

Fatalities
- People killed in the event on all sides, never the injured. With \
conflicting figures use the most conservative credible one as fatalities and \
keep the range in fatalities_low / fatalities_high.
- Vague counts: "several" or "many" = 10, "dozens" = 12, "hundreds" = 100; \
"a soldier" = 1; "no casualties" = 0. If the text says nothing, use 0 with \
fatalities_known false.
- Do not copy a total that covers several events onto each of them.

Evidence
- For every event and aggregate, copy into "evidence" the exact sentence(s) of \
the article that support it, character for character. Never paraphrase, \
shorten or translate them: evidence that cannot be found in the article is \
rejected together with its event.
- Fields the article does not support are null. Do not guess.
"""


def user_message(body: str, source: Source | None) -> str:
    """The article with the metadata needed to resolve dates and places."""
    lines = []
    if source is not None:
        if source.published:
            lines.append(f"Published: {source.published.isoformat()}")
        if source.dateline:
            lines.append(f"Dateline: {source.dateline}")
        if source.title:
            lines.append(f"Title: {source.title}")
    if not any(line.startswith("Published:") for line in lines):
        lines.append("Published: unknown")
    head = "\n".join(lines)
    return f"{head}\n\nArticle:\n<<<\n{body}\n>>>"


def messages(body: str, source: Source | None, schema_in_prompt: dict | None = None) -> list[dict[str, str]]:
    """OpenAI chat ``messages`` for one article.

    ``schema_in_prompt`` is appended to the system message for servers that
    cannot take the schema as a decoding constraint.
    """
    system = SYSTEM_PROMPT
    if schema_in_prompt is not None:
        system += "\nThe answer must validate against this JSON Schema:\n" + json.dumps(
            schema_in_prompt, separators=(",", ":")
        )
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": user_message(body, source)},
    ]
