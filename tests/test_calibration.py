"""The issue-2 calibration run (2,000 target people, 104 weeks, seed 1) meets its targets."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_network_composition(calibration_run):
    s = calibration_run.summary
    assert 8 <= s["network_size_mean"] <= 12  # N1, N4
    assert 0.35 <= s["family_share"] <= 0.50  # N4
    assert 0.50 <= s["partner_share"] <= 0.65  # N2
    assert 0.20 <= s["living_alone_share"] <= 0.30  # N3
    assert 4 <= s["weekly_contacts_mean"] <= 6  # N2


def test_turnover_and_stability(calibration_run):
    s = calibration_run.summary
    assert s["inner_turnover_per_year"] <= 0.05  # T1
    assert 0.05 <= s["outer_turnover_per_year"] <= 0.12  # T2
    assert abs(s["network_size_change"]) <= 0.10  # T2: roughly constant size


def test_three_network_types_present(calibration_run):
    s = calibration_run.summary
    shares = [s[f"{t}_share"] for t in ("diverse_active", "family_stable", "formal_sparse")]
    assert min(shares) >= 0.10  # N7


def test_scales_in_plausible_ranges(calibration_run):
    s = calibration_run.summary
    assert 0.60 <= s["eq5d_mean"] <= 0.75  # S2
    assert 19 <= s["swemwbs_mean"] <= 25  # S1
    assert 0.0 < s["lonely_share"] < 0.6


def test_people_table_columns(calibration_run):
    need = {
        "person_id",
        "age",
        "lives_alone",
        "has_partner",
        "housing",
        "education",
        "disability",
        "smi",
        "n_conditions",
        "burden",
        "network_size",
        "network_type",
        "support_received",
        "support_from_partner",
        "support_from_others",
        "swemwbs",
        "ucla",
        "eq5d",
        "service_cost",
    }
    assert need <= set(calibration_run.people.columns)
    assert len(calibration_run.people) == 2000
    assert len(calibration_run.weekly) == 104
