"""Pieces of the compare page: demo and import controls, the comparison, groups, downloads.

Why: the compare page should read as a sequence of questions (what to compare,
what differs, what moved); the controls and views behind them live here. The page
is an administrator's: every storage call passes their grant, which storage checks.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial

import pandas as pd
import streamlit as st

from common.memo import kept_with
from reports.compare import (
    GROUP_TOO_FEW,
    ChosenGroup,
    comparison_csv,
    comparison_workbook,
    render_comparison_report,
)
from reports.meta import ReportMeta
from scoring.answers import AnswersError, parse_answers
from scoring.comparison.figures import change_chart, compare_heatmap, overlay_radar, profile
from scoring.comparison.results import AssessmentInfo, Change, Comparison, group_median
from scoring.comparison.text import largest_differences
from scoring.format import fmt_score
from scoring.intervals import TOO_FEW
from storage import (
    IMPORT_MIN,
    MAX_FILE_BYTES,
    AreaGroup,
    Grant,
    ImportsPaused,
    InputError,
    StorageError,
    create_group,
    delete_group,
    has_demo,
    import_file,
    list_areas,
    list_groups,
    load_demo,
    remove_demo,
    withdraw_entry,
)
from ui import state
from ui.comparison.choosing import KEPT, Chosen, kind
from ui.downloads import XLSX, File, encoded, offer
from ui.store import bank_hash, database_trouble, engine
from ui.tables import Column, readable, show, show_readable
from ui.text import literal

UPLOAD_MB = MAX_FILE_BYTES // (1024 * 1024)
#: The fewest of a group's areas its median rests on (`scoring.comparison.results.group_median`).
GROUP_MIN_AREAS = 5
_PLOTLY = {"displaylogo": False}
_PEOPLE_HELP = "Respondents with a score on this dimension."
_INTERVAL_OF_DIFFERENCE = Column(
    "interval",
    "Interval",
    help="The 95 % interval of the difference, from resampling the respondents; blank when "
    "there are too few respondents to tell.",
)
_SCORE_VIEW = (
    Column("label", "Assessment"),
    Column("dimension", "ID"),
    Column("name", "Dimension"),
    Column("median", "Median"),
    Column(
        "interval",
        "Interval",
        help="The 95 % interval of the median, from resampling the respondents.",
    ),
    Column("n", "People", help=_PEOPLE_HELP),
)
_NOWHERE = AssessmentInfo()


def demo_controls(grant: Grant) -> None:
    bank = state.bank()
    if has_demo(engine()):
        st.caption("The demo data (fictional areas, marked 'Demo') is loaded.")
        if st.button("Remove the demo data"):
            removed = remove_demo(engine(), grant)
            st.success(f"Removed {literal(removed)} fictional areas and everything in them.")
            st.rerun()
    elif st.button("Load the demo data (fictional areas)"):
        added = load_demo(engine(), grant, bank, bank_hash())
        st.success(f"Loaded {literal(added)} fictional areas with assessments in two years.")
        st.rerun()


def import_controls(grant: Grant) -> None:
    bank = state.bank()
    with st.expander("Import results from elsewhere"):
        st.markdown(
            "A CSV in Ladder's answers format with an `area` column "
            "(`respondent_id,question_id,answer,area`, and `round` or `submitted_at` for the "
            "date). Each area and round (or date) becomes an assessment, published to Compare "
            f"as it is imported; one with {IMPORT_MIN} or more respondents, or exactly one "
            "answer set, is shown here (with two, each could read the other's answers, so it "
            "is not). The whole file is checked first; a file with any mistake is refused with "
            f"the row and column. Up to {UPLOAD_MB} MB."
        )
        upload = st.file_uploader("Answers CSV with areas", type=["csv"], key="compare_csv")
        if upload is None or not st.button("Import", key="compare_import"):
            return
        try:  # the quota, the size and the header are checked before the rows are read
            made = import_file(
                engine(), grant, upload.getvalue(), upload.name, bank, bank_hash(),
                partial(parse_answers, bank=bank),
            )  # fmt: skip
        except AnswersError as exc:
            st.error(f"Nothing was imported. {literal(exc)}")
        except ImportsPaused as exc:
            st.error(f"Nothing was imported. {literal(exc.message)}.")
        except InputError as exc:
            st.error(f"Nothing was imported. {literal(upload.name)}: {literal(exc.format())}.")
        except StorageError as exc:
            st.error(database_trouble(exc, "Nothing was imported."))
        else:
            st.success(f"Imported {len(made)} assessments from {literal(upload.name)}.")


def withdraw_controls(grant: Grant, table: pd.DataFrame) -> None:
    """Take any entry out of Compare: a result published under an area's name by someone
    who does not speak for it. Its answers stay; its owner could publish it again."""
    if table.empty:
        return
    with st.expander("Withdraw an entry from Compare"):
        st.write(
            "Anyone can run a self-assessment or a workshop under any area's name and publish "
            "it. If an entry does not belong here, withdraw it; nothing is deleted. To delete "
            "it for good, use `python -m storage delete-workshop` or `delete-assessment` with "
            "--as-administrator."
        )
        described = dict(zip(table["label"], table["described"], strict=True))
        chosen = st.selectbox(
            "Entry", list(table["label"]), format_func=lambda lb: described.get(lb, str(lb))
        )
        if st.button("Withdraw it from Compare", key="withdraw_entry"):
            row = table.set_index("label").loc[chosen]
            try:
                withdraw_entry(engine(), grant, int(row["assessment_id"]), int(row["round"]))
            except StorageError as exc:
                st.error(database_trouble(exc, "Not withdrawn."))
                return
            st.success(f"Withdrawn from Compare: {literal(described.get(chosen, chosen))}.")
            st.rerun()


def comparison(c: Comparison, chosen: Chosen) -> None:
    """The findings first (the largest differences beyond the noise, in sentences), then
    the profiles, the heatmap, and every finding and number folded below them."""
    st.subheader("What differs")
    largest = kept_with(
        KEPT, ("largest",), c, lambda: largest_differences(c.reference, c.differences, c.min_n)
    )
    st.markdown("\n".join(f"- {literal(s)}" for s in largest))
    with st.expander("Every finding in words"):
        st.markdown("\n".join(f"- {literal(s)}" for s in c.sentences))
    if chosen.left_out:
        with st.expander("Left out of the comparison, and why"):
            st.markdown("\n".join(f"- {literal(s)}" for s in chosen.left_out))
    for family, title in (("criterion", "The six criteria"), ("theme", "The themes")):
        if (c.table["family"] == family).any():
            st.markdown(f"**{literal(title)}**")
            # Kept with the comparison (the same object while its entries stand: KEPT).
            chart = kept_with(KEPT, ("profile", family), c, partial(profile, c, family))
            st.plotly_chart(chart, config=_PLOTLY, key=f"overlay_{family}")
    st.markdown("**Every score at a glance**")
    chart = kept_with(KEPT, ("heatmap",), c, partial(compare_heatmap, c))
    st.plotly_chart(chart, config=_PLOTLY, key="compare_heatmap")
    with st.expander(f"Differences from {literal(c.reference)}, dimension by dimension"):
        differences = _difference_view(c.min_n)
        show_readable(kept_with(KEPT, ("differences",), c, partial(_differences, c)), differences)
    with st.expander("Every score, with its interval"):
        show_readable(kept_with(KEPT, ("scores",), c, partial(_scores, c)), _SCORE_VIEW)


def _differences(c: Comparison) -> pd.DataFrame:
    """The differences from the reference, readable (`ui.tables.readable`)."""
    view = c.differences[c.differences["label"] != c.reference]
    return readable(_verdicts(view, c.min_n), _difference_view(c.min_n))


def _scores(c: Comparison) -> pd.DataFrame:
    """Every score with its interval (or why there is none), readable."""
    notes = _plain(c.table["interval"], c.min_n, to_tell=False)
    ranges = _ranges(c.table)
    table = c.table.assign(interval=[r or n for r, n in zip(ranges, notes, strict=True)])
    return readable(table, _SCORE_VIEW)


def change(ch: Change, area: str) -> None:
    st.subheader(f"Change over time: {literal(area)}")
    st.markdown("\n".join(f"- {literal(s)}" for s in ch.sentences))
    chart = kept_with(KEPT, ("change",), ch, partial(change_chart, ch))
    st.plotly_chart(chart, config=_PLOTLY, key="change")
    first, last = (label.removeprefix(f"{area} · ") for label in (ch.first, ch.last))
    min_n = ch.comparison.min_n
    columns = (
        Column("dimension", "ID"),
        Column("name", "Dimension"),
        _verdict_column(min_n),
        Column("change", "Change", help=f"The median at {last} minus the median at {first}."),
        _INTERVAL_OF_DIFFERENCE,
        Column("first", f"Median, {first}"),
        Column("last", f"Median, {last}"),
        Column("n_first", f"People, {first}", help=_PEOPLE_HELP),
        Column("n_last", f"People, {last}", help=_PEOPLE_HELP),
    )
    table = kept_with(
        KEPT, ("table", first, last), ch, lambda: readable(_verdicts(ch.table, min_n), columns)
    )
    show_readable(table, columns)


def _difference_view(min_n: int) -> tuple[Column, ...]:
    return (
        Column("label", "Assessment"),
        Column("dimension", "ID"),
        Column("name", "Dimension"),
        _verdict_column(min_n),
        Column("difference", "Difference", help="This assessment's median minus the reference's."),
        _INTERVAL_OF_DIFFERENCE,
        Column("median", "Median"),
        Column("n", "People", help=_PEOPLE_HELP),
        Column("median_reference", "Reference median"),
        Column("n_reference", "Reference people", help=_PEOPLE_HELP),
    )


def _verdict_column(min_n: int) -> Column:
    return Column(
        "verdict",
        "Verdict",
        help="Larger than the noise: the 95 % interval of the difference leaves out 0. "
        f"Both sides need {min_n} or more respondents with a score to tell.",
    )


def _verdicts(table: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """The table with its verdict in words and the interval of the difference as text."""
    return table.assign(verdict=_plain(table["verdict"], min_n), interval=_ranges(table))


def _ranges(table: pd.DataFrame) -> list[str]:
    """Each row's interval as "-0.5 to 1.0" (one decimal, halves up); "" without one."""
    return [
        "" if pd.isna(lo) or pd.isna(hi) else f"{fmt_score(lo)} to {fmt_score(hi)}"
        for lo, hi in zip(table["low"], table["high"], strict=True)
    ]


