"""Invariants checked every week: people and ties accounted for, scores in range, no NaN."""

from __future__ import annotations

import numpy as np

from netmob.sim.model import NetworkModel
from tests.conftest import small


def float_columns(table):
    return {k: v for k, v in table.to_dict().items() if v.dtype.kind == "f"}


def test_weekly_invariants():
    m = NetworkModel(small(n=300, weeks=40, burn_in=5), seed=3)
    n_people = len(m.people)
    prev_rows, prev_active = len(m.ties), int(m.ties.active.sum())
    while m.week < m.params.run.weeks:
        new_before = m.counters.new_ties.sum()
        m.step()
        t, pp, n = m.ties, m.people, m.n_target
        # people are conserved; tie rows only grow, and active ties are accounted for
        assert len(pp) == n_people
        formed = len(t) - prev_rows
        ended = int((t.ended == m.week).sum())
        assert int(t.active.sum()) == prev_active + formed - ended
        if m.week >= 1:
            assert m.counters.new_ties.sum() - new_before == formed
        assert (t.formed[prev_rows:] == m.week).all()
        prev_rows, prev_active = len(t), int(t.active.sum())
        # no self-ties, no duplicate active ties
        assert not (t.ego == t.alter).any()
        key = t.ego[t.active].astype(np.int64) * len(pp) + t.alter[t.active]
        assert len(np.unique(key)) == len(key)
        # scores inside their scales
        assert ((pp.swemwbs >= 7) & (pp.swemwbs <= 35)).all()
        assert ((pp.ucla[:n] >= 3) & (pp.ucla[:n] <= 9)).all()
        assert ((pp.eq5d >= -0.594) & (pp.eq5d <= 1)).all()
        assert ((pp.burden >= 0) & (pp.burden <= 1)).all()
        assert ((t.strength > 0) & (t.strength <= 1)).all()
        assert (t.circle >= 1).all() and (t.circle <= 3).all()
        # support: none received beyond need, none given by ties ended or dormant before this week
        assert (pp.support_received[:n] <= pp.need[:n] + 1e-4).all()
        gone = (~t.active & (t.ended < m.week)) | (t.dormant & (t.dormant_since < m.week))
        assert (t.given[gone] == 0).all() and (t.given >= 0).all()
        np.testing.assert_allclose(
            pp.support_partner[:n] + pp.support_others[:n], pp.support_received[:n], atol=1e-4
        )
        # resources never over their places
        places = np.floor(m.resources.places * m.params.attendance.capacity_scale)
        assert (m.resources.attendees <= places).all()
        # no NaN anywhere
        for table in (pp, t, m.resources):
            for name, col in float_columns(table).items():
                assert np.isfinite(col).all(), name
    assert m.counters.new_ties.sum() > 0 and (m.ties.ended > 0).any()


def test_weekly_table_has_one_row_per_week_and_no_nan():
    m = NetworkModel(small(n=200, weeks=12, burn_in=3), seed=1).run()
    df = m.datacollector.get_model_vars_dataframe()
    assert list(df["week"]) == list(range(1, 13))
    assert not df.drop(columns=["members_swemwbs_mean"]).isna().any().any()
