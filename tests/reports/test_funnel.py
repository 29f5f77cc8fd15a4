"""The pure funnel: cohort entry, later steps, returns and stays, without a database."""

from datetime import UTC, datetime, timedelta

from leads.models import Stage
from reports.funnel import Change, breakdown, lead_paths, summarize

START = datetime(2026, 10, 1, tzinfo=UTC)
END = datetime(2026, 11, 1, tzinfo=UTC)
H = timedelta(hours=1)
# In these paths, a move to recycled at this hour is a lost opportunity, not a return.
LOST = 99


def path(lead_id, *moves, channel_id=1, version=1):
    """Changes of one lead: (stage, hours after START) each; the MQL moves carry `version`."""
    return [
        Change(
            lead_id=lead_id,
            to_stage=stage,
            at=START + hours * H,
            agreement_version=version if stage == Stage.MQL else None,
            channel_id=channel_id,
            channel=f"Channel {channel_id}",
            is_return=stage == Stage.RECYCLED and hours != LOST,
        )
        for stage, hours in moves
    ]


def paths(*changes, **kwargs):
    return lead_paths(
        [change for lead in changes for change in lead], start=START, end=END, **kwargs
    )


def test_a_lead_enters_the_cohort_at_its_first_mql_move_in_the_range():
    (only,) = paths(path(1, (Stage.MQL, 5), (Stage.RECYCLED, 6), (Stage.MQL, 30)))

    assert only.entered_at == START + 5 * H


def test_a_lead_that_entered_mql_before_the_range_is_not_in_it():
    assert paths(path(1, (Stage.MQL, -5), (Stage.SAL, 5))) == []


def test_a_lead_that_enters_mql_after_the_range_is_not_in_it():
    assert paths(path(1, (Stage.MQL, 24 * 31 + 1))) == []


def test_later_steps_count_even_after_the_range():
    (only,) = paths(path(1, (Stage.MQL, 1), (Stage.SAL, 24 * 40)))

    assert only.reached == {Stage.MQL, Stage.SAL}


def test_every_return_after_entry_counts():
    (only,) = paths(
        path(1, (Stage.MQL, 1), (Stage.RECYCLED, 2), (Stage.MQL, 3), (Stage.RECYCLED, 4))
    )

    assert only.returns == 2


def test_a_lost_opportunity_is_not_a_return():
    (only,) = paths(
        path(1, (Stage.MQL, 1), (Stage.SAL, 2), (Stage.SQL, 3), (Stage.OPPORTUNITY, 4),
             (Stage.RECYCLED, LOST))
    )  # fmt: skip

    assert (only.returns, only.reached >= {Stage.OPPORTUNITY, Stage.RECYCLED}) == (0, True)


def test_every_disqualification_after_entry_counts_and_none_before():
    (only,) = paths(
        path(1, (Stage.MQL, -9), (Stage.DISQUALIFIED, -8), (Stage.LEAD, -7), (Stage.MQL, 1),
             (Stage.SAL, 2), (Stage.DISQUALIFIED, 3), (Stage.LEAD, 4), (Stage.MQL, 5),
             (Stage.DISQUALIFIED, 6))
    )  # fmt: skip

    assert (only.disqualified, only.returns) == (2, 0)
    assert summarize([only, only]).disqualified == 4


def test_stays_run_from_one_move_to_the_next_and_open_stays_do_not_count():
    (only,) = paths(path(1, (Stage.MQL, 1), (Stage.SAL, 3), (Stage.SQL, 10)))

    assert only.stays == ((Stage.MQL, 2 * H), (Stage.SAL, 7 * H))


def test_the_version_filter_reads_the_version_of_the_entry():
    lead = path(1, (Stage.MQL, 1), (Stage.RECYCLED, 2)) + path(1, (Stage.MQL, 3), version=2)

    assert paths(lead, agreement_version=2) == []
    assert len(paths(lead, agreement_version=1)) == 1


def test_summarize_counts_rates_and_medians():
    row = summarize(
        paths(
            path(1, (Stage.MQL, 0), (Stage.SAL, 2), (Stage.SQL, 10)),
            path(2, (Stage.MQL, 0), (Stage.SAL, 4)),
            path(3, (Stage.MQL, 0), (Stage.RECYCLED, 9)),
        )
    )

    assert [(count, rate) for _step, count, rate in row.steps] == [
        (3, None),
        (2, 2 / 3),
        (1, 1 / 2),
        (0, 0),
        (0, None),
    ]
    assert row.returned == 1
    assert dict(row.stays) == {
        Stage.MQL: 4 * H,
        Stage.SAL: 8 * H,
        Stage.SQL: None,
        Stage.OPPORTUNITY: None,
    }


def test_breakdown_groups_and_puts_the_largest_first():
    rows = breakdown(
        paths(
            path(1, (Stage.MQL, 0), channel_id=7),
            path(2, (Stage.MQL, 0), channel_id=8),
            path(3, (Stage.MQL, 0), channel_id=8),
        ),
        key=lambda lead: lead.channel_id,
        label=lambda lead: lead.channel,
    )

    assert [(row.key, row.label, row.counts[Stage.MQL]) for row in rows] == [
        (8, "Channel 8", 2),
        (7, "Channel 7", 1),
    ]