def _plain(values: pd.Series, min_n: int, to_tell: bool = True) -> list[str]:
    """Verdicts (and, without `to_tell`, interval notes) as a cell reads them: "Too few
    respondents (under 5) to tell" rather than the exports' "n too small to tell"."""
    few = f"too few respondents (under {min_n})" + (" to tell" if to_tell else "")
    words = (few if v == TOO_FEW else str(v) for v in values)
    return [w[:1].upper() + w[1:] for w in words]


def groups(c: Comparison, grant: Grant) -> ChosenGroup | None:
    """Show the median of the group chosen, if any, and return the choice for the report."""
    st.subheader("Comparison groups")
    areas = {a.id: a.name for a in list_areas(engine())}
    known = list_groups(engine(), grant)
    picked = None
    if known:
        group = st.selectbox(
            "Show a group's median",
            [None, *known],
            format_func=lambda g: "–" if g is None else g.name,
        )
        if group is not None:
            names = {areas.get(a) for a in group.area_ids}
            members = tuple(lb for lb in c.labels if c.info.get(lb, _NOWHERE).area in names)
            picked = ChosenGroup(group.name, members)
            _group_median(c, picked)
    _group_editor(areas, known, grant)
    return picked


def _group_median(c: Comparison, group: ChosenGroup) -> None:
    median = group_median(c, group.members, min_areas=GROUP_MIN_AREAS)
    if median is None:
        st.info(GROUP_TOO_FEW)
        return
    st.plotly_chart(
        overlay_radar(c, "criterion", median, group.name), config=_PLOTLY, key="group_radar"
    )
    show(
        median,
        (
            Column("dimension", "ID"),
            Column("name", "Dimension"),
            Column("median", "Group median", help="The median of the group's areas' medians."),
            Column(
                "n_areas",
                "Areas",
                help=f"Areas of the group with a score on this dimension; the group's median "
                f"needs {GROUP_MIN_AREAS} or more.",
            ),
        ),
    )


