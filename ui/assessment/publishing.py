"""Publishing to Compare: the owner's control on the Results page, the facilitator's per round.

Why: nothing enters Compare until its owner puts it there (`storage.results.publish`), so
each owner needs one plain control and one sentence saying who will see what.
The results page calls `assessment_controls`; the dashboard's Rounds tab calls
`workshop_round_controls`. Storage checks the resume code or the facilitator's
grant again on every press.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlalchemy.engine import Engine

from storage import (
    AccessDenied,
    Grant,
    InputError,
    StorageError,
    Workshop,
    assessment_publication,
    day_text,
    publish_assessment,
    publish_round,
    unpublish_assessment,
    unpublish_round,
    workshop_rounds,
)
from ui.state import PUBLISHING_MESSAGE
from ui.store import database_trouble, engine
from ui.text import literal

__all__ = [
    "ASSESSMENT_WHO_SEES",
    "ROUND_WHO_SEES",
    "assessment_controls",
    "workshop_round_controls",
]

#: The one sentence the owner of a self-assessment reads before publishing.
ASSESSMENT_WHO_SEES = (
    "If you publish, Ladder's signed-in administrators will see these answers' scores on the "
    "Compare page, as one person's, beside other areas and labelled with the area, the form "
    "and the date; nobody else will, your evidence notes stay here, and you can withdraw "
    "them at any time."
)
#: The one sentence a facilitator reads before publishing a round.
ROUND_WHO_SEES = (
    "If you publish a closed round, Ladder's signed-in administrators will see the scores of "
    "the answers sent in it on the Compare page, as the whole room's (never by person or "
    "role), labelled with the area, the form, the number of people and the date; a round "
    "with fewer people than this workshop's k cannot be published, and you can withdraw a "
    "round at any time."
)


def assessment_controls(token: str, finished: bool) -> None:
    """Publish to Compare / Withdraw from Compare for the self-assessment ``token`` opens.

    ``finished``: the response is submitted (only then can it be published).
    """
    st.subheader("Compare with other areas")
    _said()
    published = assessment_publication(engine(), token)
    if published is not None:
        st.write(
            f"Published to Compare on {day_text(published.published_at.date())}. "
            "Ladder's administrators can see these answers' scores there, as one person's."
        )
        st.button(
            "Withdraw from Compare",
            key="unpublish_assessment",
            on_click=_act,
            args=(lambda: unpublish_assessment(engine(), token), "Withdrawn from Compare."),
        )
        return
    st.write(ASSESSMENT_WHO_SEES)
    if not finished:
        st.caption("Press Finish on the last step of the survey first; then you can publish.")
        return
    st.button(
        "Publish to Compare",
        key="publish_assessment",
        on_click=_act,
        args=(lambda: publish_assessment(engine(), token), "Published to Compare."),
    )


def workshop_round_controls(workshop: Workshop, grant: Grant) -> None:
    """For each round so far: its people, whether it is in Compare, Publish / Withdraw.

    ``grant`` is the facilitator's (`ui.access.facilitator`); storage refuses any other.
    """
    st.markdown("**Compare with other areas**")
    st.caption(ROUND_WHO_SEES)
    _said()
    for state in workshop_rounds(engine(), grant, workshop.id):
        people = "1 person" if state.people == 1 else f"{state.people} people"
        with st.container(border=True):
            if state.publication is not None:
                st.write(
                    f"Round {literal(state.round)}: {literal(people)} sent answers · "
                    "published to Compare."
                )
                st.button(
                    f"Withdraw round {state.round} from Compare",
                    key=f"unpublish_round_{workshop.id}_{state.round}",
                    on_click=_act,
                    args=(
                        _round(unpublish_round, workshop.id, grant, state.round),
                        f"Round {state.round} withdrawn from Compare.",
                    ),
                )
            elif state.open:
                st.write(
                    f"Round {state.round} is open: close it to publish it to Compare "
                    f"(it needs {state.k} or more people's sent answers)."
                )
            elif state.reason is not None:
                st.write(
                    f"Round {state.round}: {people} sent answers, fewer than this workshop's "
                    f"{state.k}, so it cannot be published to Compare."
                )
            else:
                st.write(
                    f"Round {literal(state.round)}: {literal(people)} sent answers · "
                    "not in Compare."
                )
                st.button(
                    f"Publish round {state.round} to Compare",
                    key=f"publish_round_{workshop.id}_{state.round}",
                    on_click=_act,
                    args=(
                        _round(publish_round, workshop.id, grant, state.round),
                        f"Round {state.round} published to Compare.",
                    ),
                )


def _round(
    action: Callable[[Engine, Grant, int, int], object], workshop_id: int, grant: Grant, n: int
) -> Callable[[], object]:
    return lambda: action(engine(), grant, workshop_id, n)


def _act(action: Callable[[], object], done: str) -> None:
    """Run a publish or withdraw; remember what to say after the rerun."""
    try:
        action()
    except (InputError, AccessDenied) as exc:
        PUBLISHING_MESSAGE.set(("error", f"Nothing changed: {exc.message}."))
    except StorageError as exc:
        said = database_trouble(exc, "Nothing changed.")
        PUBLISHING_MESSAGE.set(("error", said))
    else:
        PUBLISHING_MESSAGE.set(("success", done))


def _said() -> None:
    said = PUBLISHING_MESSAGE.pop()
    if said is None:
        return
    kind, text = said
    (st.success if kind == "success" else st.error)(text)