def _group_editor(areas: dict[int, str], known: list[AreaGroup], grant: Grant) -> None:
    with st.expander("Make or remove a group"):
        st.caption(
            f"A group's median is shown only when {GROUP_MIN_AREAS} or more of its areas are "
            "among the assessments compared, so give a group at least "
            f"{GROUP_MIN_AREAS} areas."
        )
        name = st.text_input("Group name", placeholder="e.g. Our nearest neighbours")
        members = st.multiselect("Areas in it", list(areas), format_func=areas.get)
        if 0 < len(members) < GROUP_MIN_AREAS:
            chosen = "one area" if len(members) == 1 else f"{len(members)} areas"
            st.warning(
                f"This group has {chosen}. You can save it, but its median will not be "
                f"shown until it has {GROUP_MIN_AREAS} or more areas among those compared."
            )
        if st.button("Save the group") and name:
            try:
                create_group(engine(), grant, name, members)
            except InputError as exc:
                st.error(exc.format())
            else:
                st.rerun()
        for g in known:
            if st.button(f"Remove the group {g.name}", key=f"del_group_{g.id}"):
                delete_group(engine(), grant, g.id)
                st.rerun()


def downloads(
    c: Comparison, ch: Change | None, chosen: Chosen, group: ChosenGroup | None = None
) -> None:
    st.subheader("Take it away")
    bank = state.bank()
    areas = sorted({info.area for info in c.info.values()})
    meta = ReportMeta(
        title="Comparison: " + ", ".join(areas)[:200],
        area_name=", ".join(areas)[:200],
        area_kind="comparison",
        ons_code=None,
        form_title="Questions every compared assessment shares",
        assessment_date=date.today(),
        generated_at=datetime.now(UTC),
        n_respondents=sum(c.respondents.values()),
        bank_title=bank.title,
        bank_version=chosen.bank.version,
        bank_hash=chosen.bank.content_hash,
    )
    entries = {str(r["label"]): kind(r) for r in chosen.rows.to_dict("records")}

    def html() -> str:  # each file is built when its button is pressed (ui.downloads)
        return render_comparison_report(meta, chosen.bank, c, ch, chosen.left_out, group, entries)

    files: list[File] = [
        ("Comparison report (HTML)", encoded(html), "html", "text/html"),
        ("Comparison (CSV)", lambda: comparison_csv(c), "csv", "text/csv"),
        ("Workbook (Excel)", lambda: comparison_workbook(meta, c, ch, group), "xlsx", XLSX),
    ]
    compared = (tuple(entries), group.name if group is not None else None)
    offer(meta, files, html, state.PDF_COMPARE.key, compared)
